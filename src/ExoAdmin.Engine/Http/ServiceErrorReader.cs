using System;
using System.Management.Automation;
using System.Text.Json;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http;

/// <summary>
/// Turns an error response into an ExoServiceException. The service's OData error carries
/// details[0].message = "ErrorId|ExceptionClass|Message" and details[0].code = an ErrorCategory
/// number (protocol notes §8.2). The category comes from the exception type (ServiceExceptionTypes), else
/// from that number, else from the HTTP status.
/// </summary>
internal static class ServiceErrorReader
{
    public static ExoServiceException Read(int status, string? body, string? requestId, object? target, string? exceptionTypeHeader = null, string? server = null, string? timestamp = null)
    {
        string? message = null;
        string? exceptionType = exceptionTypeHeader;
        string? errorId = null;
        ErrorCategory? category = null;
        object? detailTarget = null;

        if (!string.IsNullOrWhiteSpace(body) && body!.TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    message = GetString(error, "message");
                    errorId = GetString(error, "code");
                    if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array && details.GetArrayLength() > 0)
                    {
                        var first = details[0];
                        var parts = (GetString(first, "message") ?? string.Empty).Split(new[] { '|' }, 3);
                        if (parts.Length == 3)
                        {
                            errorId = parts[0];
                            exceptionType = string.IsNullOrWhiteSpace(parts[1]) ? exceptionType : parts[1];
                            message = parts[2];
                        }

                        if (int.TryParse(GetString(first, "code"), out var number) && Enum.IsDefined(typeof(ErrorCategory), number))
                        {
                            category = (ErrorCategory)number;
                        }

                        detailTarget = GetString(first, "target");
                    }
                }
            }
            catch (JsonException)
            {
                // Not the OData error shape: fall through to the status-based message.
            }
        }

        message ??= $"The service answered HTTP {status} without an error description.";
        if (!string.IsNullOrEmpty(requestId))
        {
            message += $" (request-id {requestId})";
        }

        return new ExoServiceException(
            message,
            errorId ?? $"Http{status}",
            ServiceExceptionTypes.CategoryOf(exceptionType) ?? category ?? CategoryFor(status),
            target ?? detailTarget,
            status,
            requestId,
            exceptionType,
            server,
            timestamp);
    }

    internal static ErrorCategory CategoryFor(int status) => status switch
    {
        400 => ErrorCategory.InvalidArgument,
        401 => ErrorCategory.AuthenticationError,
        403 => ErrorCategory.PermissionDenied,
        404 => ErrorCategory.ObjectNotFound,
        409 => ErrorCategory.ResourceExists,
        429 => ErrorCategory.LimitsExceeded,
        _ when status >= 500 => ErrorCategory.ConnectionError,
        _ => ErrorCategory.ProtocolError,
    };

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
