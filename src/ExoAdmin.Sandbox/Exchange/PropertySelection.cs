using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>One property to serve: its schema entry, its pre-encoded JSON name and how to read it.</summary>
internal sealed class SelectedProperty(EdmProperty edm, Func<Mailbox, PropertyValue> read)
{
    public EdmProperty Edm { get; } = edm;

    public JsonEncodedText Name { get; } = JsonEncodedText.Encode(edm.Name, JsonDefaults.WriterOptions.Encoder);

    /// <summary>"Name@odata.type", the annotation InvokeCommand puts before collection values.</summary>
    public JsonEncodedText TypeAnnotation { get; } = JsonEncodedText.Encode(edm.Name + "@odata.type", JsonDefaults.WriterOptions.Encoder);

    public Func<Mailbox, PropertyValue> Read { get; } = read;
}

/// <summary>The properties a request selected, in schema order.</summary>
internal sealed class PropertySelection(IReadOnlyList<SelectedProperty> properties)
{
    public IReadOnlyList<SelectedProperty> Properties { get; } = properties;

    /// <summary>Writes a Mailbox entity in OData JSON (minimal metadata): each property with its Edm-typed value.</summary>
    /// <param name="contextUrl">The @odata.context of a top-level entity; null inside a collection.</param>
    public void WriteEntity(Utf8JsonWriter writer, Mailbox mailbox, string? contextUrl = null)
    {
        writer.WriteStartObject();
        if (contextUrl is not null)
        {
            writer.WriteString("@odata.context", contextUrl);
        }

        foreach (var property in Properties)
        {
            writer.WritePropertyName(property.Name);
            EdmJson.WriteValue(writer, property.Edm, property.Read(mailbox));
        }

        writer.WriteEndObject();
    }
}
