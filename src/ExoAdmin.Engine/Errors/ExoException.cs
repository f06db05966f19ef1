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

    public ErrorRecord ToErrorRecord() => new(this, ErrorId, Category, Target);
}

/// <summary>The service answered with an error status.</summary>
public sealed class ExoServiceException : ExoException
{
    public ExoServiceException(string message, string errorId, ErrorCategory category, object? target, int statusCode, string? requestId)
        : base(message, errorId, category, target)
    {
        StatusCode = statusCode;
        RequestId = requestId;
    }

    public int StatusCode { get; }

    public string? RequestId { get; }
}
