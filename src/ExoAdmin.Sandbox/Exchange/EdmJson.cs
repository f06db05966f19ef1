using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The one place an OData answer's property values meet the schema. A collection-typed property is never
/// null: strict readers refuse that ("Properties that are a collection type of primitive or complex types
/// cannot be null", §18.3), so a value that is not there is written as <c>[]</c>, decided here from the schema
/// type rather than by each object's builder.
/// </summary>
internal static class EdmJson
{
    public static void WriteValue(Utf8JsonWriter writer, EdmProperty property, PropertyValue value)
    {
        if (value.Kind == PropertyValueKind.Null && property.IsCollection)
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
            return;
        }

        value.WriteTo(writer);
    }

    /// <summary>
    /// A property of <paramref name="type"/> by name, structural or navigation. A name the type does not
    /// declare is the sandbox's mistake, refused here before it reaches a client that would refuse the answer.
    /// </summary>
    public static EdmProperty Property(EdmStructuredType type, string name) =>
        type.TryGetProperty(name, out var property) || type.TryGetNavigationProperty(name, out property)
            ? property
            : throw new InvalidOperationException($"Exchange.{type.Name} has no property '{name}'; an OData answer may only carry what the schema declares.");
}
