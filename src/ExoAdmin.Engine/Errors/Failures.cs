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
}
