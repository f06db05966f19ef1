using System.Text.Json;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// A mailbox as a classic cmdlet returns it in InvokeCommand's JSON format: an Exchange.GenericHashTable
/// (an open type), every value in remote-PowerShell style (sizes and dates as strings) and each collection
/// preceded by its "@odata.type" annotation.
/// </summary>
/// <param name="ordinal">Its position in the cmdlet's order, when that is not the tenant's (-SortBy).</param>
internal sealed class MailboxOutput(Mailbox mailbox, PropertySelection properties, int? ordinal = null) : ICmdletOutput
{
    private static readonly JsonEncodedText StringCollection = JsonEncodedText.Encode("#Collection(String)");
    private static readonly Edm.EdmStructuredType MailboxType = Edm.EdmSchema.Instance.GetType("Mailbox");

    public int Ordinal => ordinal ?? mailbox.Ordinal;

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#Exchange.GenericHashTable");
        foreach (var property in properties.Properties)
        {
            var value = property.Read(mailbox);
            if (value.IsList)
            {
                writer.WriteString(property.TypeAnnotation, StringCollection);
            }

            writer.WritePropertyName(property.Name);
            value.WriteTo(writer);
        }

        // What Set-Mailbox stored that the Mailbox entity has no property for still shows in classic output.
        foreach (var (name, value) in mailbox.Stored.All.Where(s => !MailboxType.TryGetProperty(s.Key, out _)))
        {
            if (value.IsList)
            {
                writer.WriteString(name + "@odata.type", StringCollection);
            }

            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
