using System.Globalization;
using System.Text.Json;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// What a mailbox export says beyond the facts a mailbox is made of. Every exported property of the schema's Mailbox
/// whose value differs from what the sandbox derives from those facts is kept in <see cref="Mailbox.Stored"/>, so a
/// sandbox seeded from an export serves back what was exported: a UserPrincipalName other than the primary address,
/// quotas, retention and policy names, custom attributes, the original tenant's distinguished names… Values are read
/// into the schema's type from the shapes <c>ConvertTo-Json</c> gives them (dates as ISO or "\/Date(ms)\/" text, GUIDs
/// as text, booleans the service sends as "True" text as JSON booleans, Unlimited sizes as objects); a value in a
/// shape that says nothing of it (a size object without its bytes) is not kept, and the derived value stands.
/// </summary>
internal static class ExportedValues
{
    /// <param name="facts">The mailbox built from the export's facts, with nothing stored yet.</param>
    public static StoredProperties Keep(JsonElement entry, Mailbox facts)
    {
        var stored = StoredProperties.Empty;
        foreach (var property in Exchange.PropertySets.For("Mailbox").AllProperties)
        {
            if (!ExportJson.Has(entry, property.Name, out var json))
            {
                continue;
            }

            var derived = MailboxProperties.Get(property.Name)(facts);
            if (TryRead(json, property, derived, out var value) && !value.SameAs(derived))
            {
                stored = stored.With(property.Name, value);
            }
        }

        return stored;
    }

    /// <summary>An exported value in the schema's type; false when its shape does not say what the value is.</summary>
    /// <param name="derived">What the sandbox would serve: a date is compared by instant and written in its form.</param>
    internal static bool TryRead(JsonElement json, EdmProperty property, PropertyValue derived, out PropertyValue value)
    {
        value = PropertyValue.Null;
        if (json.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            value = !property.IsCollection ? PropertyValue.Null
                : property.Kind == EdmValueKind.Guid ? Array.Empty<Guid>()
                : Array.Empty<string>();
            return property.Kind != EdmValueKind.Structured || property.IsCollection;
        }

        if (property.IsCollection)
        {
            return TryReadList(json, property, out value);
        }

        switch (property.Kind)
        {
            case EdmValueKind.Boolean when Flag(json) is { } flag:
                value = flag;
                return true;
            case EdmValueKind.Integer when json.ValueKind == JsonValueKind.Number ? json.TryGetInt64(out var number)
                    : long.TryParse(json.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number):
                value = number;
                return true;
            case EdmValueKind.Guid when System.Guid.TryParse(json.ToString(), out var guid):
                value = guid;
                return true;
            case EdmValueKind.String or EdmValueKind.DateTimeOffset or EdmValueKind.Enum when Text(json, property, derived) is { } text:
                value = text;
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadList(JsonElement json, EdmProperty property, out PropertyValue value)
    {
        value = PropertyValue.Null;
        var items = json.ValueKind == JsonValueKind.Array ? json.EnumerateArray().ToArray() : [json];
        switch (property.Kind)
        {
            case EdmValueKind.Guid:
                var guids = items.Select(i => System.Guid.TryParse(i.ToString(), out var g) ? g : (Guid?)null).ToArray();
                value = guids.All(g => g.HasValue) ? guids.Select(g => g!.Value).ToArray() : PropertyValue.Null;
                return guids.All(g => g.HasValue);
            case EdmValueKind.Structured:
                // Certificates (Collection(Exchange.ByteArrayType)): each exported as its bytes, or already as {"Data":[…]}.
                var certificates = items.Select(Certificate).ToArray();
                value = items.Length == 0 ? Array.Empty<string>() : PropertyValue.FromJson("[" + string.Join(',', certificates) + "]");
                return certificates.All(c => c.Length > 0);
            default:
                // Strings; a CultureInfo (Languages, from Microsoft's module) by its name.
                var texts = items.Select(i => i.ValueKind == JsonValueKind.Object ? ExportJson.String(i, "Name") : i.ToString()).ToArray();
                value = texts.All(t => t is not null) ? texts.Select(t => t!).ToArray() : PropertyValue.Null;
                return texts.All(t => t is not null);
        }
    }

    /// <summary>A text value: dates in the service's form, booleans and numbers as the service prints them.</summary>
    private static string? Text(JsonElement json, EdmProperty property, PropertyValue derived) => json.ValueKind switch
    {
        JsonValueKind.String => Date(json.GetString()!, property, derived) ?? json.GetString(),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Number => json.GetRawText(),
        // ExoAdmin's Unlimited size: only "Unlimited" can be told from its object form.
        JsonValueKind.Object when ExportJson.Property(json, "IsUnlimited") is { ValueKind: JsonValueKind.True } => "Unlimited",
        _ => null,
    };

    /// <summary>
    /// A date as the service writes this property: the derived value itself when it is the same instant, else in
    /// the derived value's form ("Z" for the UTC properties, "+00:00" for the others).
    /// </summary>
    private static string? Date(string text, EdmProperty property, PropertyValue derived)
    {
        if (ExportJson.ParseDate(text) is not { } date)
        {
            return null;
        }

        var served = derived.ToObject() as string;
        if (served is not null && ExportJson.ParseDate(served) is { } derivedDate)
        {
            return derivedDate == date ? served : served.EndsWith('Z') ? MailboxProperties.UtcTime(date) : MailboxProperties.LocalTime(date);
        }

        return property.Kind == EdmValueKind.DateTimeOffset || property.Name.EndsWith("UTC", StringComparison.Ordinal)
            ? MailboxProperties.UtcTime(date)
            : MailboxProperties.LocalTime(date);
    }

    private static bool? Flag(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String when bool.TryParse(json.GetString(), out var flag) => flag,
        _ => null,
    };

    /// <summary>One certificate as {"Data":[bytes]}; "" when its shape is not one of a certificate.</summary>
    private static string Certificate(JsonElement item)
    {
        if (item.ValueKind == JsonValueKind.Object && ExportJson.Property(item, "Data") is { ValueKind: JsonValueKind.Array })
        {
            return item.GetRawText();
        }

        byte[]? bytes = item.ValueKind switch
        {
            JsonValueKind.Array when item.EnumerateArray().All(b => b.ValueKind == JsonValueKind.Number && b.TryGetByte(out _)) =>
                item.EnumerateArray().Select(b => b.GetByte()).ToArray(),
            JsonValueKind.String => TryBase64(item.GetString()!),
            _ => null,
        };
        return bytes is null ? string.Empty : JsonSerializer.Serialize(new { Data = bytes.Select(b => (int)b) });
    }

    private static byte[]? TryBase64(string text)
    {
        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var length) ? bytes[..length] : null;
    }
}
