using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The OData shapes of §18.3 in detail (the strict reader of <see cref="StrictODataReaderTests"/> reads every route):
/// contained collections name their containment path with the key as sent, collections are never null, and
/// Recipient('…')?$expand=RecipientPermission answers as the service does.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class ODataShapeTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ODataShapeTests));

    private const string Contoso = SandboxFixture.Contoso;

    private string Api => sandbox.AdminApi(Contoso);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private async Task<JsonElement> GetAsync(string relative, int status = 200)
    {
        using var response = await sandbox.GetAsync(Api + relative, await sandbox.AccessTokenAsync(Contoso));
        return await response.JsonAsync(status);
    }

    [Theory]
    [InlineData("c2FsZXM=")]
    [InlineData("c2FsZXM%3D")]
    public async Task A_mailbox_permission_answer_names_its_containment_path_with_the_key_as_sent(string key)
    {
        var page = await GetAsync($"/Mailbox('{key}')/MailboxPermission?isEncoded=true");

        Assert.Equal($"{Api}/$metadata#Mailbox('{key}')/MailboxPermission", page.GetProperty("@odata.context").GetString());
        Assert.Equal(3, page.GetProperty("value").GetArrayLength()); // SELF, admin, Anežka
    }

    [Fact]
    public async Task A_folder_permission_answer_names_the_mailbox_and_the_folder()
    {
        var mailbox = Uri.EscapeDataString(Base64("sales"));
        var folder = Uri.EscapeDataString(Base64(@"\Calendar"));
        var page = await GetAsync($"/Mailbox('{mailbox}')/MailboxFolder('{folder}')/MailboxFolderPermission?IsUsingMailboxFolderId=True&isEncoded=true");

        Assert.Equal($"{Api}/$metadata#Mailbox('{mailbox}')/MailboxFolder('{folder}')/MailboxFolderPermission", page.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task A_key_sent_with_a_bare_slash_is_named_back_escaped_so_the_context_stays_one_path()
    {
        // base64 of "Anežka Dvořák" holds '/' and '+'; a client may send them unescaped.
        var key = Base64("Anežka Dvořák");
        Assert.Contains('/', key);

        var page = await GetAsync($"/Mailbox('{key}')/MailboxPermission?isEncoded=true");

        Assert.Equal($"{Api}/$metadata#Mailbox('{key.Replace("/", "%2F")}')/MailboxPermission", page.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Collection_properties_are_never_null_even_where_the_object_has_no_value()
    {
        var cas = await GetAsync($"/CasMailbox('{Uri.EscapeDataString(Base64("alex"))}')?isEncoded=true&PropertySet=All");
        Assert.Equal(JsonValueKind.Array, cas.GetProperty("ObjectClass").ValueKind);

        var group = await GetAsync($"/Recipient('{Uri.EscapeDataString(Base64("team"))}')?isEncoded=true&PropertySet=All");
        Assert.Equal(JsonValueKind.Array, group.GetProperty("AddressListMembership").ValueKind);
        Assert.Equal(0, group.GetProperty("AddressListMembership").GetArrayLength());
    }

    [Fact]
    public async Task A_recipient_with_its_SendAs_entries_expanded_is_what_Get_EXORecipientPermission_Identity_reads()
    {
        var sales = await GetAsync($"/Recipient('{Uri.EscapeDataString(Base64("sales"))}')?isEncoded=true&$expand=RecipientPermission");

        Assert.Equal($"{Api}/$metadata#Recipient(RecipientPermission())/$entity", sales.GetProperty("@odata.context").GetString());
        Assert.Equal("sales", sales.GetProperty("Name").GetString());
        var entries = sales.GetProperty("RecipientPermission").EnumerateArray().ToArray();
        Assert.Equal([@"NT AUTHORITY\SELF", "admin@contoso.com"], entries.Select(e => e.GetProperty("Trustee").GetString()));
        Assert.All(entries, e => Assert.Equal(["SendAs"], e.GetProperty("AccessRights").EnumerateArray().Select(r => r.GetString())));
    }

    [Fact]
    public async Task Expanding_anything_else_is_refused_as_the_schema_has_no_such_navigation()
    {
        var error = await GetAsync($"/Recipient('{Uri.EscapeDataString(Base64("sales"))}')?isEncoded=true&$expand=Manager", status: 400);

        Assert.Contains("'Manager'", error.GetProperty("error").GetProperty("message").GetString());
    }
}
