using System.Globalization;
using System.Text.Json;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Reading what <c>ConvertTo-Json</c> wrote from cmdlet output, in PowerShell 7 (ISO dates) or Windows PowerShell
/// ("\/Date(ms)\/"): a JSON array of objects, or one object when the cmdlet returned one. Property names are matched
/// case-insensitively; a JSON null reads as absent.
/// </summary>
internal static class ExportJson
{
    /// <summary>The objects of an export file.</summary>
    /// <exception cref="InvalidDataException">Not JSON, or not objects; the message names the file and the reason.</exception>
    public static JsonElement[] LoadObjects(string path, string what)
    {
        JsonDocument document;
        try
        {
            // ConvertTo-Json may write a BOM (Windows PowerShell); JsonDocument skips it on streams.
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var entries = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select(e => e.Clone()).ToArray(),
                JsonValueKind.Object => [root.Clone()],
                _ => throw new InvalidDataException($"{path} must hold a JSON array of {what} (or one object)."),
            };
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{path}: entry {i} is not an object.");
                }
            }

            return entries;
        }
    }

    /// <summary>A property's value; null when absent or JSON null.</summary>
    public static JsonElement? Property(JsonElement e, string name)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : property.Value;
            }
        }

        return null;
    }

    /// <summary>Whether the object has the property at all, null included (an exported null is a value).</summary>
    public static bool Has(JsonElement e, string name, out JsonElement value)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string? String(JsonElement e, string name) =>
        Property(e, name) is { } value ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()) is { Length: > 0 } text ? text : null : null;

    /// <summary>
    /// A list: a JSON array, or one string (ConvertTo-Json writes a one-item list of some types as its item); an object
    /// in it (a CultureInfo from Microsoft's module) by its Name.
    /// </summary>
    public static string[] Strings(JsonElement e, string name) =>
        Property(e, name) switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.Object ? String(v, "Name") ?? string.Empty : v.ToString()).Where(v => v.Length > 0).ToArray(),
            { ValueKind: JsonValueKind.String } one when one.GetString() is { Length: > 0 } text => [text],
            _ => [],
        };

    public static Guid? Guid(JsonElement e, string name) =>
        String(e, name) is { } text && System.Guid.TryParse(text, out var guid) && guid != System.Guid.Empty ? guid : null;

    public static bool Bool(JsonElement e, string name) =>
        Property(e, name) is { } value && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var b) && b));

    public static int? Int(JsonElement e, string name) =>
        Property(e, name) is { } value && (value.ValueKind == JsonValueKind.Number ? value.TryGetInt32(out var n) : int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) ? n : null;

    /// <summary>A date property as UTC, in any form .NET reads as a date.</summary>
    public static DateTime? Date(JsonElement e, string name) =>
        String(e, name) is not { } text ? null
        : ParseDate(text) ?? (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.UtcDateTime : null);

    /// <summary>ISO 8601 (PowerShell 7, the service) or "/Date(ms)/" (Windows PowerShell), as UTC; null when neither.</summary>
    public static DateTime? ParseDate(string text)
    {
        if (text.StartsWith("/Date(", StringComparison.Ordinal))
        {
            var digits = new string(text[6..].TakeWhile(c => char.IsDigit(c) || c == '-').ToArray());
            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
                : null;
        }

        return text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.UtcDateTime
            : null;
    }
}
