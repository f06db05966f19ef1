using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>GET …/basicinfo('AdminApiState'): the health ping behind Get-ConnectionInformation's State.</summary>
internal sealed class BasicInfoResource : IExchangeResource
{
    private const string AdminApiState = "AdminApiState";

    public string Name => "basicinfo";

    public string Method => HttpMethods.Get;

    public async Task HandleAsync(ExchangeRequest request)
    {
        if (!string.Equals(request.Target.Key, AdminApiState, StringComparison.OrdinalIgnoreCase) || request.Target.Remainder.Length > 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound($"basicinfo('{request.Target.Key}')"));
        }

        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl("BasicInfo/$entity"));
        writer.WriteString("PropertyName", AdminApiState);
        writer.WriteString("PropertyValue", "Running");
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }
}
