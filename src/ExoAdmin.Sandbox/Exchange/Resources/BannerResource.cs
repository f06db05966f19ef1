using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>GET …/EXOBanner('AutogenSession')?Version=…: the text Connect-ExchangeOnline prints on connect.</summary>
internal sealed class BannerResource : IExchangeResource
{
    public string Name => "EXOBanner";

    public string Method => HttpMethods.Get;

    public async Task HandleAsync(ExchangeRequest request)
    {
        if (request.Target.Key is not { Length: > 0 } sessionType || request.Target.Remainder.Length > 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound("EXOBanner"));
        }

        // Plain JSON, not an OData payload: the client reads only these two properties.
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("sessionType", sessionType);
        writer.WriteString("moduleBannerContent",
            $"This is the ExoAdmin sandbox, not Exchange Online: tenant {request.Tenant.Domain} holds seeded test data only.");
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }
}
