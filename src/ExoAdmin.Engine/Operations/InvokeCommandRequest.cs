using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// One classic cmdlet call through InvokeCommand, fixed when the cmdlet builds it: the parameters are copied (the next
/// pipeline item rebinds the cmdlet's own) and the body is written at once, SecureStrings already encrypted, so the
/// engine never reads a PowerShell value off the pipeline thread. Whether it reads or changes is
/// <see cref="CmdletEffect"/>'s rule, decided here once for every caller.
/// </summary>
public sealed class InvokeCommandRequest
{
    private readonly ParameterEncryptionKey? _key;

    /// <param name="cmdletName">The service's cmdlet name (never a -Prefix'ed one).</param>
    /// <param name="parameters">Parameter name → PowerShell value, in the order they were bound; common parameters already left out.</param>
    /// <param name="key">The service's public key (from its module file) for SecureString values; without it they are refused.</param>
    /// <param name="target">What the call is about (its -Identity), for ShouldProcess, errors and the unknown-outcome report.</param>
    /// <param name="outputTypeName">The first PSTypeName given to each output object; the service's (ClassicTypeNames) when not given.</param>
    /// <param name="schemaTypeName">The schema type whose Edm types shape the output (Mailbox…); by the noun when not given.</param>
    /// <param name="warningAction">The cmdlet's -WarningAction, which §5.1 sends as a header (Ignore as SilentlyContinue).</param>
    public InvokeCommandRequest(
        string cmdletName,
        IEnumerable<KeyValuePair<string, object?>> parameters,
        ParameterEncryptionKey? key = null,
        string? target = null,
        string? outputTypeName = null,
        string? schemaTypeName = null,
        string? warningAction = null)
        : this(cmdletName, parameters.ToArray(), key, target, outputTypeName ?? ClassicTypeNames.For(cmdletName), schemaTypeName ?? ClassicTypeNames.SchemaTypeOf(cmdletName), isProbe: false, warningAction)
    {
    }

    private InvokeCommandRequest(
        string cmdletName,
        KeyValuePair<string, object?>[] parameters,
        ParameterEncryptionKey? key,
        string? target,
        string outputTypeName,
        string? schemaTypeName,
        bool isProbe,
        string? warningAction)
    {
        CmdletName = cmdletName ?? throw new ArgumentNullException(nameof(cmdletName));
        Parameters = parameters;
        _key = key;
        Target = target;
        OutputTypeName = outputTypeName;
        SchemaTypeName = schemaTypeName;
        IsConfirmationProbe = isProbe;
        WarningAction = warningAction;
        ChangesState = !CmdletEffect.IsReadOnly(cmdletName);
        ResultSize = ResultSizeOf(parameters);

        // §5.2: a change the admin has agreed to goes with Confirm=false (the real module's second request); the probe
        // with Confirm=true, which the service answers with its confirmation message and applies nothing.
        Body = CmdletParameterWriter.Write(cmdletName, parameters, key, confirm: ChangesState ? isProbe : null);
    }

    public string CmdletName { get; }

    /// <summary>The parameters as bound, in order (a copy).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

    /// <summary>The InvokeCommand body, {"CmdletInput":{…}}.</summary>
    public string Body { get; }

    /// <summary>What an error or a What-if line is about (the -Identity).</summary>
    public string? Target { get; }

    /// <summary>The cmdlet's -WarningAction for the §5.1 header; null when it was not given (the header goes empty).</summary>
    public string? WarningAction { get; }

    /// <summary>The PSTypeName given to each output object (format data keys on it).</summary>
    public string OutputTypeName { get; }

    public string? SchemaTypeName { get; }

    /// <summary>How many objects to read across pages: the -ResultSize given, else Unlimited (the service applies its own default).</summary>
    public ResultSize ResultSize { get; }

    /// <summary>The cmdlet may change something (<see cref="CmdletEffect"/>).</summary>
    public bool ChangesState { get; }

    /// <summary>The Confirm=true probe of a change: the service validates it and applies nothing.</summary>
    public bool IsConfirmationProbe { get; }

    /// <summary>
    /// May be sent again after a transient failure: a read, or a change's probe (which applies nothing). A change is
    /// never re-sent once it may have reached the service.
    /// </summary>
    public bool IsReadOnly => !ChangesState || IsConfirmationProbe;

    /// <summary>The same change as a Confirm=true probe (§5.2), for ShouldProcess to show the service's own message.</summary>
    public InvokeCommandRequest AsConfirmationProbe() =>
        ChangesState
            ? new InvokeCommandRequest(CmdletName, (KeyValuePair<string, object?>[])Parameters, _key, Target, OutputTypeName, SchemaTypeName, isProbe: true, WarningAction)
            : throw new InvalidOperationException($"{CmdletName} only reads; there is nothing to confirm.");

    private static ResultSize ResultSizeOf(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (string.Equals(parameter.Key, "ResultSize", StringComparison.OrdinalIgnoreCase))
            {
                return ParseResultSize(parameter.Value);
            }
        }

        return ResultSize.Unlimited;
    }

    /// <summary>ResultSize as any caller binds it: ResultSize, a number, "Unlimited", a numeric string.</summary>
    internal static ResultSize ParseResultSize(object? value)
    {
        value = value is System.Management.Automation.PSObject wrapped ? wrapped.BaseObject : value;
        switch (value)
        {
            case ResultSize size:
                return size;
            case int or long or short or uint or ulong or ushort or byte:
                var count = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return count > 0 ? ResultSize.Of(count) : throw Errors.Failures.InvalidArgument($"ResultSize must be greater than 0, or Unlimited; {count} was given.", "InvalidResultSize", count);
            case null:
                return ResultSize.Unlimited;
            default:
                var text = Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim();
                if (string.Equals(text, "Unlimited", StringComparison.OrdinalIgnoreCase))
                {
                    return ResultSize.Unlimited;
                }

                return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                    ? ResultSize.Of(parsed)
                    : throw Errors.Failures.InvalidArgument($"'{text}' is not a valid ResultSize: use a number greater than 0, or Unlimited.", "InvalidResultSize", text);
        }
    }
}
