using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>The Exchange-side errors, with the texts and exception types Exchange Online uses.</summary>
internal static partial class ExchangeErrors
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

    public static ExchangeError MemberAlreadyExists(string member, string group)
    {
        const string name = "MemberAlreadyExistsException";
        return new ExchangeError(400, name,
            $"The recipient \"{member}\" is already a member of the group \"{group}\".",
            new CmdletErrorDetail(name, "Microsoft.Exchange.Management.Tasks." + name, ErrorCategory.ResourceExists, member));
    }

    public static ExchangeError MemberNotFound(string member, string group)
    {
        const string name = "MemberNotFoundException";
        return new ExchangeError(404, name,
            $"The recipient \"{member}\" isn't a member of the group \"{group}\".",
            new CmdletErrorDetail(name, "Microsoft.Exchange.Management.Tasks." + name, ErrorCategory.ObjectNotFound, member));
    }

    /// <summary>A parameter value the cmdlet refuses for this object (for example converting a room to a room).</summary>
    public static ExchangeError InvalidOperation(string message, string target)
    {
        const string name = "InvalidOperationException";
        return new ExchangeError(400, name, message,
            new CmdletErrorDetail(name, "System." + name, ErrorCategory.InvalidOperation, target));
    }

    /// <summary>The caller's role does not include the cmdlet (RBAC).</summary>
    public static ExchangeError AccessDenied(string cmdlet)
    {
        const string name = "AccessDeniedException";
        return new ExchangeError(403, name,
            $"The user or application isn't assigned a role that allows running '{cmdlet}'.",
            new CmdletErrorDetail(name, TasksNamespace + name, ErrorCategory.PermissionDenied, cmdlet));
    }

    /// <summary>A classic cmdlet's -Filter that does not parse, in Exchange's parameter-binding words.</summary>
    public static ExchangeError InvalidFilter(string filter, string reason) =>
        ParameterBinding("ParameterBindingFailed",
            $"Cannot bind parameter 'Filter' to the target. Exception setting \"Filter\": \"Invalid filter syntax. For a description of the filter parameter syntax see the command help. \"{filter}\": {reason}.\"", "Filter");

    public static ExchangeError BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>
    /// A next link older than its lifetime, or not made by this service (§18.4): 400 with the service's sentence,
    /// naming the lifetime as hh:mm:ss; for InvokeCommand in the §8.2 shape, with the server's exception type.
    /// </summary>
    public static ExchangeError ExpiredPageLink(TimeSpan lifetime, bool cmdlet)
    {
        var message = $"{PageLinks.ExpiredText} Default Expiry time is {(int)lifetime.TotalHours:00}:{lifetime.Minutes:00}:{lifetime.Seconds:00}";
        if (!cmdlet)
        {
            return BadRequest(message);
        }

        const string name = "InvalidPaginationRequestException";
        return new ExchangeError(400, name, message,
            new CmdletErrorDetail(name, "Microsoft.Exchange.Data.Storage." + name, ErrorCategory.InvalidOperation, null));
    }

    public static ExchangeError ResourceNotFound(string segment) => new(404, "NotFound", $"Resource not found for the segment '{segment}'.");

    public static ExchangeError MethodNotAllowed(string method, string resource) =>
        new(405, "MethodNotAllowed", $"The HTTP method '{method}' is not allowed on '{resource}'.");

    public static ExchangeError InvalidToken(string reason) => new(401, "invalid_token", reason);

    /// <summary>The tenant's request budget is used up (§8.1 shape; Retry-After and Rate-Limit-* go with it).</summary>
    public static ExchangeError TooManyRequests(int limit, int retryAfterSeconds) =>
        new(429, "TooManyRequests",
            $"The tenant has made more than {limit} requests in the current window. Please wait {retryAfterSeconds} seconds and try again.");

    internal static ExchangeError ParameterBinding(string errorId, string message, string parameter)
    {
        const string name = "ParameterBindingException";
        return new ExchangeError(400, name, message,
            new CmdletErrorDetail(errorId, AutomationNamespace + name, ErrorCategory.InvalidArgument, parameter));
    }
}
