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
/// Streams an OData collection across pages: each object goes to the sink as soon as it is
/// parsed, @odata.nextLink is followed until the result size is reached (and not requested once
/// it is, §7.1), and cancellation stops the request in flight.
/// </summary>
internal sealed class ODataPager
{
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
        var uri = firstPage;
        var isFirst = true;
        var progress = new ReadProgress(sink, firstPage);
        while (true)
        {
            progress.StartPage();
            var remaining = resultSize.Remaining(written);
            // InvokeCommand pages are the same body POSTed to each next link (§5.1, §7.2).
            var call = new RestCall(invoke is null ? HttpMethod.Get : HttpMethod.Post, uri, cmdletRequestId)
            {
                IsFirstPage = isFirst,
                MaxPageSize = (int)Math.Min(remaining, _pageSize),
                JsonBody = invoke?.Body,
                CmdletName = invoke?.CmdletName,
                IsReadOnly = invoke?.IsReadOnly ?? false,
                ExtraHeaders = extraHeaders,
            };

            ODataPageInfo page;
            using (var response = await _client.SendAsync(call, sink, cancellationToken).ConfigureAwait(false))
            using (var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            using (cancellationToken.Register(static state => ((IDisposable)state!).Dispose(), response))
            {
                page = await ReadPageAsync(body, materializer, sink, progress, remaining, uri, cancellationToken).ConfigureAwait(false);
            }

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

            uri = ResolveNextLink(page.NextLink);
            isFirst = false;
        }
    }

    private static async Task<ODataPageInfo> ReadPageAsync(Stream body, ObjectMaterializer materializer, IOperationSink sink, ReadProgress progress, long remaining, Uri uri, CancellationToken cancellationToken)
    {
        long taken = 0;
        try
        {
            var page = await ODataPageReader.ReadAsync(
                body,
                item =>
                {
                    // A server that ignores maxpagesize must not push us past ResultSize.
                    if (taken < remaining)
                    {
                        taken++;
                        sink.WriteObject(materializer.Materialize(item));
                        progress.Item();
                    }
                },
                cancellationToken).ConfigureAwait(false);

            if (page.Context is null)
            {
                throw new ODataFormatException("The response has no @odata.context, so it is not a valid OData payload.");
            }

            page.ItemCount = (int)taken;
            return page;
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
    }

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
