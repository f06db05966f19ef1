namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// InvokeCommand's errors from checking a call against the catalogue, worded as PowerShell's parameter binder words
/// them (the service binds the cmdlet's parameters with it), the errors of the changes the sandbox models, and its
/// answer to a change it does not model.
/// </summary>
internal static partial class ExchangeErrors
{
    public static ExchangeError AmbiguousParameter(string name, IEnumerable<string> matches) =>
        ParameterBinding("AmbiguousParameter",
            $"Parameter cannot be processed because the parameter name '{name}' is ambiguous. Possible matches include: {string.Join(" ", matches.Select(m => "-" + m))}.", name);

    public static ExchangeError ParameterAlreadyBound(string parameter) =>
        ParameterBinding("ParameterAlreadyBound",
            $"Cannot bind parameter because parameter '{parameter}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".", parameter);

    public static ExchangeError AmbiguousParameterSet(string cmdlet) =>
        ParameterBinding("AmbiguousParameterSet",
            "Parameter set cannot be resolved using the specified named parameters. One or more parameters issued cannot be used together or an insufficient number of parameters were provided.", cmdlet);

    public static ExchangeError MissingMandatoryParameters(IReadOnlyList<string> parameters) =>
        ParameterBinding("MissingMandatoryParameter",
            $"Cannot process command because of one or more missing mandatory parameters: {string.Join(" ", parameters)}.", parameters[0]);

    /// <summary>A SecureString the service's key does not decrypt; the value is never repeated.</summary>
    public static ExchangeError UndecryptableSecureString(string parameter) =>
        ParameterBinding("ParameterArgumentTransformationError",
            $"Cannot process argument transformation on parameter '{parameter}'. The value is not encrypted with the service's current or previous public key; encrypt it with the key in the module file (Protect-Value).", parameter);

    /// <summary>A new recipient whose name, alias or address another recipient has.</summary>
    public static ExchangeError NameInUse(string name)
    {
        const string type = "ADObjectAlreadyExistsException";
        return new ExchangeError(400, type, $"The name \"{name}\" is already being used. Please try another name.",
            new CmdletErrorDetail(type, "Microsoft.Exchange.Data.Directory." + type, ErrorCategory.ResourceExists, name));
    }

    /// <summary>A change to objects the sandbox does not keep: refused, never a silent success.</summary>
    public static ExchangeError NotModelled(string cmdlet)
    {
        const string name = "NotSupportedException";
        return new ExchangeError(400, name,
            $"The cmdlet '{cmdlet}' is not modelled by the sandbox: it changes objects the sandbox does not keep, so nothing was changed.",
            new CmdletErrorDetail("CmdletNotModelled", "System." + name, ErrorCategory.NotImplemented, cmdlet));
    }
}
