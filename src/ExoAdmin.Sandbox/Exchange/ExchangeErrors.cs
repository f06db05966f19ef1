using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>The Exchange-side errors, with the texts and exception types Exchange Online uses.</summary>
internal static class ExchangeErrors
{
    private const string TasksNamespace = "Microsoft.Exchange.Configuration.Tasks.";
    private const string AutomationNamespace = "System.Management.Automation.";

    public static ExchangeError ObjectNotFound(string identity, Tenant tenant)
    {
        const string name = "ManagementObjectNotFoundException";
        return new ExchangeError(404, name,
            $"The operation couldn't be performed because object '{identity}' couldn't be found on '{tenant.DomainController}'.",
            new CmdletErrorDetail(name, TasksNamespace + name, ErrorCategory.ObjectNotFound, identity));
    }

    public static ExchangeError AmbiguousIdentity(string identity, IEnumerable<Mailbox> matches)
    {
        const string name = "ManagementObjectAmbiguousException";
        return new ExchangeError(400, name,
            $"The operation couldn't be performed because '{identity}' matches multiple entries: {string.Join(", ", matches.Select(m => m.Name))}.",
            new CmdletErrorDetail(name, TasksNamespace + name, ErrorCategory.InvalidArgument, identity));
    }

    public static ExchangeError ParameterNotFound(string parameter) =>
        ParameterBinding("NamedParameterNotFound", $"A parameter cannot be found that matches parameter name '{parameter}'.", parameter);

    public static ExchangeError InvalidParameterValue(string parameter, string value, string targetType) =>
        ParameterBinding("ParameterArgumentTransformationError",
            $"Cannot process argument transformation on parameter '{parameter}'. Cannot convert value \"{value}\" to type \"{targetType}\".", parameter);

    public static ExchangeError CommandNotFound(string cmdlet)
    {
        const string name = "CommandNotFoundException";
        return new ExchangeError(400, name,
            $"The term '{cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.\nCheck the spelling of the name, or if a path was included, verify that the path is correct and try again.",
            new CmdletErrorDetail(name, AutomationNamespace + name, ErrorCategory.ObjectNotFound, cmdlet));
    }

    public static ExchangeError BadRequest(string message) => new(400, "BadRequest", message);

    public static ExchangeError ResourceNotFound(string segment) => new(404, "NotFound", $"Resource not found for the segment '{segment}'.");

    public static ExchangeError MethodNotAllowed(string method, string resource) =>
        new(405, "MethodNotAllowed", $"The HTTP method '{method}' is not allowed on '{resource}'.");

    public static ExchangeError InvalidToken(string reason) => new(401, "invalid_token", reason);

    private static ExchangeError ParameterBinding(string errorId, string message, string parameter)
    {
        const string name = "ParameterBindingException";
        return new ExchangeError(400, name, message,
            new CmdletErrorDetail(errorId, AutomationNamespace + name, ErrorCategory.InvalidArgument, parameter));
    }
}
