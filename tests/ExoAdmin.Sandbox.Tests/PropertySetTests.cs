using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Edm;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The property sets of Recipient, CasMailbox and MailboxStatistics as the service shapes them: every answer is
/// the Minimum set plus the named sets' documented members plus $select, and All is the schema type's properties.
/// Members are written out here from Microsoft's page "Property sets in Exchange Online PowerShell module
/// cmdlets", independently of the sandbox's Data/PropertySets.json.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class PropertySetTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(PropertySetTests));

    private const string Contoso = SandboxFixture.Contoso;

    private static readonly string[] RecipientMinimum = ["ExchangeVersion", "ExternalDirectoryObjectId", "Name", "OrganizationId", "RecipientType", "RecipientTypeDetails"];

    private static readonly Dictionary<string, string[]> RecipientSets = new()
    {
        ["Archive"] = ["ArchiveDatabase", "ArchiveGuid", "ArchiveRelease", "ArchiveState", "ArchiveStatus"],
        ["Custom"] =
        [
            .. Enumerable.Range(1, 15).Select(i => $"CustomAttribute{i}"), .. Enumerable.Range(1, 5).Select(i => $"ExtensionCustomAttribute{i}"),
        ],
        ["MailboxMove"] = ["MailboxMoveBatchName", "MailboxMoveFlags", "MailboxMoveRemoteHostName", "MailboxMoveSourceMDB", "MailboxMoveStatus", "MailboxMoveTargetMDB"],
        ["Policy"] =
        [
            "ActiveSyncMailboxPolicy", "ActiveSyncMailboxPolicyIsDefaulted", "AddressBookPolicy", "EmailAddressPolicyEnabled", "ManagedFolderMailboxPolicy",
            "OwaMailboxPolicy", "PoliciesExcluded", "PoliciesIncluded", "RetentionPolicy", "SharingPolicy", "ShouldUseDefaultRetentionPolicy", "UMMailboxPolicy",
        ],
    };

    private static readonly string[] CasMinimum =
    [
        "ActiveSyncEnabled", "DisplayName", "ECPEnabled", "EmailAddresses", "EwsEnabled", "ExchangeVersion", "Guid", "Identity", "ImapEnabled",
        "MAPIEnabled", "Name", "OWAEnabled", "OrganizationId", "PopEnabled", "PrimarySmtpAddress", "ServerLegacyDN",
    ];

    private static readonly string[] CasKeys = ["ExternalDirectoryObjectId", "Guid", "Identity", "Name", "OrganizationId"];

    private static readonly Dictionary<string, string[]> CasSets = new()
    {
        ["ActiveSync"] =
        [
            .. CasKeys, "ActiveSyncAllowedDeviceIDs", "ActiveSyncBlockedDeviceIDs", "ActiveSyncEnabled", "ActiveSyncMailboxPolicy",
            "ActiveSyncMailboxPolicyIsDefaulted", "ActiveSyncSuppressReadReceipt", "HasActiveSyncDevicePartnership",
        ],
        ["Ews"] = [.. CasKeys, "EwsAllowMacOutlook", "EwsAllowOutlook", "EwsEnabled"],
        ["Imap"] =
        [
            .. CasKeys, "ImapEnableExactRFC822Size", "ImapEnabled", "ImapForceICalForCalendarRetrievalOption", "ImapMessagesRetrievalMimeFormat",
            "ImapSuppressReadReceipt", "ImapUseProtocolDefaults",
        ],
        ["Mapi"] =
        [
            .. CasKeys, "MAPIBlockOutlookExternalConnectivity", "MAPIBlockOutlookNonCachedMode", "MAPIBlockOutlookRpcHttp", "MAPIBlockOutlookVersions",
            "MAPIEnabled", "MapiHttpEnabled",
        ],
        ["Pop"] = [.. CasKeys, "PopEnableExactRFC822Size", "PopEnabled", "PopMessagesRetrievalMimeFormat", "PopSuppressReadReceipt", "PopUseProtocolDefaults"],
        ["ProtocolSettings"] =
        [
            .. CasKeys, "ExternalImapSettings", "ExternalPopSettings", "ExternalSmtpSettings", "InternalImapSettings", "InternalPopSettings", "InternalSmtpSettings",
        ],
    };

    private static readonly string[] StatisticsMinimum = ["DeletedItemCount", "DisplayName", "ItemCount", "MailboxGuid", "TotalDeletedItemSize", "TotalItemSize"];

    private string Api => sandbox.AdminApi(Contoso);

    public static TheoryData<string> RecipientSetNames() => new(RecipientSets.Keys);

    public static TheoryData<string> CasSetNames() => new(CasSets.Keys);

    [Fact]
    public async Task Recipient_without_a_set_is_exactly_the_minimum_set_for_mailboxes_and_groups()
    {
        var recipients = await RecipientsAsync("/Recipient");

        Assert.Contains(recipients, r => r.GetProperty("RecipientTypeDetails").GetString() == "MailUniversalDistributionGroup");
        Assert.All(recipients, r => Assert.Equal(RecipientMinimum.Order(), Names(r)));
        var sales = recipients.Single(r => r.GetProperty("Name").GetString() == "sales");
        Assert.Equal("SharedMailbox", sales.GetProperty("RecipientTypeDetails").GetString());
        Assert.Equal("UserMailbox", sales.GetProperty("RecipientType").GetString());
        Assert.True(Guid.TryParse(sales.GetProperty("ExternalDirectoryObjectId").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(sales.GetProperty("OrganizationId").GetString()));
    }

    [Theory]
    [MemberData(nameof(RecipientSetNames))]
    public async Task Each_recipient_set_is_its_documented_members_and_the_minimum_set(string set)
    {
        var recipients = await RecipientsAsync("/Recipient?PropertySet=" + set);

        var expected = RecipientSets[set].Union(RecipientMinimum).Order().ToArray();
        Assert.All(recipients, r => Assert.Equal(expected, Names(r)));
    }

    [Fact]
    public async Task Recipient_sets_carry_the_mailbox_values()
    {
        var recipients = await RecipientsAsync("/Recipient?PropertySet=Archive,Policy,Custom,MailboxMove");

        var withArchive = recipients.First(r => r.GetProperty("ArchiveStatus").GetString() == "Active");
        Assert.NotEqual(Guid.Empty, Guid.Parse(withArchive.GetProperty("ArchiveGuid").GetString()!));
        Assert.False(string.IsNullOrEmpty(withArchive.GetProperty("ArchiveDatabase").GetString()));
        Assert.Equal("Local", withArchive.GetProperty("ArchiveState").GetString());
        var withoutArchive = recipients.First(r => r.GetProperty("RecipientTypeDetails").GetString() == "UserMailbox" && r.GetProperty("ArchiveStatus").GetString() == "None");
        Assert.Equal(JsonValueKind.Null, withoutArchive.GetProperty("ArchiveDatabase").ValueKind);

        var alex = recipients.Single(r => r.GetProperty("Name").GetString() == "alex");
        Assert.Equal("Default", alex.GetProperty("ActiveSyncMailboxPolicy").GetString());
        Assert.Equal(JsonValueKind.True, alex.GetProperty("ActiveSyncMailboxPolicyIsDefaulted").ValueKind);
        Assert.Equal("OwaMailboxPolicy-Default", alex.GetProperty("OwaMailboxPolicy").GetString());
        Assert.Equal("Default MRM Policy", alex.GetProperty("RetentionPolicy").GetString());
        Assert.Equal(JsonValueKind.Array, alex.GetProperty("PoliciesExcluded").ValueKind);
        Assert.Equal(string.Empty, alex.GetProperty("CustomAttribute7").GetString());
        Assert.Equal(JsonValueKind.Array, alex.GetProperty("ExtensionCustomAttribute2").ValueKind);
        Assert.Equal("None", alex.GetProperty("MailboxMoveStatus").GetString());

        var team = recipients.Single(r => r.GetProperty("Name").GetString() == "team");
        Assert.Equal("None", team.GetProperty("ArchiveStatus").GetString());
        Assert.Equal(JsonValueKind.Null, team.GetProperty("RetentionPolicy").ValueKind);
    }

    [Fact]
    public async Task Recipient_select_adds_single_properties_and_All_is_the_schema_type()
    {
        var withSelect = await RecipientsAsync("/Recipient?PropertySet=Archive&$select=Department,WhenCreated");
        Assert.All(withSelect, r => Assert.Equal(RecipientSets["Archive"].Union(RecipientMinimum).Append("Department").Append("WhenCreated").Order(), Names(r)));

        var all = await RecipientsAsync("/Recipient?PropertySet=All");
        var schema = EdmSchema.Instance.GetType("Recipient").Properties.Select(p => p.Name).Where(n => n != "ObjectKey").ToArray();
        Assert.All(all, r => Assert.Equal(schema, r.EnumerateObject().Select(p => p.Name)));
        var alex = all.Single(r => r.GetProperty("Name").GetString() == "alex");
        Assert.Equal("alex@contoso.com", alex.GetProperty("PrimarySmtpAddress").GetString());
        Assert.Equal("Alex Wilber", alex.GetProperty("DisplayName").GetString());
    }

    [Fact]
    public async Task Recipient_by_identity_header_is_shaped_by_the_sets_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api + "/Recipient?ReadIdsAndParamsFromHeaders=True&PropertySet=Archive");
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(Contoso));
        request.Headers.Add("XParameter-Identity", Convert.ToBase64String(Encoding.UTF8.GetBytes("sales")));
        using var response = await sandbox.Http.SendAsync(request);

        var sales = (await response.JsonAsync()).GetProperty("value").EnumerateArray().Single();
        Assert.Equal(RecipientSets["Archive"].Union(RecipientMinimum).Order(), Names(sales));
    }

    [Theory]
    [InlineData("/Recipient?PropertySet=MailEnabled", "MailEnabled")]
    [InlineData("/Recipient?$select=Colour", "Colour")]
    [InlineData("/CasMailbox?PropertySet=Archive", "Archive")]
    [InlineData("/Mailbox('YWxleA==')/Exchange.GetMailboxStatistics()?isEncoded=true&PropertySet=Quota", "Quota")]
    [InlineData("/Mailbox('YWxleA==')/Exchange.GetMailboxStatistics()?isEncoded=true&$select=Colour", "Colour")]
    public async Task Unknown_sets_and_properties_are_a_400_naming_them(string relative, string named)
    {
        using var response = await sandbox.GetAsync(Api + relative, await sandbox.AccessTokenAsync(Contoso));

        var message = (await response.JsonAsync(400)).GetProperty("error").GetProperty("message").GetString();
        Assert.Contains(named, message);
    }

    [Fact]
    public async Task CasMailbox_without_a_set_is_exactly_the_minimum_set()
    {
        var cas = await SingleAsync("/CasMailbox('c2FsZXM=')?isEncoded=true");

        Assert.Equal(CasMinimum.Order(), Names(cas));
    }

    [Theory]
    [MemberData(nameof(CasSetNames))]
    public async Task Each_CasMailbox_set_is_its_documented_members_and_the_minimum_set(string set)
    {
        var cas = await SingleAsync("/CasMailbox('c2FsZXM=')?isEncoded=true&PropertySet=" + set);

        Assert.Equal(CasSets[set].Union(CasMinimum).Order(), Names(cas));
    }

    [Fact]
    public async Task Statistics_Minimum_is_exact_select_adds_and_All_is_every_schema_property_with_a_value_where_Exchange_has_one()
    {
        const string Statistics = "/Mailbox('YWxleA==')/Exchange.GetMailboxStatistics()?isEncoded=true";
        Assert.Equal(StatisticsMinimum.Order(), Names(await SingleAsync(Statistics)));
        Assert.Equal(StatisticsMinimum.Append("ServerName").Order(), Names(await SingleAsync(Statistics + "&$select=ServerName")));

        var all = await SingleAsync(Statistics + "&PropertySet=All");
        // Every property but ChangedProperties, the OData client's change tracking that MailboxStatistics inherits from ComplexEntry.
        Assert.Equal(
            EdmSchema.Instance.GetType("MailboxStatistics").Properties.Select(p => p.Name).Where(n => n != "ChangedProperties"),
            all.EnumerateObject().Select(p => p.Name).Skip(1));
        string[] unsetInExchangeOnline = ["LastLoggedOnUserAccount", "StorageLimitStatus", "DisconnectDate", "DisconnectReason", "QuarantineClients"];
        Assert.All(all.EnumerateObject().Skip(1).Where(p => !unsetInExchangeOnline.Contains(p.Name)), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal(JsonValueKind.Number, all.GetProperty("MessageTableTotalSize").ValueKind);
        Assert.Equal(16_384, all.GetProperty("NamedPropertiesCountQuota").GetInt64());
    }

    private async Task<JsonElement[]> RecipientsAsync(string relative)
    {
        using var response = await sandbox.GetAsync(Api + relative, await sandbox.AccessTokenAsync(Contoso));
        var recipients = (await response.JsonAsync()).GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(SandboxFixture.MailboxCount + 2, recipients.Length);
        return recipients;
    }

    private async Task<JsonElement> SingleAsync(string relative)
    {
        using var response = await sandbox.GetAsync(Api + relative, await sandbox.AccessTokenAsync(Contoso));
        return await response.JsonAsync();
    }

    private static IOrderedEnumerable<string> Names(JsonElement entity) =>
        entity.EnumerateObject().Select(p => p.Name).Where(n => n != "@odata.context").Order();
}
