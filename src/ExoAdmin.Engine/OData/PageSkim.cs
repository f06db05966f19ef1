using System;
using System.Buffers;
using System.Text.Json;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// The rest of a page whose body is all in, read from where the parser stands: items skipped whole (not built), the
/// next link picked up wherever it sits. What lets the pager ask for the next page while this one is being written.
/// </summary>
internal static class PageSkim
{
    /// <returns>The next link and the page's item count in all; null when the rest is not whole JSON (the parser reports it).</returns>
    public static PageLookahead? Skim(ReadOnlySequence<byte> rest, JsonReaderState state, PagePhase phase, string? property, string? nextLink, int items)
    {
        try
        {
            var reader = new Utf8JsonReader(rest, isFinalBlock: true, state);
            if (phase == PagePhase.Start)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                phase = PagePhase.PropertyName;
            }

            while (phase != PagePhase.Done)
            {
                reader.Read();
                switch (phase)
                {
                    case PagePhase.PropertyName when reader.TokenType == JsonTokenType.EndObject:
                        phase = PagePhase.Done;
                        break;
                    case PagePhase.PropertyName:
                        property = reader.GetString();
                        phase = PagePhase.PropertyValue;
                        break;
                    case PagePhase.PropertyValue when property == "value" && reader.TokenType == JsonTokenType.StartArray:
                        phase = PagePhase.Items;
                        break;
                    case PagePhase.PropertyValue:
                        if (property == "@odata.nextLink" && reader.TokenType == JsonTokenType.String)
                        {
                            nextLink = reader.GetString();
                        }
                        else
                        {
                            reader.Skip();
                        }

                        phase = PagePhase.PropertyName;
                        break;
                    default: // Items
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            phase = PagePhase.PropertyName;
                        }
                        else
                        {
                            reader.Skip();
                            items++;
                        }

                        break;
                }
            }

            return new PageLookahead(nextLink, items);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Truncated, not JSON, or invalid UTF-8: the parser reports it when it gets there; nothing is read ahead of it.
            return null;
        }
    }
}
