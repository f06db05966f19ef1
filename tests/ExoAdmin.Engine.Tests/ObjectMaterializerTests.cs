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
        // The schema types quotas as strings and Microsoft's module hands them over as such (§6.4).
        Assert.Equal("99 GB (106,300,440,576 bytes)", mailbox.Properties["ProhibitSendQuota"].Value);
        Assert.Null(mailbox.Properties["ForwardingSmtpAddress"].Value);
    }

    [Fact]
    public void Property_names_take_the_schema_spelling()
    {
        var mailbox = Materialize("{\"displayname\":\"Alex\"}");

        Assert.Equal("DisplayName", mailbox.Properties.Single().Name);
    }

    [Fact]
    public void Statistics_sizes_become_sizes_and_long_MinValue_is_Unlimited()
    {
        var statistics = new ObjectMaterializer(EdmModel.Instance.GetType("MailboxStatistics"), "ExoAdmin.MailboxStatistics")
            .Materialize(Encoding.UTF8.GetBytes("{\"TotalItemSize\":246913578,\"DatabaseProhibitSendQuota\":-9223372036854775808,\"ItemCount\":12,\"LastLogonTime\":\"2025-05-31T10:00:00+00:00\","
                + "\"NamedPropertiesCountQuota\":16384,\"FolderHierarchyDepthWarningQuota\":250,\"SystemMessageSizeShutoffQuota\":4294967296}"));

        Assert.Equal("235.5 MB (246,913,578 bytes)", statistics.Properties["TotalItemSize"].Value!.ToString());
        Assert.True(Assert.IsType<UnlimitedSize>(statistics.Properties["DatabaseProhibitSendQuota"].Value).IsUnlimited);
        Assert.Equal("Unlimited", statistics.Properties["DatabaseProhibitSendQuota"].Value!.ToString());
        Assert.Equal(12L, statistics.Properties["ItemCount"].Value);
        Assert.Equal(16_384L, statistics.Properties["NamedPropertiesCountQuota"].Value);
        Assert.Equal(250L, statistics.Properties["FolderHierarchyDepthWarningQuota"].Value);
        Assert.Equal("4 GB (4,294,967,296 bytes)", statistics.Properties["SystemMessageSizeShutoffQuota"].Value!.ToString());
        Assert.IsType<DateTime>(statistics.Properties["LastLogonTime"].Value);
    }

    [Fact]
    public void Open_type_text_that_looks_like_a_size_or_date_is_typed_too()
    {
        var item = new ObjectMaterializer(new EdmStructuredType("GenericHashTable", new Dictionary<string, EdmProperty>()), "ExoAdmin.Object")
            .Materialize(Encoding.UTF8.GetBytes("{\"ArchiveQuota\":\"Unlimited\",\"Notes\":\"Unlimited\",\"EndTime\":\"2026-07-15T17:00:00+00:00\"}"));

        Assert.IsType<UnlimitedSize>(item.Properties["ArchiveQuota"].Value);
        Assert.Equal("Unlimited", item.Properties["Notes"].Value); // only size-named properties read "Unlimited" as a size
        Assert.IsType<DateTime>(item.Properties["EndTime"].Value);
    }

    [Fact]
    public void Quotas_the_schema_types_as_strings_stay_the_service_text_Unlimited_included()
    {
        var mailbox = Materialize("{\"ProhibitSendQuota\":\"Unlimited\",\"ArchiveQuota\":\"110 GB (118,111,600,640 bytes)\",\"MaxSendSize\":\"35 MB (36,700,160 bytes)\"}");

        Assert.All(mailbox.Properties, p => Assert.IsType<string>(p.Value));
        Assert.Equal(new object[] { "Unlimited", "110 GB (118,111,600,640 bytes)", "35 MB (36,700,160 bytes)" }, mailbox.Properties.Select(p => p.Value));
    }

    [Fact]
    public void Classic_sizes_stay_sizes_that_compare_with_text_and_object_ids_stay_Guids()
    {
        var id = Guid.NewGuid();
        var item = new ObjectMaterializer(new EdmStructuredType("GenericHashTable", new Dictionary<string, EdmProperty>()), "ExoAdmin.Object")
            .Materialize(Encoding.UTF8.GetBytes($"{{\"ProhibitSendQuota\":\"Unlimited\",\"IssueWarningQuota\":\"98 GB (105,226,698,752 bytes)\",\"ExchangeObjectId\":\"{id}\"}}"));

        Assert.Equal(UnlimitedSize.Parse("Unlimited"), item.Properties["ProhibitSendQuota"].Value);
        var warning = Assert.IsType<UnlimitedSize>(item.Properties["IssueWarningQuota"].Value);
        Assert.True(warning.CompareTo(UnlimitedSize.Parse("50GB")) > 0);
        Assert.Equal(id, item.Properties["ExchangeObjectId"].Value);
    }
}
