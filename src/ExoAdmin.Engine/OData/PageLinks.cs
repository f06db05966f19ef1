using System;
using System.Globalization;
using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.OData;

/// <summary>The two ways a chain of next links ends badly: the service let a link expire, or it never ends.</summary>
internal static class PageLinks
{
    /// <summary>§18.4's words for a next link older than the service keeps them (30 minutes by default).</summary>
    public const string ExpiredText = "Expired or Invalid pagination request";

    public static bool IsExpired(ExoServiceException error) => error.Message.IndexOf(ExpiredText, StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>
    /// The read was slower than the service keeps its next links: nothing can resume it (a new request starts over), so it
    /// fails, saying how much was written; it is never retried.
    /// </summary>
    public static ExoException Expired(string? cmdletName, long written, RestCall call, ExoServiceException error) => new(
        string.Format(
            CultureInfo.InvariantCulture,
            "{0} stopped after writing {1:N0} object(s): the service's link to the next page had expired ({2}{3}). The read was too slow for the service, which keeps a next link for a limited time; run the command again, and let the pipeline take its objects faster (for example collect them with -OutVariable or into a variable, and process them afterwards).",
            cmdletName ?? "The read",
            written,
            error.Message,
            error.RequestId is null || error.Message.Contains(error.RequestId) ? string.Empty : $", request-id {error.RequestId}"),
        "ExoPageLinkExpired",
        ErrorCategory.OperationTimeout,
        cmdletName ?? call.Uri.AbsolutePath,
        error);

    /// <summary>A next link already followed (a loop), or a long run of empty pages: the read would never end.</summary>
    public static ExoException Loop(PageFetch fetch, Uri next, long written, bool emptyPages) => Failures.Protocol(
        string.Format(
            CultureInfo.InvariantCulture,
            "Reading {0} stopped after {1:N0} object(s): {2} (request-id {3}). Following it would never end the read.",
            Redaction.PathAndQuery(fetch.Call.Uri),
            written,
            emptyPages
                ? $"the service sent more than {ODataPager.MaxEmptyPagesInARow} empty pages in a row, each with a next link"
                : $"the service's next link {Redaction.PathAndQuery(next)} is one this read has already followed",
            fetch.RequestId ?? "-"),
        next.GetLeftPart(UriPartial.Path));
}
