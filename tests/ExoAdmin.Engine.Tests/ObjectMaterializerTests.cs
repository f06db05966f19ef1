using System.Management.Automation;
using System.Text;
using ExoAdmin.Engine.Model;

namespace ExoAdmin.Engine.Tests;

public class ObjectMaterializerTests
{
    private static PSObject Materialize(string json) =>
        new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox").Materialize(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Keeps_only_the_properties_sent_in_server_order_without_annotations_or_ObjectKey()
    {
        var mailbox = Materialize("{\"@odata.id\":\"x\",\"ObjectKey\":\"k\",\"DisplayName\":\"Alex\",\"EmailAddresses@odata.type\":\"#Collection(String)\",\"EmailAddresses\":[\"SMTP:a@b\"],\"Alias\":\"alex\"}");

        Assert.Equal(new[] { "DisplayName", "EmailAddresses", "Alias" }, mailbox.Properties.Select(p => p.Name));
        Assert.Equal("ExoAdmin.Mailbox", mailbox.TypeNames[0]);
    }

    [Fact]
    public void Types_values_by_the_schema()
    {
        var guid = Guid.NewGuid();
        var mailbox = Materialize($"{{\"Guid\":\"{guid}\",\"ExchangeObjectId\":\"{guid}\",\"WhenCreated\":\"2021-03-04T05:06:07Z\",\"LitigationHoldEnabled\":true,\"EmailAddresses\":[\"SMTP:a@b\",\"smtp:c@d\"],\"ProhibitSendQuota\":\"99 GB (106,300,440,576 bytes)\",\"ForwardingSmtpAddress\":null}}");

        Assert.Equal(guid, mailbox.Properties["Guid"].Value);
        Assert.Equal(guid, mailbox.Properties["ExchangeObjectId"].Value); // a string in the schema, a Guid for scripts
        Assert.Equal(new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc), mailbox.Properties["WhenCreated"].Value);
        Assert.Equal(true, mailbox.Properties["LitigationHoldEnabled"].Value);
        Assert.Equal(new[] { "SMTP:a@b", "smtp:c@d" }, Assert.IsType<string[]>(mailbox.Properties["EmailAddresses"].Value));
        Assert.Equal("99 GB (106,300,440,576 bytes)", mailbox.Properties["ProhibitSendQuota"].Value);
        Assert.Null(mailbox.Properties["ForwardingSmtpAddress"].Value);
    }

    [Fact]
    public void Property_names_take_the_schema_spelling()
    {
        var mailbox = Materialize("{\"displayname\":\"Alex\"}");

        Assert.Equal("DisplayName", mailbox.Properties.Single().Name);
    }
}
