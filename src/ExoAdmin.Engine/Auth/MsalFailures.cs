using System;
using System.Net.Http;
using ExoAdmin.Engine.Errors;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>Turns MSAL's exceptions into the module's sign-in errors, keeping the AADSTS code admins search for.</summary>
internal static class MsalFailures
{
    /// <param name="hint">What the admin can do instead, appended to the message when the cause is known.</param>
    public static ExoException Translate(Exception ex, string authority, object? target, string? hint = null)
    {
        var failure = Classify(ex, authority, target);
        return hint is null ? failure : new ExoException($"{failure.Message} {hint}", failure.ErrorId, failure.Category, failure.Target, ex);
    }

    /// <summary>Entra's codes for "multi-factor authentication is required" (AADSTS50076, 50079, 50158).</summary>
    public static bool RequiresMfa(MsalServiceException ex) =>
        ex.Message.Contains("AADSTS50076") || ex.Message.Contains("AADSTS50079") || ex.Message.Contains("AADSTS50158");

    private static ExoException Classify(Exception ex, string authority, object? target)
    {
        switch (ex)
        {
            case MsalServiceException service when service.StatusCode == 429 || service is MsalThrottledServiceException:
                return new ExoException(
                    $"The sign-in service is throttling requests{RetryAfter(service)}. {Describe(service)}",
                    "SignInThrottled", System.Management.Automation.ErrorCategory.LimitsExceeded, target, ex);
            case MsalServiceException service:
                return Failures.Authentication($"Sign-in failed ({service.ErrorCode}): {Describe(service)}", target, ex);
            case MsalClientException client when client.ErrorCode == MsalError.AuthenticationCanceledError:
                return Failures.Authentication("Sign-in was cancelled before it completed.", target, ex);
            case MsalClientException client:
                return Failures.Authentication($"Sign-in failed: {client.Message}", target, ex);
            case HttpRequestException http:
                return Failures.Connection($"Could not reach the sign-in endpoint {authority}: {http.Message}", authority, ex);
            default:
                return Failures.Authentication($"Sign-in failed: {ex.Message}", target, ex);
        }
    }

    /// <summary>Entra's description starts with the AADSTS code; its trace and correlation lines are dropped.</summary>
    public static string Describe(MsalServiceException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf("Trace ID:", StringComparison.Ordinal);
        return cut > 0 ? message.Substring(0, cut).TrimEnd() : message;
    }

    private static string RetryAfter(MsalServiceException ex)
    {
        var delta = ex.Headers?.RetryAfter?.Delta;
        return delta is null ? string.Empty : $" (retry after {delta.Value.TotalSeconds:0} s)";
    }
}
