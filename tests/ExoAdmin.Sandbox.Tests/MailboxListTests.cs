using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>GET …/Mailbox as Get-EXOMailbox uses it: property sets, $select, filters and server-driven paging.</summary>
[Collection(SharedSandbox.Name)]
public sealed class MailboxListTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(MailboxListTests));

    private const string Contoso = SandboxFixture.Contoso;

    private static readonly string[] MinimumSet =
    [
        "ExternalDirectoryObjectId", "UserPrincipalName", "Alias", "DisplayName", "EmailAddresses", "PrimarySmtpAddress", "RecipientType",
        "RecipientTypeDetails", "Identity", "Id", "ExchangeVersion", "Name", "DistinguishedName", "OrganizationId", "Guid",
    ];

    // Membership from Microsoft's "Property sets in Exchange Online PowerShell module cmdlets".
    private static readonly string[] ArchiveSet =
    [
        "ArchiveDatabase", "ArchiveDomain", "ArchiveGuid", "ArchiveName", "ArchiveQuota", "ArchiveRelease", "ArchiveState", "ArchiveStatus",
        "ArchiveWarningQuota", "AutoExpandingArchiveEnabled", "DisabledArchiveDatabase", "DisabledArchiveGuid", "ExternalDirectoryObjectId", "JournalArchiveAddress",
    ];

    private static readonly string[] QuotaSet =
    [
        "ArchiveQuota", "ArchiveWarningQuota", "CalendarLoggingQuota", "ExternalDirectoryObjectId", "IssueWarningQuota", "ProhibitSendQuota",
        "ProhibitSendReceiveQuota", "RecoverableItemsQuota", "RecoverableItemsWarningQuota", "RulesQuota", "UseDatabaseQuotaDefaults",
    ];

    private string MailboxUrl => sandbox.AdminApi(Contoso) + "/Mailbox";

    [Fact]
    public async Task Without_options_each_mailbox_has_exactly_the_minimum_set()
    {
        var page = await (await sandbox.GetAsync(MailboxUrl, await sandbox.AccessTokenAsync(Contoso))).JsonAsync();

        Assert.Equal($"{sandbox.AdminApi(Contoso)}/$metadata#Mailbox", page.GetProperty("@odata.context").GetString());
        Assert.False(page.TryGetProperty("@odata.nextLink", out _));
        var mailboxes = page.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(SandboxFixture.MailboxCount, mailboxes.Length);
        Assert.All(mailboxes, m => Assert.Equal(MinimumSet.Order(), m.EnumerateObject().Select(p => p.Name).Order()));

        var alex = mailboxes.Single(m => m.GetProperty("Alias").GetString() == "alex");
        Assert.Equal("Alex Wilber", alex.GetProperty("DisplayName").GetString());
        Assert.Equal("alex@contoso.com", alex.GetProperty("UserPrincipalName").GetString());
        Assert.Equal("UserMailbox", alex.GetProperty("RecipientTypeDetails").GetString());
        Assert.Equal("0.20 (15.0.0.0)", alex.GetProperty("ExchangeVersion").GetString());
        Assert.Contains("smtp:alex@contoso.onmicrosoft.com", alex.GetProperty("EmailAddresses").EnumerateArray().Select(e => e.GetString()));
        Assert.Matches("^CN=alex,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR\\d\\dA\\d{3},DC=PROD,DC=OUTLOOK,DC=COM$",
            alex.GetProperty("DistinguishedName").GetString());
        Assert.True(alex.GetProperty("Guid").TryGetGuid(out _));
    }

    [Theory]
    [InlineData("odata.maxpagesize=7;", 7)]
    [InlineData("odata.maxpagesize=7", 7)]
    [InlineData("odata.maxpagesize=1", 1)]
    [InlineData("odata.maxpagesize=53;", 53)]
    [InlineData("odata.maxpagesize=20, odata.continue-on-error", 20)]
    public async Task Following_next_links_verbatim_returns_every_mailbox_once(string prefer, int pageSize)
    {
        var pages = await ReadAllPagesAsync(MailboxUrl, prefer);

        Assert.Equal((SandboxFixture.MailboxCount + pageSize - 1) / pageSize, pages.Count);
        Assert.All(pages[..^1], page => Assert.Equal(pageSize, page.Length));
        var guids = pages.SelectMany(page => page).Select(m => m.GetProperty("Guid").GetGuid()).ToArray();
        Assert.Equal(SandboxFixture.MailboxCount, guids.Length);
        Assert.Equal(SandboxFixture.MailboxCount, guids.Distinct().Count());
    }

    [Fact]
    public async Task Next_link_keeps_every_query_option_so_later_pages_keep_filter_and_shape()
    {
        var url = MailboxUrl + "?PropertySet=Archive&RecipientTypeDetails=UserMailbox,SharedMailbox&$select=Alias,RecipientTypeDetails";
        var token = await sandbox.AccessTokenAsync(Contoso);
        var first = await (await sandbox.GetAsync(url, token, "odata.maxpagesize=5;")).JsonAsync();
        var nextLink = first.GetProperty("@odata.nextLink").GetString()!;
        Assert.StartsWith(url + "&$skiptoken=", nextLink);

        var pages = await ReadAllPagesAsync(url, "odata.maxpagesize=5;");
        var expectedNames = ArchiveSet.Union(MinimumSet).Order().ToArray();
        var all = pages.SelectMany(page => page).ToArray();
        Assert.All(all, m => Assert.Equal(expectedNames, m.EnumerateObject().Select(p => p.Name).Order()));
        Assert.All(all, m => Assert.Contains(m.GetProperty("RecipientTypeDetails").GetString(), new[] { "UserMailbox", "SharedMailbox" }));
        Assert.True(pages.Count > 2);
        Assert.Equal(all.Length, all.Select(m => m.GetProperty("Alias").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task RecipientTypeDetails_filter_returns_only_those_types()
    {
        var url = MailboxUrl + "?RecipientTypeDetails=SharedMailbox,RoomMailbox";
        var mailboxes = (await ReadAllPagesAsync(url, "odata.maxpagesize=4;")).SelectMany(page => page).ToArray();
        var everything = (await ReadAllPagesAsync(MailboxUrl, null)).SelectMany(page => page).ToArray();

        var expected = everything.Where(m => m.GetProperty("RecipientTypeDetails").GetString() is "SharedMailbox" or "RoomMailbox").Select(m => m.GetProperty("Alias").GetString());
        Assert.Equal(expected, mailboxes.Select(m => m.GetProperty("Alias").GetString()));
        Assert.Contains("sales", expected);
        Assert.Contains("conf-adams", expected);
    }

    [Fact]
    public async Task Property_sets_and_select_add_up_with_the_minimum_set()
    {
        var url = MailboxUrl + "?PropertySet=Archive,Quota&$select=Office, CustomAttribute1";
        var page = await (await sandbox.GetAsync(url, await sandbox.AccessTokenAsync(Contoso))).JsonAsync();

        var expected = ArchiveSet.Union(QuotaSet).Union(MinimumSet).Append("Office").Append("CustomAttribute1").Order().ToArray();
        var alex = page.GetProperty("value").EnumerateArray().Single(m => m.GetProperty("ArchiveStatus").GetString() == "Active"
            && m.GetProperty("ArchiveName").EnumerateArray().Single().GetString() == "In-Place Archive - Alex Wilber");
        Assert.Equal(expected, alex.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("99 GB (106,300,440,576 bytes)", alex.GetProperty("ProhibitSendQuota").GetString());
        Assert.NotEqual(Guid.Empty, alex.GetProperty("ArchiveGuid").GetGuid());
        Assert.Equal(JsonValueKind.False, alex.GetProperty("UseDatabaseQuotaDefaults").ValueKind);
    }

    [Fact]
    public async Task Select_alone_adds_to_the_minimum_set()
    {
        var page = await (await sandbox.GetAsync(MailboxUrl + "?$select=LitigationHoldEnabled", await sandbox.AccessTokenAsync(Contoso))).JsonAsync();

        var names = page.GetProperty("value")[0].EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(MinimumSet.Append("LitigationHoldEnabled").Order(), names);
    }

    [Theory]
    [InlineData("?PropertySet=Nonsense", "Nonsense")]
    [InlineData("?PropertySet=Minimum&$select=NoSuchProperty", "NoSuchProperty")]
    [InlineData("?$orderby=Alias", "$orderby")]
    [InlineData("?$expand=MailboxPlan", "$expand")]
    [InlineData("?$skiptoken=not-ours", "Expired or Invalid pagination request")]
    [InlineData("?RecipientTypeDetails=MailUser", "MailUser")]
    public async Task Unknown_or_unsupported_options_are_a_400_OData_error(string query, string named)
    {
        using var response = await sandbox.GetAsync(MailboxUrl + query, await sandbox.AccessTokenAsync(Contoso));

        var error = (await response.JsonAsync(400)).GetProperty("error");
        Assert.Equal("BadRequest", error.GetProperty("code").GetString());
        Assert.Contains(named, error.GetProperty("message").GetString());
    }

    private async Task<List<JsonElement[]>> ReadAllPagesAsync(string url, string? prefer)
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        var pages = new List<JsonElement[]>();
        string? next = url;
        while (next is not null)
        {
            var page = await (await sandbox.GetAsync(next, token, prefer)).JsonAsync();
            pages.Add(page.GetProperty("value").EnumerateArray().ToArray());
            next = page.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            Assert.True(pages.Count <= SandboxFixture.MailboxCount + 1, "paging does not end");
        }

        return pages;
    }
}

/// <summary>Paging limits that need more than 1000 mailboxes.</summary>
public sealed class MailboxPageLimitTests(LargeSandboxFixture sandbox) : IClassFixture<LargeSandboxFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("odata.maxpagesize=5000;")]
    public async Task Pages_hold_at_most_1000_mailboxes(string? prefer)
    {
        var token = await sandbox.AccessTokenAsync(SandboxFixture.Contoso);
        var url = sandbox.AdminApi(SandboxFixture.Contoso) + "/Mailbox";
        var sizes = new List<int>();
        string? next = url;
        while (next is not null)
        {
            var page = await (await sandbox.GetAsync(next, token, prefer)).JsonAsync();
            sizes.Add(page.GetProperty("value").GetArrayLength());
            next = page.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal([1000, 1000, LargeSandboxFixture.LargeCount - 2000], sizes);
    }
}
