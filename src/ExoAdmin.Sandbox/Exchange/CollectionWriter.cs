using System.Text.Json;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>Writes Get-EXO* results as OData JSON: collections one page at a time, and single values.</summary>
internal static class CollectionWriter
{
    /// <summary>
    /// A collection of <paramref name="type"/> with @odata.context "…$metadata#{fragment}", paged by Prefer:
    /// odata.maxpagesize.
    /// </summary>
    public static Task WriteAsync(ExchangeRequest request, string fragment, EdmStructuredType type, IEnumerable<PropertyBag> items) =>
        WritePageAsync(request, fragment, from => items.Where(i => i.Ordinal >= from), item => item.Ordinal, (w, item) => item.WriteEntity(w, type));

    /// <summary>
    /// One page of a collection, from where the request's $skiptoken left off, with an @odata.nextLink when
    /// more remain.
    /// </summary>
    /// <param name="itemsFrom">The items in ordinal order, from the given ordinal on.</param>
    /// <param name="ordinal">An item's position, which the next link resumes from.</param>
    public static async Task WritePageAsync<T>(
        ExchangeRequest request, string fragment, Func<int, IEnumerable<T>> itemsFrom, Func<T, int> ordinal, Action<Utf8JsonWriter, T> write)
        where T : class
    {
        var start = request.Continuation;
        var pageSize = PageSize.Negotiate(request.Http);
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl(fragment));
        var (written, next) = await PageWriter.WriteValueAsync(writer, request.Response, itemsFrom(start.NextOrdinal), pageSize, write);
        if (next is not null)
        {
            writer.WriteString("@odata.nextLink", request.NextLink(new ContinuationToken(ordinal(next), start.Returned + written)));
        }

        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }

    /// <summary>A single entity or complex value, with its own @odata.context.</summary>
    public static async Task WriteSingleAsync(ExchangeRequest request, string fragment, EdmStructuredType type, PropertyBag item)
    {
        using var writer = JsonResponse.Begin(request.Response);
        item.WriteEntity(writer, type, request.ContextUrl(fragment));
        await JsonResponse.EndAsync(writer, request.Response);
    }
}
