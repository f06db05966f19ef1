using System;
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
        using var response = await client.SendAsync(call, sink, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
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
