using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>PowerShell's ErrorCategory values that Exchange errors carry (as a number in details[0].code).</summary>
internal enum ErrorCategory
{
    InvalidArgument = 5,
    InvalidOperation = 7,
    NotImplemented = 11,
    ObjectNotFound = 13,
    PermissionDenied = 18,
    ResourceExists = 20,
}

/// <summary>The cmdlet-error part of an Exchange error: what the protocol's section 8.2 puts in "details" and "innererror".</summary>
/// <param name="ErrorId">First part of details[0].message ("ErrorId|ExceptionType|Message").</param>
/// <param name="ExceptionType">The full .NET type name of the server-side exception.</param>
/// <param name="Target">The object the error is about (TargetName).</param>
internal sealed record CmdletErrorDetail(string ErrorId, string ExceptionType, ErrorCategory Category, string? Target);

/// <summary>An OData error response of the Exchange side.</summary>
/// <param name="Code">error.code; for cmdlet errors the short exception name, also sent as x-ExceptionType.</param>
internal sealed record ExchangeError(int Status, string Code, string Message, CmdletErrorDetail? Detail = null)
{
    public async Task WriteAsync(HttpResponse response)
    {
        if (Detail is not null)
        {
            response.Headers["x-ExceptionType"] = Code;
        }

        using var writer = JsonResponse.Begin(response, Status);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("code", Code);
        writer.WriteString("message", Message);
        if (Detail is { } detail)
        {
            writer.WriteStartArray("details");
            writer.WriteStartObject();
            writer.WriteString("code", ((int)detail.Category).ToString(CultureInfo.InvariantCulture));
            writer.WriteString("message", $"{detail.ErrorId}|{detail.ExceptionType}|{Message}");
            writer.WriteString("target", detail.Target);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("innererror");
            writer.WriteString("message", Message);
            writer.WriteString("type", detail.ExceptionType);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, response);
    }
}

/// <summary>Ends an Exchange request with an error response; caught by <see cref="ExchangeApi"/>.</summary>
internal sealed class ExchangeErrorException(ExchangeError error) : Exception(error.Message)
{
    public ExchangeError Error { get; } = error;
}
