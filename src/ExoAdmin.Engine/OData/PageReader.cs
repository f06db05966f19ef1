using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>The page being read; a re-read replaces its fetch.</summary>
internal sealed class PageSlot
{
    public PageSlot(PageFetch fetch) => Fetch = fetch;

    public PageFetch Fetch { get; set; }
}

/// <summary>
/// Parses one page's body into objects for the pager. A read (GET, or a Get- cmdlet) whose body breaks off (a reset,
/// truncated JSON, a stalled connection) is asked again from the same link up to <see cref="ODataPager.MaxBodyRetries"/>
/// times, skipping the objects already written: a link's page is deterministic, so nothing is lost or written twice.
/// A body over its limits, or that is not what the protocol promises (no @odata.context, invalid UTF-8), fails the
/// read with a protocol error naming the URL and the request-id.
/// </summary>
internal sealed class PageReader
{
    private readonly ExoRestClient _client;
    private readonly ObjectMaterializer _materializer;
    private readonly IOperationSink _sink;
    private readonly ReadProgress _progress;
    private readonly CancellationToken _cancellation;

    public PageReader(ExoRestClient client, ObjectMaterializer materializer, IOperationSink sink, ReadProgress progress, CancellationToken cancellation)
    {
        _client = client;
        _materializer = materializer;
        _sink = sink;
        _progress = progress;
        _cancellation = cancellation;
    }

    /// <param name="remaining">Objects still wanted (ResultSize); the page is not read past them.</param>
    /// <param name="afterItem">Called after each object written (the pager's read-ahead check).</param>
    public async Task<ODataPageInfo> ReadAsync(PageSlot slot, long remaining, Action afterItem)
    {
        long taken = 0;
        var uri = slot.Fetch.Call.Uri;
        for (var attempt = 0; ; attempt++)
        {
            var fetch = slot.Fetch;
            long skip = taken, index = 0;
            try
            {
                var body = await fetch.OpenAsync().ConfigureAwait(false);
                var options = new PageReadOptions
                {
                    // Objects a broken-off attempt already wrote are skipped; a server that ignores maxpagesize must not push us past ResultSize.
                    MaxItems = remaining == long.MaxValue ? long.MaxValue : skip + remaining,
                    BodyArrived = body.Finished,
                    OnLookahead = lookahead => fetch.Lookahead = lookahead,
                };
                var page = await ODataPageReader.ReadAsync(
                    body.Reader,
                    item =>
                    {
                        if (index++ < skip)
                        {
                            return;
                        }

                        taken++;
                        _sink.WriteObject(Materialize(item));
                        _progress.Item();
                        afterItem();
                    },
                    options,
                    _cancellation).ConfigureAwait(false);

                if (page.Context is null)
                {
                    throw new ODataFormatException("The response has no @odata.context, so it is not a valid OData payload.");
                }

                page.ItemCount = (int)taken;
                return page;
            }
            catch (Exception ex) when (!_cancellation.IsCancellationRequested && !_client.IsClosed && attempt < ODataPager.MaxBodyRetries && fetch.Call.IsIdempotent && BrokeOff(ex))
            {
                _sink.WriteVerbose(string.Format(
                    CultureInfo.InvariantCulture,
                    "{0} {1}: the response broke off after {2} object(s) of the page ({3}), request-id {4}; asking for the page again (retry {5} of {6}), skipping the {2} already written.",
                    fetch.Call.Method,
                    Redaction.PathAndQuery(uri),
                    taken,
                    ex.Message,
                    fetch.RequestId ?? "-",
                    attempt + 1,
                    ODataPager.MaxBodyRetries));
                slot.Fetch = PageFetch.Start(_client, fetch.Call, _sink, _cancellation);
                await fetch.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (_client.IsClosed && ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                throw Failures.ConnectionClosed(_client.Tenant ?? _client.BaseUri.Host, $"{fetch.Call.Description} ({Redaction.PathAndQuery(uri)})", fetch.RequestId, ex);
            }
            catch (ODataFormatException ex)
            {
                throw Failures.Protocol($"Reading {Redaction.PathAndQuery(uri)} failed: {ex.Message}{RequestIdText(fetch)}", uri.GetLeftPart(UriPartial.Path), ex);
            }
            catch (ResponseBodyException ex) when (!_cancellation.IsCancellationRequested)
            {
                throw Failures.Protocol($"Reading {Redaction.PathAndQuery(uri)} failed: {ex.Message}{RequestIdText(fetch)}.", uri.GetLeftPart(UriPartial.Path), ex);
            }
            catch (ObjectDisposedException) when (_cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(_cancellation);
            }
            catch (IOException) when (_cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(_cancellation);
            }
            catch (IOException ex)
            {
                throw Failures.Connection($"Reading {Redaction.PathAndQuery(uri)} failed: {ex.Message}{RequestIdText(fetch)}", uri.GetLeftPart(UriPartial.Path), ex);
            }
        }
    }

    /// <summary>One object, or a protocol error when its bytes are not what JSON allows (invalid UTF-8 in a string).</summary>
    private object Materialize(ReadOnlySpan<byte> item)
    {
        try
        {
            return _materializer.Materialize(item);
        }
        catch (InvalidOperationException ex)
        {
            throw new ODataFormatException($"An object in the response is not valid UTF-8 JSON ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>A body that ended early, whose connection dropped or that stalled, after the headers were fine.</summary>
    private static bool BrokeOff(Exception ex) =>
        ex is ResponseBodyException refused ? refused.IsTransient : ex is IOException || ex is ODataFormatException { IsTruncated: true };

    private static string RequestIdText(PageFetch fetch) => fetch.RequestId is { } id ? $" (request-id {id})" : string.Empty;
}
