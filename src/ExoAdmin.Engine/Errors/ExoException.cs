using System;
using System.Management.Automation;

namespace ExoAdmin.Engine.Errors;

/// <summary>
/// A failure that stops the current operation, carrying the ErrorRecord PowerShell should show:
/// category, error id and target are chosen where the failure is understood, not at the top.
/// </summary>
public class ExoException : Exception
{
    public ExoException(string message, string errorId, ErrorCategory category, object? target, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorCategory Category { get; }

    public object? Target { get; }

    public virtual ErrorRecord ToErrorRecord() => new(this, ErrorId, Category, Target);
}

/// <summary>The service answered with an error status.</summary>
public sealed class ExoServiceException : ExoException
{
    public ExoServiceException(
        string message,
        string errorId,
        ErrorCategory category,
        object? target,
        int statusCode,
        string? requestId,
        string? exceptionType = null,
        string? server = null,
        string? timestamp = null)
        : base(message, errorId, category, target)
    {
        StatusCode = statusCode;
        RequestId = requestId;
        ExceptionType = exceptionType;
        Server = server;
        Timestamp = timestamp;
    }

    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The server's exception type, as it named it (§8.2: "…Tasks.ManagementObjectNotFoundException"); null when it named none.</summary>
    public string? ExceptionType { get; }

    /// <summary>The back-end server that answered (X-CalculatedBETarget, up to its first dot).</summary>
    public string? Server { get; }

    /// <summary>When it answered (the Date header, as sent).</summary>
    public string? Timestamp { get; }

    /// <summary>The same error about another object (the item's identity, when the service named none).</summary>
    public ExoServiceException About(object? target) =>
        new(Message, ErrorId, Category, target, StatusCode, RequestId, ExceptionType, Server, Timestamp);

    /// <summary>
    /// The error as a classic cmdlet reports it (§8.2, §18.4): ErrorId "&lt;code&gt;[Server=…,RequestId=…,TimeStamp=…]", to
    /// which PowerShell appends ",&lt;command&gt;"; so scripts that match the code at the start keep working.
    /// </summary>
    public ExoServiceException AsCmdletError(object? target)
    {
        var errorId = $"{ErrorId}[Server={Server},RequestId={RequestId},TimeStamp={Timestamp}]";
        return new ExoServiceException(Message, errorId, Category, Target ?? target, StatusCode, RequestId, ExceptionType, Server, Timestamp);
    }

    /// <summary>CategoryInfo.Reason is the server's exception type, as the real module shows it.</summary>
    public override ErrorRecord ToErrorRecord()
    {
        var record = base.ToErrorRecord();
        if (ExceptionType is not null)
        {
            record.CategoryInfo.Reason = ServiceExceptionTypes.ShortName(ExceptionType);
        }

        return record;
    }
}
