using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Text.Json;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests;

/// <summary>The InvokeCommand body and its §5.2 value encodings.</summary>
public class CmdletParameterWriterTests
{
    private static JsonElement Parameters(IDictionary parameters, string cmdlet = "Set-Mailbox")
    {
        var body = JsonDocument.Parse(CmdletParameterWriter.Write(cmdlet, parameters.Cast<System.Collections.DictionaryEntry>().Select(e => new KeyValuePair<string, object?>((string)e.Key, e.Value)))).RootElement.GetProperty("CmdletInput");
        Assert.Equal(cmdlet, body.GetProperty("CmdletName").GetString());
        return body.GetProperty("Parameters").Clone();
    }

    [Fact]
    public void Hashtables_are_GenericHashTables_recursively_and_arrays_of_them_are_annotated()
    {
        var p = Parameters(new OrderedDictionary
        {
            ["EmailAddresses"] = new Hashtable { ["Add"] = "smtp:x@y" },
            ["Rules"] = new object[] { new Hashtable { ["Inner"] = new Hashtable { ["A"] = 1 } } },
        });

        Assert.Equal("#Exchange.GenericHashTable", p.GetProperty("EmailAddresses").GetProperty("@odata.type").GetString());
        Assert.Equal("smtp:x@y", p.GetProperty("EmailAddresses").GetProperty("Add").GetString());
        Assert.Equal("#Collection(Exchange.GenericHashTable)", p.GetProperty("Rules@odata.type").GetString());
        Assert.Equal("#Exchange.GenericHashTable", p.GetProperty("Rules")[0].GetProperty("Inner").GetProperty("@odata.type").GetString());
    }

    [Fact]
    public void Scalars_switches_dates_bytes_and_ResultSize_take_their_wire_forms()
    {
        var p = Parameters(new OrderedDictionary
        {
            ["Force"] = new SwitchParameter(true),
            ["DeliverToMailboxAndForward"] = PSObject.AsPSObject(false),
            ["Count"] = 5,
            ["StartTime"] = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc),
            ["Photo"] = new byte[] { 1, 2, 3 },
            ["ResultSize"] = ResultSize.Unlimited,
            ["Limit"] = ResultSize.Of(7),
            ["Span"] = TimeSpan.FromHours(1),
            ["Members"] = new[] { "a", "b" },
            ["Cleared"] = null,
        });

        Assert.True(p.GetProperty("Force").GetBoolean());
        Assert.False(p.GetProperty("DeliverToMailboxAndForward").GetBoolean());
        Assert.Equal(5, p.GetProperty("Count").GetInt32());
        Assert.Equal("2024-03-04T05:06:07.0000000Z", p.GetProperty("StartTime").GetString());
        Assert.Equal("#Exchange.ByteArrayType", p.GetProperty("Photo").GetProperty("@odata.type").GetString());
        Assert.Equal("AQID", p.GetProperty("Photo").GetProperty("Data").GetString());
        Assert.Equal("Unlimited", p.GetProperty("ResultSize").GetString());
        Assert.Equal(7, p.GetProperty("Limit").GetInt32());
        Assert.Equal("01:00:00", p.GetProperty("Span").GetString());
        Assert.Equal(["a", "b"], p.GetProperty("Members").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, p.GetProperty("Cleared").ValueKind);
    }

    [Fact]
    public void Filter_booleans_become_quoted_text()
    {
        var p = Parameters(new OrderedDictionary { ["Filter"] = "HiddenFromAddressListsEnabled -eq $true -and IsShared -ne $False" }, "Get-Mailbox");

        Assert.Equal("HiddenFromAddressListsEnabled -eq 'True' -and IsShared -ne 'False'", p.GetProperty("Filter").GetString());
    }
}
