using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace ExoAdmin.Engine.Model;

/// <summary>
/// Builds the PSObject for one OData object: only the properties the server sent, in its order,
/// typed by the schema (Guid, DateTime, bool, numbers, arrays), annotations and ObjectKey left out,
/// as the original module's output objects are.
/// </summary>
internal sealed class ObjectMaterializer
{
    private readonly EdmStructuredType _type;
    private readonly string _typeName;

    // Objects of a page list their properties in the same order: remember the names (and their schema
    // properties) by position and compare bytes, so a name is decoded and looked up once per query rather
    // than once per object.
    private readonly List<string> _namesByPosition = new();
    private readonly List<EdmProperty?> _propertiesByPosition = new();

    public ObjectMaterializer(EdmStructuredType type, string typeName)
    {
        _type = type;
        _typeName = typeName;
    }

    public PSObject Materialize(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        return ReadObject(ref reader);
    }

    private PSObject ReadObject(ref Utf8JsonReader reader)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, _typeName);
        var position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var at = position++;
            var name = NameAt(ref reader, at);
            reader.Read();
            if (name.IndexOf('@') >= 0 || name == "ObjectKey")
            {
                reader.Skip();
                continue;
            }

            var property = _propertiesByPosition[at];
            // Open types (InvokeCommand's GenericHashTable) carry properties the schema does not list: their text
            // is typed by its name, as remote PowerShell typed it (dates, and sizes that compare and convert).
            var value = property is null && reader.TokenType == JsonTokenType.String
                ? ConvertUntypedString(reader.GetString()!, name)
                : ReadValue(ref reader, property);
            result.Properties.Add(new PSNoteProperty(property?.Name ?? name, value));
        }

        return result;
    }

    private string NameAt(ref Utf8JsonReader reader, int position)
    {
        if (position < _namesByPosition.Count && reader.ValueTextEquals(_namesByPosition[position]))
        {
            return _namesByPosition[position];
        }

        var name = reader.GetString()!;
        var property = _type.Find(name);
        if (position < _namesByPosition.Count)
        {
            _namesByPosition[position] = name;
            _propertiesByPosition[position] = property;
        }
        else
        {
            _namesByPosition.Add(name);
            _propertiesByPosition.Add(property);
        }

        return name;
    }

    private object? ReadValue(ref Utf8JsonReader reader, EdmProperty? property)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Number:
                return ReadNumber(ref reader, property);
            case JsonTokenType.String:
                return ConvertString(reader.GetString()!, property);
            case JsonTokenType.StartArray:
                return ReadArray(ref reader, property);
            case JsonTokenType.StartObject:
                return ReadComplex(ref reader);
            default:
                throw new JsonException($"Unexpected JSON token {reader.TokenType}.");
        }
    }

    private object? ReadArray(ref Utf8JsonReader reader, EdmProperty? property)
    {
        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader, property));
        }

        // Typed arrays where the schema says so, so -contains and [string[]] casts behave.
        switch (property?.ElementType)
        {
            case "Edm.String":
                return items.ConvertAll(i => i as string).ToArray();
            case "Edm.Guid":
                return items.ConvertAll(i => i is Guid g ? g : Guid.Empty).ToArray();
            default:
                return items.ToArray();
        }
    }

    private static PSObject ReadComplex(ref Utf8JsonReader reader)
    {
        var result = new PSObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name.IndexOf('@') >= 0)
            {
                reader.Skip();
                continue;
            }

            object? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => reader.TryGetInt64(out var l) ? (object)l : reader.GetDouble(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                JsonTokenType.StartObject => ReadComplex(ref reader),
                _ => ReadUntypedArray(ref reader),
            };
            result.Properties.Add(new PSNoteProperty(name, value));
        }

        return result;
    }

    private static object?[] ReadUntypedArray(ref Utf8JsonReader reader)
    {
        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => reader.TryGetInt64(out var l) ? (object)l : reader.GetDouble(),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.StartObject => ReadComplex(ref reader),
                JsonTokenType.StartArray => ReadUntypedArray(ref reader),
                _ => null,
            });
        }

        return items.ToArray();
    }

    private object ReadNumber(ref Utf8JsonReader reader, EdmProperty? property)
    {
        var edmType = property?.ElementType;
        if (edmType == "Edm.Int64" && property is not null && IsSizeName(property.Name) && reader.TryGetInt64(out var bytes))
        {
            // Statistics sizes travel as Int64 bytes; long.MinValue is Unlimited (§6.4).
            return UnlimitedSize.FromBytes(bytes);
        }

        switch (edmType)
        {
            case "Edm.Int32" when reader.TryGetInt32(out var i):
                return i;
            case "Edm.Int16" when reader.TryGetInt16(out var s):
                return s;
            case "Edm.Double" or "Edm.Decimal" or "Edm.Single":
                return reader.GetDouble();
        }

        return reader.TryGetInt64(out var l) ? (object)l : reader.GetDouble();
    }

    /// <summary>
    /// Text of a property the schema types. Quotas the schema types as strings ("99 GB (106,300,440,576 bytes)",
    /// "Unlimited") stay the text Microsoft's module hands over (§6.4), so exports and seed files keep them; only the
    /// conversions Microsoft's module makes (Guids, dates) are made.
    /// </summary>
    internal static object? ConvertString(string value, EdmProperty? property) => property?.ElementType switch
    {
        null => ConvertUntypedString(value, null),
        "Edm.Guid" => Guid.TryParse(value, out var guid) ? (object)guid : value,
        "Edm.DateTimeOffset" => TryParseDate(value, out var date) ? (object)date : value,
        "Edm.String" => ConvertNamedString(value, property.Name),
        _ => value,
    };

    /// <summary>
    /// Text with no schema type (classic cmdlets' open objects, as remote PowerShell typed them): a size-named
    /// property's "Unlimited" or "1.5 GB (…)" becomes an <see cref="UnlimitedSize"/>, so <c>.Value.ToMB()</c>,
    /// sorting and <c>-eq 'Unlimited'</c> work; dates and object ids are typed as for the schema's strings.
    /// </summary>
    private static object? ConvertUntypedString(string value, string? name)
    {
        if (value.Length > 0 && (char.IsDigit(value[0]) || value[0] == 'U') && UnlimitedSize.TryParse(value, out var size)
            && (!size.IsUnlimited || name is null || IsSizeName(name)))
        {
            return size;
        }

        return name is null ? value : ConvertNamedString(value, name);
    }

    /// <summary>The schema types these as strings; Microsoft's module hands scripts DateTimes and a Guid.</summary>
    private static object ConvertNamedString(string value, string name) =>
        IsDateName(name) && TryParseDate(value, out var date) ? date
        : name == "ExchangeObjectId" && Guid.TryParse(value, out var objectId) ? (object)objectId
        : value;

    // The count and depth limits of MailboxStatistics (FoldersCountWarningQuota, FolderHierarchyDepthReceiveQuota…)
    // are numbers of items, folders or levels, not sizes.
    private static bool IsSizeName(string name) =>
        (name.EndsWith("Size", StringComparison.Ordinal) || name.EndsWith("Quota", StringComparison.Ordinal) || name.EndsWith("SizeLimit", StringComparison.Ordinal))
        && name.IndexOf("Count", StringComparison.Ordinal) < 0 && name.IndexOf("Depth", StringComparison.Ordinal) < 0;

    private static bool IsDateName(string name) =>
        name.StartsWith("When", StringComparison.Ordinal) ||
        name.EndsWith("Date", StringComparison.Ordinal) ||
        name.EndsWith("Sync", StringComparison.Ordinal) ||
        name.EndsWith("Time", StringComparison.Ordinal) ||
        name.EndsWith("TimeUTC", StringComparison.Ordinal);

    private static bool TryParseDate(string value, out DateTime date) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out date);
}
