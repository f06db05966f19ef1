using System.Text.Json;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// A mailbox as a classic cmdlet returns it in InvokeCommand's JSON format: an Exchange.GenericHashTable
/// (an open type), every value in remote-PowerShell style (sizes and dates as strings) and each collection
/// preceded by its "@odata.type" annotation.
/// </summary>
internal sealed class MailboxOutput(Mailbox mailbox, PropertySelection properties) : ICmdletOutput
{
    private static readonly JsonEncodedText StringCollection = JsonEncodedText.Encode("#Collection(String)");

    public int Ordinal => mailbox.Ordinal;

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

        writer.WriteEndObject();
    }
}
