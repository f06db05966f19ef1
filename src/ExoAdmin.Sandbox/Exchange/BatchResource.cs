using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// POST {CU}/adminapi/beta/{tenant}/$batch (protocol §16): up to 10 requests in one JSON body,
/// <c>{"requests":[{"id","method","url","headers","body"}]}</c>, answered with <c>{"responses":[{"id","status","headers","body"}]}</c>.
/// Each sub-request runs through the same path as a request of its own (<see cref="ExchangeApi.HandleInnerAsync"/>): the
/// token checked for the tenant in its URL, RBAC for InvokeCommand, the resource's own paging (a sub-response's
/// <c>@odata.nextLink</c> is fetched by a later batch item with that URL and the same body) and the §8.2 error shape
/// in <c>body.error</c>. Sub-requests run in order, one after another, without the per-request latency (the batch
/// pays it once). With <c>Prefer: odata.continue-on-error</c> every item runs; without it the batch stops after the
/// first failed item and the later ones are left out of the answer.
/// </summary>
internal sealed class BatchResource(IServiceProvider services) : IExchangeResource
{
    public const int MaxRequests = 10;

    private static readonly HashSet<string> NotInherited = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Content-Type", "Prefer", "Accept-Encoding", "Transfer-Encoding", "Expect", "Connection",
    };

    public string Name => "$batch";

    public string Method => HttpMethods.Post;

    public async Task HandleAsync(ExchangeRequest request)
    {
        if (request.Target.Key is not null || request.Target.Remainder.Length > 0 || request.Query.Names.Any())
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("$batch takes no key, path or query options."));
        }

        using var document = await InvokeCommand.InvokeCommandResource.ReadBodyAsync(request.Http.Request);
        var items = ReadRequests(document.RootElement);
        var continueOnError = request.Http.Request.Headers["Prefer"].ToString().Contains("continue-on-error", StringComparison.OrdinalIgnoreCase);
        var exchange = services.GetRequiredService<ExchangeApi>();
        var batchUri = new Uri($"{request.Http.Request.Scheme}://{request.Http.Request.Host}{request.Target.RawPrefix}/");

        var writer = JsonResponse.Begin(request.Response);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("responses");
            foreach (var item in items)
            {
                var status = await RunAsync(exchange, request.Http, batchUri, item, writer);
                if (status >= 400 && !continueOnError)
                {
                    break;
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await JsonResponse.EndAsync(writer, request.Response);
        }
    }

    /// <summary>Runs one item as a request of its own and writes its response object; returns its status.</summary>
    private static async Task<int> RunAsync(ExchangeApi exchange, HttpContext outer, Uri batchUri, BatchItem item, Utf8JsonWriter writer)
    {
        var inner = new DefaultHttpContext { RequestServices = outer.RequestServices };
        inner.RequestAborted = outer.RequestAborted;
        var responseBody = new MemoryStream();
        inner.Response.Body = responseBody;
        int status;
        if (!Uri.TryCreate(batchUri, item.Url, out var target) || Uri.Compare(target, batchUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            await ExchangeErrors.BadRequest($"The URL '{item.Url}' of batch request '{item.Id}' is not on this service.").WriteAsync(inner.Response);
        }
        else if (target.AbsolutePath.EndsWith("/$batch", StringComparison.OrdinalIgnoreCase))
        {
            await ExchangeErrors.BadRequest($"Batch request '{item.Id}' is itself a $batch; batches do not nest.").WriteAsync(inner.Response);
        }
        else
        {
            var http = inner.Request;
            http.Method = item.Method;
            http.Scheme = target.Scheme;
            http.Host = new HostString(target.Authority);
            http.Path = new PathString(Uri.UnescapeDataString(target.AbsolutePath));
            http.QueryString = new QueryString(target.Query);
            inner.Features.Get<IHttpRequestFeature>()!.RawTarget = target.PathAndQuery;

            // The batch's own credentials and routing headers apply to every item; the item's headers come on top.
            foreach (var header in outer.Request.Headers.Where(h => !NotInherited.Contains(h.Key)))
            {
                http.Headers[header.Key] = header.Value;
            }

            foreach (var header in item.Headers)
            {
                http.Headers[header.Key] = header.Value;
            }

            if (item.Body is { } body)
            {
                var bytes = Encoding.UTF8.GetBytes(body);
                http.Body = new MemoryStream(bytes);
                http.ContentLength = bytes.Length;
                http.ContentType ??= "application/json";
                if (item.CmdletName is { } cmdlet)
                {
                    inner.Response.Headers["Cmdlet-Name"] = cmdlet; // §8.2: batch responses name the cmdlet
                }
            }

            await exchange.HandleInnerAsync(inner);
        }

        await inner.Response.BodyWriter.FlushAsync(outer.RequestAborted);
        status = inner.Response.StatusCode;
        writer.WriteStartObject();
        writer.WriteString("id", item.Id);
        writer.WriteNumber("status", status);
        writer.WriteStartObject("headers");
        foreach (var header in inner.Response.Headers)
        {
            writer.WriteString(header.Key, header.Value.ToString());
        }

        writer.WriteEndObject();
        if (responseBody.Length > 0)
        {
            writer.WritePropertyName("body");
            var bytes = responseBody.GetBuffer().AsSpan(0, (int)responseBody.Length);
            try
            {
                writer.WriteRawValue(bytes, skipInputValidation: false);
            }
            catch (JsonException)
            {
                writer.WriteStringValue(Encoding.UTF8.GetString(bytes));
            }
        }

        writer.WriteEndObject();
        return status;
    }

    private static List<BatchItem> ReadRequests(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("The body must be {\"requests\":[{\"id\":…,\"method\":…,\"url\":…}, …]}."));
        }

        var count = requests.GetArrayLength();
        if (count is 0 or > MaxRequests)
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest($"A batch holds 1 to {MaxRequests} requests; {count} were sent."));
        }

        var items = new List<BatchItem>(count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests.EnumerateArray())
        {
            var id = Text(request, "id");
            var method = Text(request, "method");
            var url = Text(request, "url");
            if (id is null || method is null || url is null)
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest("Every batch request needs an id, a method and a url."));
            }

            if (!ids.Add(id))
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The batch request id '{id}' is used twice."));
            }

            if (request.TryGetProperty("dependsOn", out _) || request.TryGetProperty("atomicityGroup", out _))
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"Batch request '{id}': dependsOn and atomicityGroup are not supported by the sandbox."));
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (request.TryGetProperty("headers", out var given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in given.EnumerateObject())
                {
                    headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString()! : header.Value.GetRawText();
                }
            }

            string? body = null, cmdletName = null;
            if (request.TryGetProperty("body", out var content) && content.ValueKind != JsonValueKind.Null)
            {
                body = content.ValueKind == JsonValueKind.String ? content.GetString() : content.GetRawText();
                if (content.ValueKind == JsonValueKind.Object && content.TryGetProperty("CmdletInput", out var input)
                    && input.ValueKind == JsonValueKind.Object && input.TryGetProperty("CmdletName", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    cmdletName = name.GetString();
                }
            }

            items.Add(new BatchItem(id, method.ToUpperInvariant(), url, headers, body, cmdletName));
        }

        return items;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private sealed record BatchItem(string Id, string Method, string Url, Dictionary<string, string> Headers, string? Body, string? CmdletName);
}
