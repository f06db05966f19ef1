using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Streams OData JSON straight into the response pipe with Utf8JsonWriter, flushing as it goes, so a page of
/// 1,000 large entities never sits in memory as objects or as one buffer.
/// </summary>
internal static class JsonResponse
{
    private const int FlushThreshold = 32 * 1024;

    /// <summary>The content type of the service's OData answers.</summary>
    internal const string ODataContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

    public static Utf8JsonWriter Begin(HttpResponse response, int statusCode = StatusCodes.Status200OK)
    {
        response.StatusCode = statusCode;
        response.ContentType = ODataContentType;
        response.Headers["OData-Version"] = "4.0";
        return new Utf8JsonWriter(response.BodyWriter, JsonDefaults.WriterOptions);
    }

    /// <summary>Sends what has been written once enough has accumulated.</summary>
    public static async ValueTask FlushWhenFullAsync(Utf8JsonWriter writer, HttpResponse response)
    {
        if (writer.BytesPending >= FlushThreshold)
        {
            writer.Flush();
            await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
        }
    }

    public static async Task EndAsync(Utf8JsonWriter writer, HttpResponse response)
    {
        writer.Flush();
        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted);
    }
}
