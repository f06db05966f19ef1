using System.Globalization;
using System.Text.Json;
using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// The "Parameters" object of an InvokeCommand body as <see cref="CmdletBinder"/> bound it: each value under its
/// parameter's catalogue name, the parameter set it fits, decrypted SecureStrings, and whether the call is the
/// Confirm=true probe. Getters convert values the way PowerShell binding would.
/// </summary>
internal sealed class CmdletParameters
{
    private readonly Dictionary<string, JsonElement> _values;
    private readonly Dictionary<string, string> _secrets;

    internal CmdletParameters(
        CatalogueCmdlet cmdlet, string parameterSetName, Dictionary<string, JsonElement> values, Dictionary<string, string> secrets, bool isConfirmationProbe)
    {
        Cmdlet = cmdlet;
        ParameterSetName = parameterSetName;
        _values = values;
        _secrets = secrets;
        IsConfirmationProbe = isConfirmationProbe;
    }

    /// <summary>The cmdlet as the caller's role grants it.</summary>
    public CatalogueCmdlet Cmdlet { get; }

    public string ParameterSetName { get; }

    /// <summary>Confirm=true (§5.2): the client asks what the change would do; nothing may change.</summary>
    public bool IsConfirmationProbe { get; }

    /// <summary>The bound parameters with their values, in the order the caller gave them.</summary>
    public IEnumerable<(CatalogueParameter Parameter, JsonElement Value)> Bound =>
        _values.Select(v => (Cmdlet.Parameter(v.Key)!, v.Value));

    /// <summary>The parameters given a SecureString or PSCredential, as the caller named them.</summary>
    public IReadOnlyCollection<string> SecretNames => _secrets.Keys;

    /// <summary>A SecureString (or PSCredential password) parameter's plaintext; null when not given. Never log or echo it.</summary>
    public string? GetSecret(string name) => _secrets.GetValueOrDefault(name);

    /// <summary>A single-valued parameter as text; null when not given.</summary>
    /// <param name="typeName">The parameter's .NET type, named in the binding error.</param>
    public string? GetString(string name, string typeName) =>
        _values.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? Scalar(name, value, typeName) : null;

    /// <summary>A multi-valued parameter: one value or an array of values; empty when not given.</summary>
    public IReadOnlyList<string> GetStrings(string name, string typeName)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => Scalar(name, item, typeName)).ToArray()
            : [Scalar(name, value, typeName)];
    }

    /// <summary>Whether the caller passed the parameter (a null value counts: it clears a property).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>A [bool] or [switch] parameter: JSON true/false, or the strings "True"/"False"; null when not given.</summary>
    public bool? GetBool(string name)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.ToString(), "System.Boolean")),
        };
    }

    /// <summary>A [DateTime] parameter, sent as ISO 8601 (UTC "…Z" by clients); null when not given.</summary>
    public DateTime? GetDate(string name)
    {
        if (GetString(name, "System.DateTime") is not { } text)
        {
            return null;
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, text, "System.DateTime"));
    }

    /// <summary>
    /// A value restricted to a set of names (an enum parameter), matched case-insensitively and answered in its
    /// canonical spelling; null when not given.
    /// </summary>
    public string? GetEnum(string name, string typeName, params string[] allowed)
    {
        if (GetString(name, typeName) is not { } text)
        {
            return null;
        }

        return allowed.FirstOrDefault(a => a.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, text, typeName));
    }

    /// <summary>
    /// A multi-valued property change: a plain value or array replaces the list; a hashtable
    /// {"@odata.type":"#Exchange.GenericHashTable","Add":…,"Remove":…} adds and removes entries (§5.2).
    /// </summary>
    public MultiValuedUpdate? GetUpdate(string name, string typeName)
    {
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return new MultiValuedUpdate([], [], []);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return new MultiValuedUpdate(GetStrings(name, typeName), null, null);
        }

        string[] Part(string key)
        {
            var property = value.EnumerateObject().FirstOrDefault(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase));
            return property.Value.ValueKind switch
            {
                JsonValueKind.Undefined or JsonValueKind.Null => [],
                JsonValueKind.Array => property.Value.EnumerateArray().Select(item => Scalar(name, item, typeName)).ToArray(),
                _ => [Scalar(name, property.Value, typeName)],
            };
        }

        var unknown = value.EnumerateObject().Select(p => p.Name)
            .FirstOrDefault(n => !n.Contains('@') && !n.Equals("Add", StringComparison.OrdinalIgnoreCase) && !n.Equals("Remove", StringComparison.OrdinalIgnoreCase));
        return unknown is null
            ? new MultiValuedUpdate(null, Part("Add"), Part("Remove"))
            : throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.GetRawText(), typeName));
    }

    /// <summary>-ResultSize: a positive number (as a JSON number or string) or "Unlimited".</summary>
    public ResultSize GetResultSize()
    {
        const string name = "ResultSize";
        const string typeName = "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]";
        if (GetString(name, typeName) is not { } text)
        {
            return ResultSize.Default;
        }

        if (text.Equals("Unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return new ResultSize(null, IsDefault: false);
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? new ResultSize(limit, IsDefault: false)
            : throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, text, typeName));
    }

    private static string Scalar(string name, JsonElement value, string typeName) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.GetRawText(), typeName)),
    };
}

/// <summary>How a multi-valued property changes: replaced (<see cref="Replace"/> set), or entries added and removed.</summary>
internal sealed record MultiValuedUpdate(IReadOnlyList<string>? Replace, IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove)
{
    public string[] Apply(IEnumerable<string> current, IEqualityComparer<string> comparer)
    {
        if (Replace is not null)
        {
            return Replace.Distinct(comparer).ToArray();
        }

        var list = current.ToList();
        list.AddRange(Add!.Where(a => !list.Contains(a, comparer)));
        list.RemoveAll(item => Remove!.Contains(item, comparer));
        return list.ToArray();
    }
}
