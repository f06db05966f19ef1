namespace ExoAdmin.Sandbox.Exchange;

/// <summary>Writes small, fully known results (a mailbox's permissions, folders, devices) as OData JSON.</summary>
internal static class CollectionWriter
{
    /// <summary>A collection with @odata.context "…$metadata#{fragment}", paged by Prefer: odata.maxpagesize.</summary>
    public static async Task WriteAsync(ExchangeRequest request, string fragment, IEnumerable<PropertyBag> items)
    {
        var start = ContinuationToken.Parse(request.Query.Get(ODataQuery.SkipToken));
        var pageSize = PageSize.Negotiate(request.Http);
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl(fragment));
        var (written, next) = await PageWriter.WriteValueAsync(
            writer, request.Response, items.Where(i => i.Ordinal >= start.NextOrdinal), pageSize, (w, item) => item.WriteEntity(w));
        if (next is not null)
        {
            writer.WriteString("@odata.nextLink", request.NextLink(new ContinuationToken(next.Ordinal, start.Returned + written)));
        }

        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }

    /// <summary>A single entity or complex value, with its own @odata.context.</summary>
    public static async Task WriteSingleAsync(ExchangeRequest request, string fragment, PropertyBag item)
    {
        using var writer = JsonResponse.Begin(request.Response);
        item.WriteEntity(writer, request.ContextUrl(fragment));
        await JsonResponse.EndAsync(writer, request.Response);
    }
}
