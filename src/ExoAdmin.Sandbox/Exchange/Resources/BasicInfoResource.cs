using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>GET …/basicinfo('AdminApiState'): the health ping behind Get-ConnectionInformation's State.</summary>
internal sealed class BasicInfoResource : IODataResource
{
    private const string AdminApiState = "AdminApiState";

    public string Name => "basicinfo";

    public string Method => HttpMethods.Get;

    public IReadOnlyList<ODataRoute> Routes { get; } = [new(keyed: true, "", ServeAsync, "basicinfo('AdminApiState')")];

    private static async Task ServeAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        if (!string.Equals(request.Target.Key, AdminApiState, StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound($"basicinfo('{request.Target.Key}')"));
        }

        // The entity set is named BasicInfo in the schema, whatever case the URL uses.
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl("BasicInfo/$entity"));
        writer.WriteString("PropertyName", AdminApiState);
        writer.WriteString("PropertyValue", "Running");
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }
}
