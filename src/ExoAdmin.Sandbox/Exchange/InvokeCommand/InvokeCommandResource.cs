using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// POST …/InvokeCommand with {"CmdletInput":{"CmdletName":…,"Parameters":{…}}}: any cmdlet of this listener's
/// catalogue the caller's role grants, its parameters bound against the catalogue (<see cref="CmdletBinder"/>), run by
/// the class that models it, answered with a page of Exchange.GenericHashTable objects in JSON; the next page is the
/// same body POSTed to @odata.nextLink. A change with Confirm=true is only planned and answered with
/// @adminapi.confirmationmessage (§5.2); a change that is applied is recorded in the <see cref="Control.AuditLog"/>.
/// A cmdlet the sandbox does not model reads nothing and refuses to change anything.
/// </summary>
internal sealed class InvokeCommandResource(
    ModelledCmdlets cmdlets, ServiceCatalogues catalogues, Resources.ModuleKeys keys, Control.ServiceBehaviour behaviour, Control.AuditLog audit) : IExchangeResource
{
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
        var tenant = request.Tenant.Tenant;
        request.Response.Headers["X-CalculatedBETarget"] = $"{tenant.Forest}MB0001.{tenant.Forest}.PROD.OUTLOOK.COM".ToLowerInvariant();
        using var body = await ReadBodyAsync(request.Http.Request);
        var (cmdletName, json) = ReadCmdletInput(body.RootElement);
        var entry = catalogues.For(request).Find(cmdletName) ?? throw new ExchangeErrorException(ExchangeErrors.CommandNotFound(cmdletName));
        var granted = ManagementRoles.Grant(behaviour.Current.RoleOf(request.Tenant), entry) ?? throw new ExchangeErrorException(ExchangeErrors.AccessDenied(entry.Name));
        var parameters = CmdletBinder.Bind(granted, json, keys);
        var start = request.Continuation;
        var context = new CmdletContext(request.Tenant, parameters, start);

        CmdletResult result;
        switch (cmdlets.Find(entry.Name))
        {
            case IChangeCmdlet change:
                var plan = change.Plan(context);
                if (parameters.IsConfirmationProbe)
                {
                    await WriteConfirmationAsync(request, plan.ConfirmationMessage);
                    return;
                }

                result = plan.Apply();
                audit.Record(request.Http, request.Tenant, entry.Name, json, parameters.SecretNames);
                break;
            case IReadCmdlet read:
                result = read.Invoke(context);
                break;
            default:
                result = ManagementRoles.ChangesState(entry.Name)
                    ? throw new ExchangeErrorException(ExchangeErrors.NotModelled(entry.Name))
                    : CmdletResult.Of([]);
                break;
        }

        var pageSize = PageSize.Negotiate(request.Http);
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

    /// <summary>The answer to the Confirm=true probe: no objects, and what the change would do.</summary>
    private static async Task WriteConfirmationAsync(ExchangeRequest request, string message)
    {
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl("Collection(Exchange.GenericHashTable)"));
        writer.WriteStartArray("value");
        writer.WriteEndArray();
        writer.WriteString("@adminapi.confirmationmessage", message);
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
