using System;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>Reads a single-entity or complex-value response, which is small, whole.</summary>
internal static class EntityReader
{
    public static async Task<byte[]> ReadAsync(ExoRestClient client, RestCall call, IOperationSink sink, CancellationToken cancellationToken)
    {
        byte[] body;
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.SendAsync(call, sink, cancellationToken).ConfigureAwait(false);
            try
            {
                body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && call.IsIdempotent && attempt < ODataPager.MaxBodyRetries)
            {
                // The headers were fine, the body broke off: a read is simply asked again (as the pager does for a page).
                sink.WriteVerbose($"{call.Method} {Redaction.PathAndQuery(call.Uri)}: the response broke off ({ex.Message}), request-id {ExoRestClient.RequestIdOf(response) ?? "-"}; asking again (retry {attempt + 1} of {ODataPager.MaxBodyRetries}).");
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw Failures.Connection($"Reading {call.Uri.AbsolutePath} failed: {ex.Message}", call.Uri.AbsolutePath, ex);
            }
        }

        if (body.Length > ODataPageReader.MaxItemBytes)
        {
            throw Failures.Protocol($"The response to {call.Uri.AbsolutePath} is larger than {ODataPageReader.MaxItemBytes / (1024 * 1024)} MiB; it was refused.", call.Uri.AbsolutePath);
        }

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
}
