using System;
using System.IO;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// Streams an OData collection across pages: each object goes to the sink as soon as it is parsed, @odata.nextLink is
/// followed until the result size is reached (and not requested once it is, §7.1), and cancellation stops the request
/// in flight.
/// </summary>
/// <remarks>
/// Each page's body is downloaded at network speed (<see cref="PageFetch"/>) while its objects are parsed and written
/// at the pipeline's pace. Once the body is in (so its next link is known) and the consumer has taken a quarter of the
/// page, the next page is requested: at most one page ahead, and never before the consumer has shown it wants more,
/// so <c>Select-Object -First 10</c> still makes exactly one request. A read whose body breaks off (connection reset,
/// truncated JSON) is asked again from the same link, and the objects of it already written are skipped: a link's
/// page is deterministic, so nothing is lost or written twice. Changes are never re-sent this way.
/// </remarks>
internal sealed class ODataPager
{
    /// <summary>Times one page is asked again after its body broke off, before the read fails.</summary>
    internal const int MaxBodyRetries = 3;

    /// <summary>The share of a page the consumer must have taken before the next one is requested.</summary>
    internal const int PrefetchDivisor = 4;

    private readonly ExoRestClient _client;
    private readonly int _pageSize;

    public ODataPager(ExoRestClient client, int pageSize)
    {
        _client = client;
        _pageSize = pageSize;
    }

