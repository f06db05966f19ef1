using System.Globalization;
using System.Text.Json;
using ExoAdmin.Sandbox.Catalogue;
using ExoAdmin.Sandbox.Exchange.Resources;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Binds InvokeCommand's "Parameters" object to a cmdlet as the catalogue (and the caller's role) declares it, the
/// way PowerShell's binder does on the service: each name is a parameter, an alias or an unambiguous prefix of
/// one; each value converts to the parameter's type; the parameters fit one parameter set; that set's mandatory
/// parameters are all there. SecureString values are decrypted here, once; every failure is Exchange's
/// ParameterBindingException, before the cmdlet (modelled or not) sees anything.
/// </summary>
internal static class CmdletBinder
{
    /// <summary>Common parameters clients may send; the service accepts and ignores them (WhatIf and Confirm excepted).</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "UseCustomRouting",
    };

    /// <exception cref="ExchangeErrorException">A ParameterBindingException in Exchange's shape.</exception>
    public static CmdletParameters Bind(CatalogueCmdlet cmdlet, JsonElement? parameters, ModuleKeys keys)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var probe = false;
        var supportsShouldProcess = ManagementRoles.ChangesState(cmdlet.Name);
        if (parameters is { ValueKind: JsonValueKind.Object } given)
        {
            foreach (var property in given.EnumerateObject().Where(p => !p.Name.Contains('@')))
            {
                if (Ignored.Contains(property.Name))
                {
                    continue;
                }

                if (supportsShouldProcess && (property.Name.Equals("Confirm", StringComparison.OrdinalIgnoreCase) || property.Name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase)))
                {
                    // Confirm=true is the §5.2 probe: validate and say what would change, change nothing. WhatIf=true alike.
                    probe |= ReadBoolean(property.Name, property.Value, "System.Management.Automation.SwitchParameter");
                    continue;
                }

                var parameter = Resolve(cmdlet, property.Name);
                if (!values.TryAdd(parameter.Name, property.Value))
                {
                    throw new ExchangeErrorException(ExchangeErrors.ParameterAlreadyBound(parameter.Name));
                }

                Check(parameter, property.Value, keys, secrets);
            }
        }

        var set = ParameterSet(cmdlet, values.Keys);
        var missing = cmdlet.Parameters
            .Where(p => p.In(set)?.Mandatory == true && (!values.TryGetValue(p.Name, out var value) || value.ValueKind == JsonValueKind.Null))
            .Select(p => p.Name)
            .ToArray();
        if (missing.Length > 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.MissingMandatoryParameters(missing));
        }

        return new CmdletParameters(cmdlet, set, values, secrets, probe);
    }

    /// <summary>The parameter a name means: its own name, an alias, or the one parameter it is a prefix of.</summary>
    private static CatalogueParameter Resolve(CatalogueCmdlet cmdlet, string name)
    {
        if (cmdlet.Parameters.FirstOrDefault(p => p.IsNamed(name)) is { } exact)
        {
            return exact;
        }

        var prefixed = cmdlet.Parameters.Where(p => p.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToArray();
        return prefixed.Length switch
        {
            1 => prefixed[0],
            0 => throw new ExchangeErrorException(ExchangeErrors.ParameterNotFound(name)),
            _ => throw new ExchangeErrorException(ExchangeErrors.AmbiguousParameter(name, prefixed.Select(p => p.Name))),
        };
    }

    /// <summary>
    /// The one set every bound parameter belongs to; among several, the default one when its mandatory parameters
    /// are all bound, else the only one whose mandatory parameters are, else the default one (its missing
    /// mandatory parameters are then the error).
    /// </summary>
    private static string ParameterSet(CatalogueCmdlet cmdlet, IReadOnlyCollection<string> bound)
    {
        var candidates = cmdlet.ParameterSets.Where(set => bound.All(name => cmdlet.Parameter(name)!.In(set) is not null)).ToArray();
        if (candidates.Length == 1)
        {
            return candidates[0];
        }

        var satisfied = candidates
            .Where(set => cmdlet.Parameters.All(p => p.In(set)?.Mandatory != true || bound.Contains(p.Name, StringComparer.OrdinalIgnoreCase)))
            .ToArray();
        return satisfied.Contains(cmdlet.DefaultParameterSet) ? cmdlet.DefaultParameterSet
            : satisfied.Length == 1 ? satisfied[0]
            : candidates.Contains(cmdlet.DefaultParameterSet) ? cmdlet.DefaultParameterSet
            : throw new ExchangeErrorException(ExchangeErrors.AmbiguousParameterSet(cmdlet.Name));
    }

    /// <summary>Refuses a value the parameter's type does not take; decrypts SecureString (and PSCredential) values.</summary>
    private static void Check(CatalogueParameter parameter, JsonElement value, ModuleKeys keys, Dictionary<string, string> secrets)
    {
        var name = parameter.Name;
        var kind = ParameterTypes.Of(parameter.TypeName).Kind;
        if (value.ValueKind == JsonValueKind.Null && kind is not (ParameterKind.Switch or ParameterKind.Boolean))
        {
            return;   // clears a property, as $null does in Exchange
        }

        var valid = kind switch
        {
            ParameterKind.Switch or ParameterKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False
                || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out _)),
            ParameterKind.Integer => value.ValueKind == JsonValueKind.Number ? value.TryGetInt64(out _) : long.TryParse(Text(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            ParameterKind.Date => DateTime.TryParse(Text(value), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _),
            ParameterKind.Guid => Guid.TryParse(Text(value), out _),
            ParameterKind.Unlimited => ParameterValues.TryNormalizeUnlimited(Text(value), ParameterValues.UnlimitedKind(name), out _),
            ParameterKind.TimeSpan => Text(value) is var span && (span.Equals(ParameterValues.Unlimited, StringComparison.OrdinalIgnoreCase) || ParameterValues.TryParseTimeSpan(span, out _)),
            ParameterKind.Text => value.ValueKind is not JsonValueKind.Object,
            ParameterKind.TextList => value.ValueKind is not JsonValueKind.Object,
            ParameterKind.MultiValued => value.ValueKind is not JsonValueKind.Object || value.EnumerateObject().All(p => p.Name.Contains('@')
                || p.Name.Equals("Add", StringComparison.OrdinalIgnoreCase) || p.Name.Equals("Remove", StringComparison.OrdinalIgnoreCase)),
            ParameterKind.Hashtable => value.ValueKind == JsonValueKind.Object,
            ParameterKind.HashtableList => value.ValueKind is JsonValueKind.Object or JsonValueKind.Array,
            ParameterKind.SecureString => Decrypt(name, value, keys, secrets),
            ParameterKind.Credential => value.ValueKind == JsonValueKind.Object && value.TryGetProperty("Password", out var password) && Decrypt(name, password, keys, secrets),
            _ => true,
        };
        if (!valid)
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), parameter.TypeName));
        }
    }

    private static bool Decrypt(string name, JsonElement value, ModuleKeys keys, Dictionary<string, string> secrets)
    {
        if (value.ValueKind != JsonValueKind.String || !keys.TryDecrypt(value.GetString()!, out var plaintext))
        {
            throw new ExchangeErrorException(ExchangeErrors.UndecryptableSecureString(name));
        }

        secrets[name] = plaintext;
        return true;
    }

    /// <summary>A [bool] or [switch] value: JSON true/false, or the strings "True"/"False".</summary>
    internal static bool ReadBoolean(string name, JsonElement value, string typeName) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
        _ => throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.GetRawText(), typeName)),
    };

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
