using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// Streams an OData collection across pages: each object goes to the sink as soon as it is parsed, @odata.nextLink is
/// followed until the result size is reached (and not requested once it is, §7.1; the rest of a page is not even read),
/// and cancellation stops the request in flight. A next link already followed, or a long run of empty pages, ends the
/// read with a protocol error instead of looping.
/// </summary>
/// <remarks>
/// Each page's body is downloaded at network speed (<see cref="PageFetch"/>) while its objects are parsed and written
/// at the pipeline's pace. Once the body is in (so its next link is known) and the consumer has taken a quarter of the
/// page, the next page is requested: at most one page ahead, and never before the consumer has shown it wants more,
/// so <c>Select-Object -First 10</c> still makes exactly one request. A page whose read breaks off (connection reset,
/// truncated JSON, a stalled body) is read again by <see cref="PageReader"/>.
/// </remarks>
internal sealed class ODataPager
{
    /// <summary>Times one page is asked again after its body broke off, before the read fails.</summary>
    internal const int MaxBodyRetries = 3;

    /// <summary>The share of a page the consumer must have taken before the next one is requested.</summary>
    internal const int PrefetchDivisor = 4;

    /// <summary>Empty pages with a next link in a row before the read is given up as a server that never ends it.</summary>
    internal const int MaxEmptyPagesInARow = 100;

    private readonly ExoRestClient _client;
    private readonly int _pageSize;
    private readonly string? _cmdletName;

    /// <param name="cmdletName">The cmdlet the read is for, as errors about the whole read (an expired link) name it.</param>
    public ODataPager(ExoRestClient client, int pageSize, string? cmdletName = null)
    {
        _client = client;
        _pageSize = pageSize;
        _cmdletName = cmdletName;
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
        IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        long written = 0;
        var warned = new HashSet<string>(StringComparer.Ordinal);
        var followed = new HashSet<string>(StringComparer.Ordinal) { firstPage.AbsoluteUri };
        var emptyInARow = 0;
        var progress = new ReadProgress(sink, firstPage, _client.Time);
        var counter = sink as IObjectDeliveryCounter;
        var pages = new PageReader(_client, materializer, sink, progress, cancellationToken);

        RestCall CallFor(Uri uri, bool isFirst, long remaining) =>
            // InvokeCommand pages are the same body POSTed to each next link (§5.1, §7.2).
            new(invoke is null ? HttpMethod.Get : HttpMethod.Post, uri, cmdletRequestId)
            {
                Kind = invoke is null ? RequestKind.OData : RequestKind.InvokeCommand,
                IsFirstPage = isFirst,
                MaxPageSize = (int)Math.Min(remaining, _pageSize),
                JsonBody = invoke?.Body,
                CmdletName = invoke?.CmdletName,
                IsReadOnly = invoke?.IsReadOnly ?? false,
                Target = invoke?.Target,
                WarningAction = invoke?.WarningAction,
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
                    if (ahead is not null || counter is null || current.Fetch.Lookahead is not { NextLink: { } nextLink } lookahead)
                    {
                        return;
                    }

                    var after = resultSize.Remaining(pageStartWritten + lookahead.ItemCount);
                    if (after <= 0 || counter.ObjectsDelivered - deliveredAtStart < Math.Max(1, lookahead.ItemCount / PrefetchDivisor) || !TryResolve(nextLink, followed, out var uri))
                    {
                        return;
                    }

                    sink.WriteDebug($"Reading ahead: page {progress.Page + 1} requested while page {progress.Page} is written ({counter.ObjectsDelivered - deliveredAtStart} of its {lookahead.ItemCount} objects taken).");
                    ahead = PageFetch.Start(_client, CallFor(uri, false, after), sink, cancellationToken);
                }

                ODataPageInfo page;
                try
                {
                    page = await pages.ReadAsync(current, remaining, MaybePrefetch).ConfigureAwait(false);
                }
                catch (ExoServiceException ex) when (current.Fetch.Call.FollowsNextLink && PageLinks.IsExpired(ex))
                {
                    throw PageLinks.Expired(_cmdletName ?? invoke?.CmdletName, written, current.Fetch.Call, ex);
                }

                written += page.ItemCount;
                WriteAnnotations(page, sink, warned, invoke);

                if (resultSize.Remaining(written) == 0 && (page.StoppedEarly || page.NextLink is not null))
                {
                    progress.Complete();
                    return new PagingResult(written, moreAvailable: true);
                }

                if (page.NextLink is null)
                {
                    progress.Complete();
                    return new PagingResult(written, moreAvailable: false);
                }

                emptyInARow = page.ItemCount == 0 ? emptyInARow + 1 : 0;
                var nextUri = Resolve(page.NextLink);
                if (!followed.Add(nextUri.AbsoluteUri) || emptyInARow > MaxEmptyPagesInARow)
                {
                    throw PageLinks.Loop(current.Fetch, nextUri, written, emptyInARow > MaxEmptyPagesInARow);
                }

                var next = ahead;
                ahead = null;
                if (next is null || next.Call.Uri != nextUri)
                {
                    // Not requested ahead (the page was written before it was all in, or no counter): ask now.
                    if (next is not null)
                    {
                        await next.DisposeAsync().ConfigureAwait(false);
                    }

                    next = PageFetch.Start(_client, CallFor(nextUri, false, resultSize.Remaining(written)), sink, cancellationToken);
                }

                await current.Fetch.DisposeAsync().ConfigureAwait(false);
                current.Fetch = next;
            }
        }
        finally
        {
            // Whatever ends the read (done, failure, the pipeline stopping), no request outlives it.
            await current.Fetch.DisposeAsync().ConfigureAwait(false);
            if (ahead is not null)
            {
                await ahead.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void WriteAnnotations(ODataPageInfo page, IOperationSink sink, HashSet<string> warned, InvokeCommandCall? invoke)
    {
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
    }

    /// <summary>A next link as a URL, and whether it is one not followed yet (read-ahead never follows a repeated link).</summary>
    private bool TryResolve(string nextLink, HashSet<string> followed, out Uri uri)
    {
        uri = Resolve(nextLink);
        return !followed.Contains(uri.AbsoluteUri);
    }

    private Uri Resolve(string nextLink)
    {
        if (!Uri.TryCreate(_client.BaseUri, nextLink, out var next))
        {
            throw Failures.Protocol($"The service sent a next-page link that is not a URL: '{nextLink}'.", nextLink);
        }

        return next;
    }
}

/// <summary>What makes a paged read an InvokeCommand: the cmdlet, its JSON body, whether it only reads, and its target.</summary>
internal sealed class InvokeCommandCall
{
    public InvokeCommandCall(string cmdletName, string body, bool isReadOnly, object? target = null, string? warningAction = null)
    {
        CmdletName = cmdletName;
        Body = body;
        IsReadOnly = isReadOnly;
        Target = target;
        WarningAction = warningAction;
    }

    public string CmdletName { get; }

    public string Body { get; }

    public bool IsReadOnly { get; }

    /// <summary>The -Identity the cmdlet was given: what its errors and unknown outcomes name.</summary>
    public object? Target { get; }

    /// <summary>The cmdlet's -WarningAction, sent as a header (§5.1).</summary>
    public string? WarningAction { get; }
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