    /// <returns>How many objects were written, and whether more were left on the server.</returns>
    public async Task<PagingResult> ReadAsync(
        Uri firstPage,
        ResultSize resultSize,
        ObjectMaterializer materializer,
        string cmdletRequestId,
        IOperationSink sink,
        CancellationToken cancellationToken,
        InvokeCommandCall? invoke = null,
        System.Collections.Generic.IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        long written = 0;
        var warned = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var progress = new ReadProgress(sink, firstPage);
        var counter = sink as IObjectDeliveryCounter;

        RestCall CallFor(Uri uri, bool isFirst, long remaining) =>
            // InvokeCommand pages are the same body POSTed to each next link (§5.1, §7.2).
            new(invoke is null ? HttpMethod.Get : HttpMethod.Post, uri, cmdletRequestId)
            {
                IsFirstPage = isFirst,
                MaxPageSize = (int)Math.Min(remaining, _pageSize),
                JsonBody = invoke?.Body,
                CmdletName = invoke?.CmdletName,
                IsReadOnly = invoke?.IsReadOnly ?? false,
                ExtraHeaders = extraHeaders,
            };

        var current = new PageSlot(PageFetch.Start(_client, CallFor(firstPage, true, resultSize.Remaining(0)), sink, cancellationToken));
        PageFetch? ahead = null;
        try
        {
            while (true)
            {
                progress.StartPage();
                var remaining = resultSize.Remaining(written);
                var deliveredAtStart = counter?.ObjectsDelivered ?? 0;
                var pageStartWritten = written;

                // Called after each object: ask for the next page once this one is all in and the consumer has taken a good part of it.
                void MaybePrefetch()
                {
                    var fetch = current.Fetch;
                    if (ahead is not null || counter is null || !fetch.IsSkimmed || fetch.NextLink is null)
                    {
                        return;
                    }

                    var after = resultSize.Remaining(pageStartWritten + fetch.ItemCount);
                    if (after <= 0 || counter.ObjectsDelivered - deliveredAtStart < Math.Max(1, fetch.ItemCount / PrefetchDivisor))
                    {
                        return;
                    }

                    sink.WriteDebug($"Reading ahead: page {progress.Page + 1} requested while page {progress.Page} is written ({counter.ObjectsDelivered - deliveredAtStart} of its {fetch.ItemCount} objects taken).");
                    ahead = PageFetch.Start(_client, CallFor(ResolveNextLink(fetch.NextLink), false, after), sink, cancellationToken);
                }

                var page = await ReadPageAsync(current, materializer, sink, progress, remaining, MaybePrefetch, cancellationToken).ConfigureAwait(false);
                written += page.ItemCount;
                foreach (var error in page.Errors)
                {
                    // §5.3: the cmdlet's own non-terminating errors, one ErrorRecord each.
                    sink.WriteError(new ExoException(error, "AdminApiError", System.Management.Automation.ErrorCategory.NotSpecified, invoke?.CmdletName).ToErrorRecord());
                }

                foreach (var warning in page.Warnings)
                {
                    // The service may repeat a warning on every page; the admin sees it once.
                    if (warned.Add(warning))
                    {
                        sink.WriteWarning(warning);
                    }
                }

                if (page.NextLink is null)
                {
                    progress.Complete();
                    return new PagingResult(written, moreAvailable: false);
                }

                if (resultSize.Remaining(written) == 0)
                {
                    progress.Complete();
                    return new PagingResult(written, moreAvailable: true);
                }

                var nextUri = ResolveNextLink(page.NextLink);
                var next = ahead;
                ahead = null;
                if (next is null || next.Call.Uri != nextUri)
                {
                    // Not requested ahead (the page was written before it was all in, or no counter): ask now, as before.
                    if (next is not null)
                    {
                        await next.CloseAsync().ConfigureAwait(false);
                    }

                    next = PageFetch.Start(_client, CallFor(nextUri, false, resultSize.Remaining(written)), sink, cancellationToken);
                }

                await current.Fetch.CloseAsync().ConfigureAwait(false);
                current.Fetch = next;
            }
        }
        finally
        {
            // Whatever ends the read (done, failure, the pipeline stopping), no request outlives it.
            await current.Fetch.CloseAsync().ConfigureAwait(false);
            if (ahead is not null)
            {
                await ahead.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Parses one page's body into objects. A read (GET, or a Get- cmdlet) whose body breaks off is asked again from the
    /// same link up to <see cref="MaxBodyRetries"/> times, skipping the objects already written; the slot's fetch is then
    /// replaced (the caller closes whatever the slot holds at the end).
    /// </summary>
    private async Task<ODataPageInfo> ReadPageAsync(PageSlot slot, ObjectMaterializer materializer, IOperationSink sink, ReadProgress progress, long remaining, Action afterItem, CancellationToken cancellationToken)
    {
        long taken = 0;
        var uri = slot.Fetch.Call.Uri;
        for (var attempt = 0; ; attempt++)
        {
            var fetch = slot.Fetch;
            long skip = taken, index = 0;
            try
            {
                await fetch.WaitForHeadersAsync().ConfigureAwait(false);
                using var body = fetch.OpenBody();
                var page = await ODataPageReader.ReadAsync(
                    body,
                    item =>
                    {
                        // Objects a broken-off attempt already wrote are skipped; a server that ignores maxpagesize must not push us past ResultSize.
                        if (index++ < skip || taken >= remaining)
                        {
                            return;
                        }

                        taken++;
                        sink.WriteObject(materializer.Materialize(item));
                        progress.Item();
                        afterItem();
                    },
                    cancellationToken).ConfigureAwait(false);

                if (page.Context is null)
                {
                    throw new ODataFormatException("The response has no @odata.context, so it is not a valid OData payload.");
                }

                page.ItemCount = (int)taken;
                return page;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && attempt < MaxBodyRetries && fetch.Call.IsIdempotent && BrokeOff(ex))
            {
                sink.WriteVerbose(string.Format(
                    System.Globalization.CultureInfo.InvariantCulture,
                    "{0} {1}: the response broke off after {2} object(s) of the page ({3}), request-id {4}; asking for the page again (retry {5} of {6}), skipping the {2} already written.",
                    fetch.Call.Method,
                    Redaction.PathAndQuery(uri),
                    taken,
                    ex.Message,
                    fetch.RequestId ?? "-",
                    attempt + 1,
                    MaxBodyRetries));
                slot.Fetch = PageFetch.Start(_client, fetch.Call, sink, cancellationToken);
                await fetch.CloseAsync().ConfigureAwait(false);
            }
            catch (ODataFormatException ex)
            {
                throw Failures.Protocol($"Reading {uri.AbsolutePath} failed: {ex.Message}", uri.AbsolutePath, ex);
            }
            catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (IOException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (IOException ex)
            {
                throw Failures.Connection($"Reading {uri.AbsolutePath} failed: {ex.Message}", uri.AbsolutePath, ex);
            }
        }
    }

    /// <summary>The page being read; a re-read replaces its fetch.</summary>
    private sealed class PageSlot
    {
        public PageSlot(PageFetch fetch) => Fetch = fetch;

        public PageFetch Fetch { get; set; }
    }

    /// <summary>A body that ended early or whose connection dropped, after the headers were fine.</summary>
    private static bool BrokeOff(Exception ex) => ex is IOException || ex is ODataFormatException { IsTruncated: true };

    private Uri ResolveNextLink(string nextLink)
    {
        if (!Uri.TryCreate(_client.BaseUri, nextLink, out var next))
        {
            throw Failures.Protocol($"The service sent a next-page link that is not a URL: '{nextLink}'.", nextLink);
        }

        return next;
    }
}

/// <summary>What makes a paged read an InvokeCommand: the cmdlet, its JSON body, and whether it only reads.</summary>
internal sealed class InvokeCommandCall
{
    public InvokeCommandCall(string cmdletName, string body, bool isReadOnly)
    {
        CmdletName = cmdletName;
        Body = body;
        IsReadOnly = isReadOnly;
    }

    public string CmdletName { get; }

    public string Body { get; }

    public bool IsReadOnly { get; }
}

/// <summary>Outcome of a paged read.</summary>
internal readonly struct PagingResult
{
    public PagingResult(long written, bool moreAvailable)
    {
        Written = written;
        MoreAvailable = moreAvailable;
    }

    public long Written { get; }

    public bool MoreAvailable { get; }
}
