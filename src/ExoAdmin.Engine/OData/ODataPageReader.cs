using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.OData;

/// <summary>What a collection page said besides its items.</summary>
internal sealed class ODataPageInfo
{
    public string? Context { get; set; }

    public string? NextLink { get; set; }

    /// <summary>Items handed over.</summary>
    public int ItemCount { get; set; }

    /// <summary>The reader stopped after the items it was asked for; the page may hold more (and a next link not yet read).</summary>
    public bool StoppedEarly { get; set; }

    /// <summary>InvokeCommand's @adminapi.warnings, in order.</summary>
    public System.Collections.Generic.List<string> Warnings { get; } = new();

    /// <summary>InvokeCommand's @adminapi.errors (non-terminating errors of the cmdlet), as their text.</summary>
    public System.Collections.Generic.List<string> Errors { get; } = new();
}

/// <summary>What the rest of a page holds, seen once its whole body is in: the next link, and the items in all.</summary>
internal readonly struct PageLookahead
{
    public PageLookahead(string? nextLink, int itemCount)
    {
        NextLink = nextLink;
        ItemCount = itemCount;
    }

    public string? NextLink { get; }

    public int ItemCount { get; }
}

/// <summary>How a page is read: how many items are wanted, and who hears of its next link early.</summary>
internal sealed class PageReadOptions
{
    /// <summary>Items to hand over before the reader stops reading (ResultSize met): the rest of the body is never read.</summary>
    public long MaxItems { get; set; } = long.MaxValue;

    /// <summary>Completes when the whole body has arrived; the reader then looks ahead once and tells <see cref="OnLookahead"/>.</summary>
    public Task? BodyArrived { get; set; }

    public Action<PageLookahead>? OnLookahead { get; set; }
}

/// <summary>
/// Reads an OData collection page, {"@odata.context":…,"value":[…],"@odata.nextLink":…}, from a pipe and hands over
/// each element of value as soon as its last byte has arrived, giving its bytes back to the pipe as it goes: only the
/// element being parsed is held, never the page read so far. Once the whole body has arrived, the unread rest is skimmed
/// once (items skipped, not built) for the next link and the item count, which is what lets the pager read ahead.
/// </summary>
internal static class ODataPageReader
{
    /// <summary>A single object larger than this is refused rather than buffered without end.</summary>
    public const int MaxItemBytes = 16 * 1024 * 1024;

    /// <summary>Handles one element. Its bytes are valid only during the call.</summary>
    public delegate void ItemHandler(ReadOnlySpan<byte> itemJson);

    /// <summary>The refusal of an object over <see cref="MaxItemBytes"/>, whether it outgrew the buffer or arrived whole.</summary>
    internal static ODataFormatException ItemTooLarge() =>
        new($"A single object in the response is larger than {MaxItemBytes / (1024 * 1024)} MiB; it was refused.");

    public static Task<ODataPageInfo> ReadAsync(Stream stream, ItemHandler onItem, CancellationToken cancellationToken) =>
        ReadAsync(PipeReader.Create(stream), onItem, new PageReadOptions(), cancellationToken);

    public static async Task<ODataPageInfo> ReadAsync(PipeReader body, ItemHandler onItem, PageReadOptions options, CancellationToken cancellationToken)
    {
        var page = new ODataPageInfo();
        var parser = new PageParser(page, onItem, options);
        try
        {
            while (true)
            {
                var result = await body.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCompleted)
                {
                    parser.LookAhead(buffer);
                }

                var consumed = parser.Parse(buffer);
                if (parser.IsDone)
                {
                    body.AdvanceTo(consumed);
                    return page;
                }

                var unparsed = buffer.Slice(consumed).Length;
                if (result.IsCompleted && !parser.Yielded)
                {
                    // The page is one object ending in '}', which the reader completes without the final-block flag: what is
                    // left unparsed at the end of the body was cut short (malformed JSON would already have thrown).
                    throw parser.IsAtStart && unparsed == 0
                        ? new ODataFormatException("The response body is empty.")
                        : new ODataFormatException("The response ended before the JSON was complete (truncated body).") { IsTruncated = true };
                }

                if (unparsed > MaxItemBytes)
                {
                    throw ItemTooLarge();
                }

                body.AdvanceTo(consumed, parser.Yielded ? consumed : buffer.End);
            }
        }
        catch (JsonException ex)
        {
            throw new ODataFormatException($"The response is not valid JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>The body is not the OData JSON the protocol promises.</summary>
internal sealed class ODataFormatException : Exception
{
    public ODataFormatException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    /// <summary>The body ended cleanly but too early: the page may be asked again.</summary>
    public bool IsTruncated { get; set; }
}
