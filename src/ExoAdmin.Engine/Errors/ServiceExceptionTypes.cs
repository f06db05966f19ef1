using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace ExoAdmin.Engine.Errors;

/// <summary>
/// What the service's exception types mean to PowerShell (§8.2, §18.4): the one table that gives a service error its
/// ErrorCategory. The service names the type in the error detail ("Ex94914C|Microsoft.Exchange.Configuration.Tasks.
/// ManagementObjectNotFoundException|Couldn't find object…") and in the x-ExceptionType header; scripts test
/// CategoryInfo.Category and CategoryInfo.Reason (the type's short name), so both come from here.
/// </summary>
public static class ServiceExceptionTypes
{
    private static readonly Dictionary<string, ErrorCategory> Categories = new(StringComparer.OrdinalIgnoreCase)
    {
        // The object named is not there.
        ["ManagementObjectNotFoundException"] = ErrorCategory.ObjectNotFound,
        ["MailboxUserNotFoundException"] = ErrorCategory.ObjectNotFound,
        ["RecipientNotFoundException"] = ErrorCategory.ObjectNotFound,
        ["MemberNotFoundException"] = ErrorCategory.ObjectNotFound,
        ["ObjectNotFoundException"] = ErrorCategory.ObjectNotFound,
        ["MailboxFolderNotFoundException"] = ErrorCategory.ObjectNotFound,

        // It is there already.
        ["MemberAlreadyExistsException"] = ErrorCategory.ResourceExists,
        ["ADObjectAlreadyExistsException"] = ErrorCategory.ResourceExists,
        ["ManagementObjectAlreadyExistsException"] = ErrorCategory.ResourceExists,
        ["ProxyAddressExistsException"] = ErrorCategory.ResourceExists,
        ["WLCDManagedMemberExistsException"] = ErrorCategory.ResourceExists,

        // The name fits several objects.
        ["ManagementObjectAmbiguousException"] = ErrorCategory.InvalidArgument,

        // The parameters do not bind or do not make sense together.
        ["ParameterBindingException"] = ErrorCategory.InvalidArgument,
        ["ArgumentException"] = ErrorCategory.InvalidArgument,
        ["ArgumentNullException"] = ErrorCategory.InvalidArgument,
        ["ArgumentOutOfRangeException"] = ErrorCategory.InvalidArgument,
        ["TaskArgumentException"] = ErrorCategory.InvalidArgument,
        ["RecipientTaskException"] = ErrorCategory.InvalidOperation,
        ["DataValidationException"] = ErrorCategory.InvalidData,
        ["PropertyValidationException"] = ErrorCategory.InvalidData,
        ["ValidationArgumentException"] = ErrorCategory.InvalidData,
        ["InvalidOperationException"] = ErrorCategory.InvalidOperation,
        ["TaskInvalidOperationException"] = ErrorCategory.InvalidOperation,
        ["NotSupportedException"] = ErrorCategory.NotImplemented,
        ["CmdletNotModelledException"] = ErrorCategory.NotImplemented,

        // The caller may not.
        ["AccessDeniedException"] = ErrorCategory.PermissionDenied,
        ["CmdletAccessDeniedException"] = ErrorCategory.PermissionDenied,
        ["UnauthorizedAccessException"] = ErrorCategory.PermissionDenied,
        ["OperationRequiresGroupManagerException"] = ErrorCategory.PermissionDenied,

        // The service is busy or a limit is reached.
        ["ThrottlingException"] = ErrorCategory.LimitsExceeded,
        ["OverBudgetException"] = ErrorCategory.LimitsExceeded,
        ["InvalidPaginationRequestException"] = ErrorCategory.InvalidOperation,
    };

    /// <summary>The short name of an exception type as the service writes it ("…Tasks.ManagementObjectNotFoundException" → "ManagementObjectNotFoundException").</summary>
    public static string ShortName(string exceptionType)
    {
        var trimmed = exceptionType.Trim();
        var dot = trimmed.LastIndexOf('.');
        return dot < 0 ? trimmed : trimmed.Substring(dot + 1);
    }

    /// <summary>The category of a service exception type, by its short name; null when the table does not know it.</summary>
    public static ErrorCategory? CategoryOf(string? exceptionType) =>
        string.IsNullOrWhiteSpace(exceptionType) ? null
        : Categories.TryGetValue(ShortName(exceptionType!), out var category) ? category
        : null;
}
