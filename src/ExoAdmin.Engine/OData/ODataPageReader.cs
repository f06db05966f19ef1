using System;
using System.Buffers;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.OData;

/// <summary>What a collection page said besides its items.</summary>
internal sealed class ODataPageInfo
{
    public string? Context { get; set; }

    public string? NextLink { get; set; }

    public int ItemCount { get; set; }

    /// <summary>InvokeCommand's @adminapi.warnings, in order.</summary>
    public System.Collections.Generic.List<string> Warnings { get; } = new();

    /// <summary>InvokeCommand's @adminapi.errors (non-terminating errors of the cmdlet), as their text.</summary>
    public System.Collections.Generic.List<string> Errors { get; } = new();
}

/// <summary>
/// Reads an OData collection page, {"@odata.context":…,"value":[…],"@odata.nextLink":…}, from the
/// response stream and hands over each element of value as soon as its last byte has arrived.
/// Only the element being parsed is buffered, never the page: this is what keeps memory flat and
/// gets the first object to the pipeline before the page has finished downloading.
/// </summary>
internal static class ODataPageReader
{
    /// <summary>A single object larger than this is refused rather than buffered without end.</summary>
    public const int MaxItemBytes = 16 * 1024 * 1024;

    private const int InitialBufferBytes = 64 * 1024;

    /// <summary>Handles one element. Its bytes are valid only during the call.</summary>
    public delegate void ItemHandler(ReadOnlySpan<byte> itemJson);

    public static async Task<ODataPageInfo> ReadAsync(Stream stream, ItemHandler onItem, CancellationToken cancellationToken)
    {
        var page = new ODataPageInfo();
        var parser = new Parser();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        try
        {
            int start = 0, end = 0;
            while (true)
            {
                start += parser.Parse(new ReadOnlySpan<byte>(buffer, start, end - start), page, onItem);
                if (parser.IsDone)
                {
                    return page;
                }

                // Keep the unparsed tail, then make room for more.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    if (buffer.Length >= MaxItemBytes)
                    {
                        throw new ODataFormatException($"A single object in the response is larger than {MaxItemBytes / (1024 * 1024)} MiB; it was refused.");
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer, end, buffer.Length - end, cancellationToken).ConfigureAwait(false);
                if (read == 0 && parser.IsAtStart && end == 0)
                {
                    throw new ODataFormatException("The response body is empty.");
                }

                if (read == 0)
                {
                    // The page is one object ending in '}', which the reader completes without the final-block flag: what is
                    // left unparsed at the end of the body was cut short (malformed JSON would already have thrown).
                    throw new ODataFormatException("The response ended before the JSON was complete (truncated body).") { IsTruncated = true };
                }

                end += read;
            }
        }
        catch (JsonException ex)
        {
            throw new ODataFormatException($"The response is not valid JSON: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A resumable state machine over Utf8JsonReader: Parse consumes whole steps only, and when the
    /// data runs out mid-step it reports what it consumed so the caller can refill and call again.
    /// </summary>
    private sealed class Parser
    {
        private enum Phase
        {
            Start,
            PropertyName,
            PropertyValue,
            Items,
            Done,
        }

        private Phase _phase = Phase.Start;
        private JsonReaderState _state;
        private string? _property;

        public bool IsDone => _phase == Phase.Done;

        public bool IsAtStart => _phase == Phase.Start;

        public int Parse(ReadOnlySpan<byte> data, ODataPageInfo page, ItemHandler onItem)
        {
            var reader = new Utf8JsonReader(data, isFinalBlock: false, _state);
            var committed = 0;
            while (_phase != Phase.Done)
            {
                var checkpoint = reader;
                if (!Step(ref reader, data, page, onItem))
                {
                    reader = checkpoint;
                    break;
                }

                committed = (int)reader.BytesConsumed;
                _state = reader.CurrentState;
            }

            return committed;
        }

        /// <summary>One step; false when the data ends before the step is complete.</summary>
        private bool Step(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, ODataPageInfo page, ItemHandler onItem)
        {
            switch (_phase)
            {
                case Phase.Start:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    Expect(reader.TokenType == JsonTokenType.StartObject, "a JSON object");
                    _phase = Phase.PropertyName;
                    return true;

                case Phase.PropertyName:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        _phase = Phase.Done;
                        return true;
                    }

                    _property = reader.GetString();
                    _phase = Phase.PropertyValue;
                    return true;

                case Phase.PropertyValue:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    switch (_property)
                    {
                        case "value" when reader.TokenType == JsonTokenType.StartArray:
                            _phase = Phase.Items;
                            return true;
                        case "value":
                            throw new ODataFormatException("The response's 'value' is not an array.");
                        case "@odata.context":
                            page.Context = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                            break;
                        case "@odata.nextLink":
                            page.NextLink = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                            break;
                        case "@adminapi.warnings" or "@adminapi.errors" when reader.TokenType == JsonTokenType.StartArray:
                            var annotation = _property;
                            var start = (int)reader.TokenStartIndex;
                            if (!reader.TrySkip())
                            {
                                return false;
                            }

                            using (var warnings = JsonDocument.Parse(data.Slice(start, (int)reader.BytesConsumed - start).ToArray()))
                            {
                                foreach (var entry in warnings.RootElement.EnumerateArray())
                                {
                                    var text = entry.ValueKind == JsonValueKind.String ? entry.GetString()!
                                        : entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("message", out var message) ? message.ToString()
                                        : entry.GetRawText();
                                    (annotation == "@adminapi.errors" ? page.Errors : page.Warnings).Add(text);
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

                    _phase = Phase.PropertyName;
                    return true;

                case Phase.Items:
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _phase = Phase.PropertyName;
                        return true;
                    }

                    Expect(reader.TokenType == JsonTokenType.StartObject, "an object in 'value'");
                    var itemStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    onItem(data.Slice(itemStart, (int)reader.BytesConsumed - itemStart));
                    page.ItemCount++;
                    return true;

                default:
                    return true;
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
