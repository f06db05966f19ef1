using System.Globalization;
using System.Text.Json;
using ExoAdmin.Sandbox.Catalogue;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// How a Set-/New- cmdlet keeps what it was given: every bound parameter that sets a property is stored under the
/// property of the same name, converted to the type the schema gives it (an Unlimited quota such as 49GB becomes the
/// "49 GB (52,613,349,376 bytes)" string Edm.String calls for, a DateTime the service's date text, @{Add=…;Remove=…}
/// is applied to the current list), or by the parameter's own type where the schema has no such property. Not
/// stored: identities, switches (they ask for an action, not a value), secrets, the parameters the cmdlet handles
/// itself, and a parameter whose value cannot take the schema's type (an action the schema happens to name).
/// </summary>
internal static class ParameterStore
{
    /// <param name="stored">What the object has stored so far.</param>
    /// <param name="schemaType">The object's type in the schema; null when the schema has none (distribution groups…).</param>
    /// <param name="current">The object's current value of a property, for @{Add=…;Remove=…} and clearing.</param>
    /// <param name="handled">Parameters the cmdlet handles itself.</param>
    public static StoredProperties Apply(
        StoredProperties stored, CmdletParameters parameters, EdmStructuredType? schemaType, Func<string, PropertyValue> current, params string[] handled)
    {
        foreach (var (parameter, value) in Storable(parameters, handled))
        {
            EdmProperty? property = null;
            if (schemaType?.TryGetProperty(parameter.Name, out var found) == true)
            {
                property = found;
            }

            if (TryConvert(parameter, value, property, current(parameter.Name), out var converted))
            {
                stored = stored.With(property?.Name ?? parameter.Name, converted);
            }
        }

        return stored;
    }

    /// <summary>The bound parameters <see cref="Apply"/> would store, for what a plan says it will change.</summary>
    public static IEnumerable<(CatalogueParameter Parameter, JsonElement Value)> Storable(CmdletParameters parameters, params string[] handled) =>
        parameters.Bound.Where(b => !b.Parameter.Name.Equals("Identity", StringComparison.OrdinalIgnoreCase)
            && !handled.Contains(b.Parameter.Name, StringComparer.OrdinalIgnoreCase)
            && ParameterTypes.Of(b.Parameter.TypeName).Kind is not (ParameterKind.Switch or ParameterKind.SecureString or ParameterKind.Credential));

    private static bool TryConvert(CatalogueParameter parameter, JsonElement value, EdmProperty? property, PropertyValue current, out PropertyValue result)
    {
        result = PropertyValue.Null;
        var kind = ParameterTypes.Of(parameter.TypeName).Kind;
        var isList = property?.IsCollection ?? kind is ParameterKind.MultiValued or ParameterKind.TextList;
        if (value.ValueKind == JsonValueKind.Null)
        {
            result = isList ? Array.Empty<string>() : current.Kind == PropertyValueKind.String ? string.Empty : PropertyValue.Null;
            return true;
        }

        if (property is { IsCollection: true, Kind: EdmValueKind.Structured })
        {
            // Certificates (Collection(Exchange.ByteArrayType)): kept as the JSON the schema describes.
            return TryByteArrays(value, out result);
        }

        if (isList)
        {
            return property is null or { Kind: EdmValueKind.String } && TryList(value, current, out result);
        }

        if (value.ValueKind is JsonValueKind.Array or JsonValueKind.Object)
        {
            // A hashtable parameter the schema has no property for is kept as given; any other shape is not a value.
            var keep = property is null && kind is ParameterKind.Hashtable or ParameterKind.HashtableList;
            result = keep ? PropertyValue.FromJson(value.GetRawText()) : PropertyValue.Null;
            return keep;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        var target = property?.Kind ?? kind switch
        {
            ParameterKind.Boolean => EdmValueKind.Boolean,
            ParameterKind.Integer => EdmValueKind.Integer,
            ParameterKind.Guid => EdmValueKind.Guid,
            _ => EdmValueKind.String,
        };
        switch (target)
        {
            case EdmValueKind.Boolean when bool.TryParse(text, out var flag):
                result = flag;
                return true;
            case EdmValueKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number):
                result = number;
                return true;
            case EdmValueKind.Guid when Guid.TryParse(text, out var guid):
                result = guid;
                return true;
            case EdmValueKind.String or EdmValueKind.DateTimeOffset:
                result = AsText(parameter, kind, text);
                return true;
            default:
                return false;
        }
    }

    /// <summary>A single value as the service prints it.</summary>
    private static string AsText(CatalogueParameter parameter, ParameterKind kind, string text) => kind switch
    {
        ParameterKind.Unlimited when ParameterValues.TryNormalizeUnlimited(text, ParameterValues.UnlimitedKind(parameter.Name), out var normalized) => normalized,
        ParameterKind.TimeSpan when ParameterValues.TryParseTimeSpan(text, out var span) => ParameterValues.FormatTimeSpan(span),
        ParameterKind.Date when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date) =>
            MailboxProperties.LocalTime(date),
        ParameterKind.Boolean or ParameterKind.Switch when bool.TryParse(text, out var flag) => flag ? "True" : "False",
        _ => text,
    };

    /// <summary>A list replaced by a value or array, or changed by {"Add":…,"Remove":…} (case-insensitive, order kept).</summary>
    private static bool TryList(JsonElement value, PropertyValue current, out PropertyValue result)
    {
        result = PropertyValue.Null;
        if (value.ValueKind != JsonValueKind.Object)
        {
            result = Items(value).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            return true;
        }

        var list = (current.ToObject() as string[] ?? []).ToList();
        foreach (var part in value.EnumerateObject())
        {
            if (part.Name.Equals("Add", StringComparison.OrdinalIgnoreCase))
            {
                list.AddRange(Items(part.Value).Where(item => !list.Contains(item, StringComparer.OrdinalIgnoreCase)));
            }
            else if (part.Name.Equals("Remove", StringComparison.OrdinalIgnoreCase))
            {
                var removed = Items(part.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
                list.RemoveAll(removed.Contains);
            }
        }

        result = list.ToArray();
        return true;
    }

    private static IEnumerable<string> Items(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.EnumerateArray().Where(i => i.ValueKind != JsonValueKind.Null).Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()),
        JsonValueKind.Null or JsonValueKind.Undefined => [],
        JsonValueKind.String => [value.GetString()!],
        _ => [value.GetRawText()],
    };

    /// <summary>Byte arrays sent as {"@odata.type":"#Exchange.ByteArrayType","Data":base64 or [bytes]}, kept as [{"Data":[…]}].</summary>
    private static bool TryByteArrays(JsonElement value, out PropertyValue result)
    {
        result = PropertyValue.Null;
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToArray() : [value];
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                if (!item.TryGetProperty("Data", out var data))
                {
                    return false;
                }

                byte[] bytes;
                if (data.ValueKind == JsonValueKind.String && data.TryGetBytesFromBase64(out var decoded))
                {
                    bytes = decoded;
                }
                else if (data.ValueKind == JsonValueKind.Array && data.EnumerateArray().All(b => b.TryGetByte(out _)))
                {
                    bytes = data.EnumerateArray().Select(b => b.GetByte()).ToArray();
                }
                else
                {
                    return false;
                }

                writer.WriteStartObject();
                writer.WriteStartArray("Data");
                foreach (var b in bytes)
                {
                    writer.WriteNumberValue(b);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        result = PropertyValue.FromJson(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        return true;
    }
}
