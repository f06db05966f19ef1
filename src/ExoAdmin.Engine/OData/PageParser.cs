using System;
using System.Buffers;
using System.Text.Json;

namespace ExoAdmin.Engine.OData;

/// <summary>Where the page parser is in a collection page's JSON.</summary>
internal enum PagePhase
{
    Start,
    PropertyName,
    PropertyValue,
    Items,

    /// <summary>ResultSize is met: one more token tells whether the page ends here or has more (which are not read).</summary>
    Filled,
    Done,
}

/// <summary>
/// A resumable state machine over Utf8JsonReader for one collection page: <see cref="Parse"/> consumes whole steps only,
/// and when the data runs out mid-step reports how far it got so the caller can refill and call again.
/// </summary>
internal sealed class PageParser
{
    private readonly ODataPageInfo _page;
    private readonly ODataPageReader.ItemHandler _onItem;
    private readonly PageReadOptions _options;
    private PagePhase _phase = PagePhase.Start;
    private JsonReaderState _state;
    private string? _property;
    private bool _lookedAhead;

    public PageParser(ODataPageInfo page, ODataPageReader.ItemHandler onItem, PageReadOptions options)
    {
        _page = page;
        _onItem = onItem;
        _options = options;
    }

    public bool IsDone => _phase == PagePhase.Done;

    public bool IsAtStart => _phase == PagePhase.Start;

    /// <summary>The last <see cref="Parse"/> stopped early because the whole body had arrived and was not yet looked ahead at.</summary>
    public bool Yielded { get; private set; }

    /// <summary>Parses what it can of <paramref name="data"/>; returns the end of what it consumed.</summary>
    public SequencePosition Parse(ReadOnlySequence<byte> data)
    {
        Yielded = false;
        var reader = new Utf8JsonReader(data, isFinalBlock: false, _state);
        var committed = data.Start;
        while (_phase != PagePhase.Done)
        {
            var checkpoint = reader;
            if (!Step(ref reader, data))
            {
                reader = checkpoint;
                break;
            }

            committed = reader.Position;
            _state = reader.CurrentState;
            if (_phase == PagePhase.Items && !_lookedAhead && _options.BodyArrived is { IsCompleted: true } && _options.OnLookahead is not null)
            {
                Yielded = true; // come back with the whole rest of the body, so its next link is known while this page is written
                break;
            }
        }

        return committed;
    }

    /// <summary>
    /// Once: skims <paramref name="rest"/> (everything not yet parsed, the body being all in) from the parser's state for
    /// the next link and the items left (<see cref="PageSkim"/>), without building or handing over anything.
    /// </summary>
    public void LookAhead(ReadOnlySequence<byte> rest)
    {
        if (_lookedAhead || _options.OnLookahead is null)
        {
            return;
        }

        _lookedAhead = true;
        if (PageSkim.Skim(rest, _state, _phase, _property, _page.NextLink, _page.ItemCount) is { } lookahead)
        {
            _options.OnLookahead(lookahead);
        }
    }

    /// <summary>One step; false when the data ends before the step is complete.</summary>
    private bool Step(ref Utf8JsonReader reader, ReadOnlySequence<byte> data)
    {
        switch (_phase)
        {
            case PagePhase.Start:
                if (!reader.Read())
                {
                    return false;
                }

                Expect(reader.TokenType == JsonTokenType.StartObject, "a JSON object");
                _phase = PagePhase.PropertyName;
                return true;

            case PagePhase.PropertyName:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _phase = PagePhase.Done;
                    return true;
                }

                _property = reader.GetString();
                _phase = PagePhase.PropertyValue;
                return true;

            case PagePhase.PropertyValue:
                return PropertyValue(ref reader, data);

            case PagePhase.Items:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = PagePhase.PropertyName;
                    return true;
                }

                Expect(reader.TokenType == JsonTokenType.StartObject, "an object in 'value'");
                var itemStart = reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return false;
                }

                HandOver(data.Slice(itemStart, reader.BytesConsumed - itemStart));
                return true;

            case PagePhase.Filled:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = PagePhase.PropertyName; // the page ended with the last object asked for: its next link still says whether there are more
                    return true;
                }

                _page.StoppedEarly = true;
                _phase = PagePhase.Done;
                return true;

            default:
                return true;
        }
    }

    private bool PropertyValue(ref Utf8JsonReader reader, ReadOnlySequence<byte> data)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (_property)
        {
            case "value" when reader.TokenType == JsonTokenType.StartArray:
                _phase = PagePhase.Items;
                return true;
            case "value":
                throw new ODataFormatException("The response's 'value' is not an array.");
            case "@odata.context":
                _page.Context = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                break;
            case "@odata.nextLink":
                _page.NextLink = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                break;
            case "@adminapi.warnings" or "@adminapi.errors" when reader.TokenType == JsonTokenType.StartArray:
                var annotation = _property;
                var start = reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return false;
                }

                using (var entries = JsonDocument.Parse(data.Slice(start, reader.BytesConsumed - start)))
                {
                    foreach (var entry in entries.RootElement.EnumerateArray())
                    {
                        var text = entry.ValueKind == JsonValueKind.String ? entry.GetString()!
                            : entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("message", out var message) ? message.ToString()
                            : entry.GetRawText();
                        (annotation == "@adminapi.errors" ? _page.Errors : _page.Warnings).Add(text);
                    }
                }

                break;
            default:
                if (!reader.TrySkip())
                {
                    return false;
                }

                break;
        }

        _phase = PagePhase.PropertyName;
        return true;
    }

    /// <summary>Hands one item's bytes over (copied only when they span segments), stopping once enough were handed over.</summary>
    private void HandOver(ReadOnlySequence<byte> item)
    {
        // The reader refuses an object that is still incomplete past the bound. One can also complete in the very read
        // that takes it past the bound, or arrive whole when the download ran ahead of a busy reader: it is refused
        // here, so the bound holds however the bytes came.
        if (item.Length > ODataPageReader.MaxItemBytes)
        {
            throw ODataPageReader.ItemTooLarge();
        }

        if (item.IsSingleSegment)
        {
            _onItem(item.First.Span);
        }
        else
        {
            var length = (int)item.Length;
            var copy = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                item.CopyTo(copy);
                _onItem(new ReadOnlySpan<byte>(copy, 0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }

        if (++_page.ItemCount >= _options.MaxItems)
        {
            _phase = PagePhase.Filled; // ResultSize met: the rest of the body is not read
        }
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new ODataFormatException($"The response is not an OData collection: expected {what}.");
        }
    }
}
