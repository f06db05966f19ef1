using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// Reads a single-entity or complex-value response (an entity, statistics, the banner, the ping, the module file) whole,
/// within its byte cap and the body timeouts. A read whose body breaks off is asked again, as the pager does for a page.
/// </summary>
internal static class EntityReader
{
    /// <summary>An OData entity: the response must be a JSON object with @odata.context.</summary>
    public static async Task<byte[]> ReadAsync(ExoRestClient client, RestCall call, IOperationSink sink, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(client, call, sink, BodyLimits.EntityBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("@odata.context", out _))
            {
                throw Failures.Protocol($"The response to {call.Uri.AbsolutePath} has no @odata.context, so it is not a valid OData payload.", call.Uri.AbsolutePath);
            }
        }
        catch (JsonException ex)
        {
            throw Failures.Protocol($"The response to {call.Uri.AbsolutePath} is not valid JSON: {ex.Message}", call.Uri.AbsolutePath, ex);
        }

        return body;
    }

    /// <summary>A JSON body of any shape (the connect-time documents), within <paramref name="maxBytes"/>.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(ExoRestClient client, RestCall call, IOperationSink? sink, long maxBytes, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(client, call, sink, maxBytes, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw Failures.Protocol($"The response to {call.Uri.AbsolutePath} is not valid JSON: {ex.Message}", call.Uri.AbsolutePath, ex);
        }
    }

    /// <summary>A body of any shape, read whole within <paramref name="maxBytes"/>; a read whose body breaks off is asked again.</summary>
    public static async Task<byte[]> ReadBodyAsync(ExoRestClient client, RestCall call, IOperationSink? sink, long maxBytes, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.SendAsync(call, sink, cancellationToken).ConfigureAwait(false);
            var requestId = ExoRestClient.RequestIdOf(response);
            try
            {
                return await BoundedBody.ReadAllAsync(response.Content, BodyLimits.Whole(maxBytes, client.Settings), client.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && call.IsIdempotent && attempt < ODataPager.MaxBodyRetries && ex is not ResponseBodyException { IsTransient: false })
            {
                // The headers were fine, the body broke off: a read is simply asked again (as the pager does for a page).
                sink?.WriteVerbose($"{call.Method} {Redaction.PathAndQuery(call.Uri)}: the response broke off ({ex.Message}), request-id {requestId ?? "-"}; asking again (retry {attempt + 1} of {ODataPager.MaxBodyRetries}).");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException && client.IsClosed)
            {
                throw Failures.ConnectionClosed(client.Tenant ?? client.BaseUri.Host, call.Description, requestId, ex);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                var message = $"Reading {call.Uri.AbsolutePath} failed: {ex.Message} (request-id {requestId ?? "-"}).";
                throw ex is ResponseBodyException ? Failures.Protocol(message, call.Uri.AbsolutePath, ex) : Failures.Connection(message, call.Uri.AbsolutePath, ex);
            }
        }
    }
}
