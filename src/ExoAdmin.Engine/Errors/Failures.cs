using System;
using System.Management.Automation;

namespace ExoAdmin.Engine.Errors;

/// <summary>The errors the engine raises itself, in one place so their ids and texts stay consistent.</summary>
public static class Failures
{
    public static ExoException NotConnected(string? prefix) => new(
        string.IsNullOrEmpty(prefix)
            ? "You must call the Connect-ExchangeOnline cmdlet before calling any other cmdlets."
            : $"There is no connection with the prefix '{prefix}'. Call Connect-ExchangeOnline -Prefix {prefix} first.",
        "NotConnected", ErrorCategory.InvalidOperation, prefix);

    public static ExoException NotConnectedToCompliance(string? prefix) => new(
        string.IsNullOrEmpty(prefix)
            ? "You must call the Connect-IPPSSession cmdlet before calling Security & Compliance cmdlets."
            : $"There is no Security & Compliance connection with the prefix '{prefix}'. Call Connect-IPPSSession -Prefix {prefix} first.",
        "NotConnected", ErrorCategory.InvalidOperation, prefix);

    public static ExoException InvalidArgument(string message, string errorId, object? target, Exception? inner = null) =>
        new(message, errorId, ErrorCategory.InvalidArgument, target, inner);

    public static ExoException Authentication(string message, object? target, Exception? inner = null) =>
        new(message, "AuthenticationFailed", ErrorCategory.AuthenticationError, target, inner);

    public static ExoException Protocol(string message, object? target, Exception? inner = null) =>
        new(message, "InvalidServiceResponse", ErrorCategory.ProtocolError, target, inner);

    public static ExoException Connection(string message, object? target, Exception? inner = null) =>
        new(message, "ConnectionFailed", ErrorCategory.ConnectionError, target, inner);

    public static ExoException Timeout(string message, object? target, Exception? inner = null) =>
        new(message, "OperationTimedOut", ErrorCategory.OperationTimeout, target, inner);

    /// <summary>The connection was closed (Disconnect-ExchangeOnline, Remove-Module) under a request, or before it.</summary>
    public static ExoException ConnectionClosed(string tenant, string request, string? requestId, Exception? inner = null) => new(
        $"The connection to {tenant} was closed (Disconnect-ExchangeOnline or Remove-Module) while {request} was running{(requestId is null ? string.Empty : $" (request-id {requestId})")}; it was stopped. Connect again to run the command.",
        "ExoConnectionClosed", ErrorCategory.ResourceUnavailable, request, inner);

    /// <summary>The connection's circuit is open: the tenant's service kept failing, so nothing is sent until it may be tried again.</summary>
    public static ExoException CircuitOpen(string tenant, TimeSpan? retryAfter, DateTimeOffset now, Exception? inner = null)
    {
        var wait = retryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.Zero;
        var at = now + wait;
        return new ExoException(
            string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "The Exchange Online service for {0} keeps failing, so ExoAdmin has stopped sending it requests on this connection. It will try again after {1:HH:mm:ss} UTC (in {2:0} s); run the command again then.",
                tenant,
                at.UtcDateTime,
                Math.Ceiling(wait.TotalSeconds)),
            "ExoCircuitOpen",
            ErrorCategory.ResourceUnavailable,
            tenant,
            inner);
    }
}

/// <summary>
/// A change was sent and the answer was lost (timeout after sending, connection cut, a server error, an answer cut
/// short): the service may or may not have applied it. It is not sent again, so it is never applied twice; the
/// error names the cmdlet and the object so the admin can check. It concerns one pipeline item: non-terminating.
/// </summary>
public sealed class ExoChangeOutcomeUnknownException : ExoException
{
    public const string Id = "ExoChangeOutcomeUnknown";

    public ExoChangeOutcomeUnknownException(string cmdletName, string? identity, string what, ErrorCategory category, string? requestId, Exception? inner = null)
        : base(Describe(cmdletName, identity, what, requestId), Id, category, identity ?? cmdletName, inner)
    {
        CmdletName = cmdletName;
        Identity = identity;
        RequestId = requestId;
    }

    public string CmdletName { get; }

    public string? Identity { get; }

    public string? RequestId { get; }

    private static string Describe(string cmdletName, string? identity, string what, string? requestId) => string.Format(
        System.Globalization.CultureInfo.InvariantCulture,
        "The outcome of {0}{1} is unknown: {2}. The change may or may not have been applied; it was not sent again, so that it cannot be applied twice. Check {3} before running the command for it again.{4}",
        cmdletName,
        identity is null ? string.Empty : $" on '{identity}'",
        what,
        identity is null ? "the object" : $"'{identity}'",
        requestId is null ? string.Empty : $" (request-id {requestId})");
}
