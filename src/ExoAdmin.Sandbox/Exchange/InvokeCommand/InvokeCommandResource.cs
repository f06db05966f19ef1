using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// POST …/InvokeCommand with {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}: runs a classic cmdlet and
/// answers a page of Exchange.GenericHashTable objects in JSON. The next page is the same body POSTed to
/// @odata.nextLink. Every change a cmdlet applies (any verb but Get) is recorded in the <see cref="Control.AuditLog"/>.
/// </summary>
internal sealed class InvokeCommandResource(IEnumerable<ICmdlet> cmdlets, ServiceCatalogues catalogues, Hosting.SandboxOptions options, Control.AuditLog audit) : IExchangeResource
{
    private readonly Dictionary<string, ICmdlet> _cmdlets = cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public string Name => "InvokeCommand";

    public string Method => HttpMethods.Post;

    public async Task HandleAsync(ExchangeRequest request)
    {
        if (request.Target.Key is not null || request.Target.Remainder.Length > 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(request.Target.Resource + request.Target.Remainder));
        }

        if (request.Http.Request.Headers["X-ResponseFormat"].ToString().Equals("clixml", StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("The sandbox answers InvokeCommand in JSON only; send X-ResponseFormat: json."));
        }

        request.RejectUnsupportedOptions([ODataQuery.SkipToken], []);
        using var body = await ReadBodyAsync(request.Http.Request);
        var (cmdletName, parameters) = ReadCmdletInput(body.RootElement);
        var entry = catalogues.For(request).Find(cmdletName) ?? throw new ExchangeErrorException(ExchangeErrors.CommandNotFound(cmdletName));
        if (ManagementRoles.Grant(options.RoleOf(request.Tenant), entry) is null)
        {
            throw new ExchangeErrorException(ExchangeErrors.AccessDenied(entry.Name));
        }

        var cmdlet = _cmdlets.GetValueOrDefault(cmdletName) ?? throw new ExchangeErrorException(ExchangeErrors.CommandNotFound(cmdletName));

        var start = request.Continuation;
        var pageSize = PageSize.Negotiate(request.Http);
        var result = cmdlet.Invoke(new CmdletContext(request.Tenant, CmdletParameters.Bind(cmdlet, parameters), start));
        if (ManagementRoles.ChangesState(cmdlet.Name))
        {
            // Invoke returned, so the change is applied (cmdlets validate and resolve before they change anything).
            audit.Record(request.Http, request.Tenant, cmdlet.Name, parameters);
        }

        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl("Collection(Exchange.GenericHashTable)"));
        var (written, next) = await PageWriter.WriteValueAsync(writer, request.Response, result.Output, pageSize, (w, output) => output.WriteTo(w));
        if (next is not null)
        {
            writer.WriteString("@odata.nextLink", request.NextLink(new ContinuationToken(next.Ordinal, start.Returned + written)));
        }

        if (result.Warnings.Count > 0)
        {
            writer.WriteStartArray("@adminapi.warnings");
            result.Warnings.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }

    /// <summary>The request's JSON body (InvokeCommand's envelope, or a $batch of them); not JSON is a 400.</summary>
    internal static async Task<JsonDocument> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("The request body is not valid JSON."));
        }
    }

    private static (string CmdletName, JsonElement? Parameters) ReadCmdletInput(JsonElement body)
    {
        if (body.ValueKind == JsonValueKind.Object
            && body.TryGetProperty("CmdletInput", out var input) && input.ValueKind == JsonValueKind.Object
            && input.TryGetProperty("CmdletName", out var name) && name.ValueKind == JsonValueKind.String)
        {
            return (name.GetString()!, input.TryGetProperty("Parameters", out var parameters) ? parameters : null);
        }

        throw new ExchangeErrorException(ExchangeErrors.BadRequest("The body must be {\"CmdletInput\":{\"CmdletName\":\"…\",\"Parameters\":{…}}}."));
    }
}
