using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The sandbox's mutable tenant: classic cmdlets change state that the next Get (classic or Get-EXO*) shows,
/// $filter is evaluated, and each Get-EXO* endpoint answers Edm-typed JSON. Own fixture: these tests change data.
/// </summary>
public sealed class TenantStateTests(TenantStateTests.Fixture sandbox) : IClassFixture<TenantStateTests.Fixture>
{
    public sealed class Fixture : SandboxFixture;

    private const string Contoso = SandboxFixture.Contoso;

    private string Api => sandbox.AdminApi(Contoso);

    private static string Key(string identity) => Convert.ToBase64String(Encoding.UTF8.GetBytes(identity));

    private async Task<JsonElement> GetAsync(string relative, int status = 200)
    {
        using var response = await sandbox.GetAsync(Api + relative, await sandbox.AccessTokenAsync(Contoso));
        return await response.JsonAsync(status);
    }

    private async Task<JsonElement> InvokeAsync(string cmdlet, object parameters, int status = 200)
    {
        var body = JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = cmdlet, Parameters = parameters } });
        using var response = await sandbox.PostJsonAsync(Api + "/InvokeCommand", await sandbox.AccessTokenAsync(Contoso), body);
        return await response.JsonAsync(status);
    }

    [Fact]
    public async Task Filter_is_evaluated_with_functions_any_and_not()
    {
        var alex = await GetAsync("/Mailbox?$filter=" + Uri.EscapeDataString("startswith(DisplayName, 'Alex W') and RecipientTypeDetails eq 'UserMailbox'"));
        Assert.Equal(["alex"], alex.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()));

        var onmicrosoft = await GetAsync("/Mailbox?$filter=" + Uri.EscapeDataString("EmailAddresses/any(d:endswith(d, 'contoso.onmicrosoft.com')) and not(RecipientTypeDetails eq 'UserMailbox')"));
        var aliases = onmicrosoft.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()).ToArray();
        Assert.Contains("sales", aliases);
        Assert.DoesNotContain("alex", aliases);
    }

    [Fact]
    public async Task A_filter_on_an_unknown_property_or_with_bad_syntax_is_a_400_naming_it()
    {
        var unknown = await GetAsync("/Mailbox?$filter=" + Uri.EscapeDataString("Colour eq 'blue'"), 400);
        Assert.Contains("'Colour'", unknown.GetProperty("error").GetProperty("message").GetString());

        var broken = await GetAsync("/Mailbox?$filter=" + Uri.EscapeDataString("DisplayName eq 'x"), 400);
        Assert.Contains("not closed", broken.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Statistics_are_Int64_bytes_and_archive_statistics_need_an_archive()
    {
        var stats = await GetAsync($"/Mailbox('{Key("alex")}')/Exchange.GetMailboxStatistics()?isEncoded=true");
        Assert.EndsWith("$metadata#Exchange.MailboxStatistics", stats.GetProperty("@odata.context").GetString());
        Assert.Equal(JsonValueKind.Number, stats.GetProperty("TotalItemSize").ValueKind);
        Assert.True(stats.GetProperty("TotalItemSize").GetInt64() > 50L * 1024 * 1024);
        Assert.Equal("Alex Wilber", stats.GetProperty("DisplayName").GetString());

        var archive = await GetAsync($"/Mailbox('{Key("alex")}')/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=True");
        Assert.True(archive.GetProperty("TotalItemSize").GetInt64() > 0);
        await GetAsync($"/Mailbox('{Key("admin")}')/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=True", 400);
    }

    [Fact]
    public async Task Mailbox_permissions_of_sales_list_self_and_its_delegates()
    {
        var page = await GetAsync($"/Mailbox('{Key("sales@contoso.com")}')/MailboxPermission?isEncoded=true");
        var users = page.GetProperty("value").EnumerateArray().Select(p => p.GetProperty("User").GetString()!).ToArray();
        Assert.Equal([@"NT AUTHORITY\SELF", "admin@contoso.com", "anezka.dvorak@contoso.com"], users);
        var first = page.GetProperty("value")[1].GetProperty("PermissionList")[0];
        Assert.Equal(["FullAccess"], first.GetProperty("AccessRights").EnumerateArray().Select(r => r.GetString()));

        var owner = await GetAsync($"/Mailbox('{Key("sales")}')/MailboxPermission?isEncoded=true&$filter=" + Uri.EscapeDataString("IsOwner eq true"));
        Assert.Single(owner.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task Folder_statistics_devices_and_folder_permissions_are_served()
    {
        var inbox = await GetAsync($"/Mailbox('{Key("alex")}')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'Inbox')?isEncoded=true");
        var folder = Assert.Single(inbox.GetProperty("value").EnumerateArray());
        Assert.Equal("Inbox", folder.GetProperty("Name").GetString());
        Assert.Equal(JsonValueKind.Number, folder.GetProperty("FolderSize").ValueKind);

        var calendar = await GetAsync($"/Mailbox('{Key("sales")}')/MailboxFolder('{Key(@"\Calendar")}')/MailboxFolderPermission?IsUsingMailboxFolderId=True&isEncoded=true");
        Assert.Contains(calendar.GetProperty("value").EnumerateArray(), p => p.GetProperty("User").GetString() == "Default");

        var devices = await GetAsync($"/Mailbox('{Key("alex")}')/MobileDevice/Exchange.GetMobileDeviceStatistics()?isEncoded=true");
        Assert.Equal(JsonValueKind.Array, devices.GetProperty("value").ValueKind);
    }

    [Fact]
    public async Task Added_permission_shows_in_both_apis_and_removing_it_takes_it_away()
    {
        var added = await InvokeAsync("Add-MailboxPermission", new { Identity = "sales", User = "alex", AccessRights = new[] { "FullAccess" }, AutoMapping = false });
        Assert.Equal("alex@contoso.com", added.GetProperty("value")[0].GetProperty("User").GetString());

        var classic = await InvokeAsync("Get-MailboxPermission", new { Identity = "sales" });
        Assert.Contains(classic.GetProperty("value").EnumerateArray(), p => p.GetProperty("User").GetString() == "alex@contoso.com");
        var rest = await GetAsync($"/Mailbox('{Key("sales")}')/MailboxPermission('{Key("alex")}')?isEncoded=true");
        Assert.Single(rest.GetProperty("value").EnumerateArray());

        await InvokeAsync("Remove-MailboxPermission", new { Identity = "sales", User = "alex", AccessRights = new[] { "FullAccess" } });
        var after = await InvokeAsync("Get-MailboxPermission", new { Identity = "sales" });
        Assert.DoesNotContain(after.GetProperty("value").EnumerateArray(), p => p.GetProperty("User").GetString() == "alex@contoso.com");
    }

    [Fact]
    public async Task Set_Mailbox_changes_forwarding_type_and_addresses_and_a_no_op_warns()
    {
        await InvokeAsync("Set-Mailbox", new { Identity = "projector-01", ForwardingSmtpAddress = "bob@fabrikam.com", DeliverToMailboxAndForward = true, Type = "Shared" });
        var addresses = JsonDocument.Parse("""{"@odata.type":"#Exchange.GenericHashTable","Add":"smtp:beamer@contoso.com"}""").RootElement;
        await InvokeAsync("Set-Mailbox", new Dictionary<string, object> { ["Identity"] = "projector-01", ["EmailAddresses"] = addresses });

        var mailbox = (await InvokeAsync("Get-Mailbox", new { Identity = "projector-01" })).GetProperty("value")[0];
        Assert.Equal("smtp:bob@fabrikam.com", mailbox.GetProperty("ForwardingSmtpAddress").GetString());
        Assert.True(mailbox.GetProperty("DeliverToMailboxAndForward").GetBoolean());
        Assert.Equal("SharedMailbox", mailbox.GetProperty("RecipientTypeDetails").GetString());
        Assert.Contains("smtp:beamer@contoso.com", mailbox.GetProperty("EmailAddresses").EnumerateArray().Select(a => a.GetString()));
        var byNewAddress = (await InvokeAsync("Get-Mailbox", new { Identity = "beamer@contoso.com" })).GetProperty("value")[0];
        Assert.Equal("projector-01", byNewAddress.GetProperty("Alias").GetString());

        var again = await InvokeAsync("Set-Mailbox", new { Identity = "projector-01", Type = "Shared" });
        Assert.Contains("no settings", again.GetProperty("@adminapi.warnings")[0].GetString());
    }

    [Fact]
    public async Task Group_membership_changes_and_adding_a_member_twice_is_an_error()
    {
        await InvokeAsync("Add-DistributionGroupMember", new { Identity = "team", Member = "conf-adams" });
        var members = await InvokeAsync("Get-DistributionGroupMember", new { Identity = "team" });
        Assert.Contains("conf-adams", members.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()));

        var twice = await InvokeAsync("Add-DistributionGroupMember", new { Identity = "team", Member = "conf-adams" }, 400);
        Assert.StartsWith("MemberAlreadyExistsException|", twice.GetProperty("error").GetProperty("details")[0].GetProperty("message").GetString());

        await InvokeAsync("Remove-DistributionGroupMember", new { Identity = "team", Member = "conf-adams" });
        var missing = await InvokeAsync("Remove-DistributionGroupMember", new { Identity = "team", Member = "conf-adams" }, 404);
        Assert.Equal("13", missing.GetProperty("error").GetProperty("details")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Auto_reply_is_scheduled_and_read_back_and_an_end_before_the_start_is_refused()
    {
        await InvokeAsync("Set-MailboxAutoReplyConfiguration", new
        {
            Identity = "admin", AutoReplyState = "scheduled", StartTime = "2026-07-01T08:00:00.0000000Z", EndTime = "2026-07-15T17:00:00.0000000Z",
            InternalMessage = "Away", ExternalMessage = "Out of office",
        });
        var config = (await InvokeAsync("Get-MailboxAutoReplyConfiguration", new { Identity = "admin" })).GetProperty("value")[0];
        Assert.Equal("Scheduled", config.GetProperty("AutoReplyState").GetString());
        Assert.Equal("2026-07-15T17:00:00+00:00", config.GetProperty("EndTime").GetString());

        await InvokeAsync("Set-MailboxAutoReplyConfiguration", new { Identity = "admin", EndTime = "2026-06-01T00:00:00Z" }, 400);
    }

    [Fact]
    public async Task Classic_Filter_is_OPATH_text_with_wildcards_multi_values_and_clear_errors()
    {
        var shared = await InvokeAsync("Get-Mailbox", new { Filter = "RecipientTypeDetails -eq 'SharedMailbox' -and Alias -like 'sal*'", ResultSize = "Unlimited" });
        Assert.Equal(["sales"], shared.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()));

        var byAddress = await InvokeAsync("Get-Recipient", new { Filter = "EmailAddresses -like '*@contoso.onmicrosoft.com' -and -not (RecipientTypeDetails -eq 'UserMailbox')", ResultSize = "Unlimited" });
        Assert.Contains("sales", byAddress.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()));
        Assert.DoesNotContain("alex", byAddress.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Alias").GetString()));

        var hidden = await InvokeAsync("Get-Mailbox", new { Filter = "HiddenFromAddressListsEnabled -eq 'True'", ResultSize = "Unlimited" });
        Assert.All(hidden.GetProperty("value").EnumerateArray(), m => Assert.True(m.GetProperty("HiddenFromAddressListsEnabled").GetBoolean()));

        var bad = await InvokeAsync("Get-Mailbox", new { Filter = "Colour -eq 'blue'" }, 400);
        Assert.Contains("'Colour' is not a recognized filterable property", bad.GetProperty("error").GetProperty("message").GetString());
        await InvokeAsync("Get-Mailbox", new { Filter = "Alias -eq 'unclosed" }, 400);
    }
}
