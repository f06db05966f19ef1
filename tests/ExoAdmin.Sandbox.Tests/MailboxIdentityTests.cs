using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>GET …/Mailbox('&lt;base64 identity&gt;')?isEncoded=true: identity resolution and the not-found error.</summary>
[Collection(SharedSandbox.Name)]
public sealed class MailboxIdentityTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(MailboxIdentityTests));

    private const string Contoso = SandboxFixture.Contoso;

    [Fact]
    public async Task Alex_is_found_by_every_identity_Exchange_accepts()
    {
        var alex = await GetAsync("alex", "?PropertySet=Minimum,StatisticsSeed&$select=ExchangeObjectId");
        string[] identities =
        [
            "alex", "ALEX", "Alex Wilber", "alex@contoso.com", "Alex@Contoso.com", "SMTP:alex@contoso.com",
            "alex@contoso.onmicrosoft.com", "smtp:alex@contoso.onmicrosoft.com",
            alex.GetProperty("Guid").GetString()!, alex.GetProperty("ExchangeGuid").GetString()!,
            alex.GetProperty("ExternalDirectoryObjectId").GetString()!, alex.GetProperty("DistinguishedName").GetString()!,
        ];

        foreach (var identity in identities)
        {
            var found = await GetAsync(identity);
            Assert.Equal("alex", found.GetProperty("Alias").GetString());
        }

        Assert.Equal(alex.GetProperty("Guid").GetString(), alex.GetProperty("ExchangeObjectId").GetString());
    }

    [Fact]
    public async Task Single_mailbox_has_its_entity_context_and_the_requested_shape()
    {
        var sales = await GetAsync("sales@contoso.com", "?PropertySet=Resource");

        Assert.Equal($"{sandbox.AdminApi(Contoso)}/$metadata#Mailbox/$entity", sales.GetProperty("@odata.context").GetString());
        Assert.Equal(
            new[]
            {
                "@odata.context", "IsResource", "ResourceCapacity", "ResourceCustom", "ResourceType", "RoomMailboxAccountEnabled",
                // The Minimum set comes with every set.
                "Alias", "DisplayName", "DistinguishedName", "EmailAddresses", "ExchangeVersion", "ExternalDirectoryObjectId", "Guid", "Id", "Identity", "Name",
                "OrganizationId", "PrimarySmtpAddress", "RecipientType", "RecipientTypeDetails", "UserPrincipalName",
            }.Order(),
            sales.EnumerateObject().Select(p => p.Name).Order());
        var room = await GetAsync("conf-adams", "?PropertySet=Resource");
        Assert.True(room.GetProperty("IsResource").GetBoolean());
        Assert.Equal("Room", room.GetProperty("ResourceType").GetString());
        Assert.Equal(12, room.GetProperty("ResourceCapacity").GetInt32());
    }

    [Theory]
    [InlineData("Anežka Dvořák", '/', false)]
    [InlineData("Anežka Dvořák", '/', true)]
    [InlineData(" Anežka Dvořák", '+', false)]
    [InlineData(" Anežka Dvořák", '+', true)]
    public async Task Base64_keys_with_slash_plus_and_padding_work_raw_or_percent_encoded(string identity, char special, bool percentEncode)
    {
        Assert.Contains(special, Base64(identity));
        Assert.EndsWith("=", Base64(identity));
        var key = percentEncode ? Uri.EscapeDataString(Base64(identity)) : Base64(identity);

        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('{key}')?isEncoded=true", await sandbox.AccessTokenAsync(Contoso));

        Assert.Equal("anezka.dvorak", (await response.JsonAsync()).GetProperty("Alias").GetString());
    }

    [Fact]
    public async Task Key_without_isEncoded_is_the_identity_itself()
    {
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('Alex Wilber')", await sandbox.AccessTokenAsync(Contoso));
        Assert.Equal("alex", (await response.JsonAsync()).GetProperty("Alias").GetString());
    }

    [Fact]
    public async Task Unknown_identity_is_a_404_ManagementObjectNotFoundException()
    {
        const string identity = "nobody??? at all";
        Assert.Contains('/', Base64(identity));
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('{Base64(identity)}')?isEncoded=true", await sandbox.AccessTokenAsync(Contoso));

        var error = (await response.JsonAsync(404)).GetProperty("error");
        const string type = "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException";
        var message = error.GetProperty("message").GetString()!;
        Assert.Matches($"^The operation couldn't be performed because object '{System.Text.RegularExpressions.Regex.Escape(identity)}' couldn't be found on '[A-Z0-9]+DC\\d+\\.NAMPR\\d\\dA\\d{{3}}\\.PROD\\.OUTLOOK\\.COM'\\.$", message);
        Assert.Equal("ManagementObjectNotFoundException", error.GetProperty("code").GetString());
        var detail = error.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("13", detail.GetProperty("code").GetString());
        Assert.Equal($"ManagementObjectNotFoundException|{type}|{message}", detail.GetProperty("message").GetString());
        Assert.Equal(identity, detail.GetProperty("target").GetString());
        Assert.Equal(message, error.GetProperty("innererror").GetProperty("message").GetString());
        Assert.Equal(type, error.GetProperty("innererror").GetProperty("type").GetString());
        Assert.Equal("ManagementObjectNotFoundException", response.Headers.GetValues("x-ExceptionType").Single());
    }

    [Fact]
    public void Ambiguous_identity_names_every_match()
    {
        var tenant = Tenant.FromDomain("ambiguous.onmicrosoft.com");
        var seeded = MailboxSeeder.Seed(tenant, 7, seed: 1);
        var twins = new[] { seeded[5], seeded[6] }.Select(m => Clone(m, displayName: "Pat Doe")).ToArray();
        var store = new MailboxStore([.. seeded[..5], .. twins]);
        var sandboxTenant = new SandboxTenant(tenant, store, null!);

        var error = Assert.Throws<ExchangeErrorException>(() => MailboxLookup.Resolve(sandboxTenant, "pat doe")).Error;

        Assert.Equal(400, error.Status);
        Assert.Equal("ManagementObjectAmbiguousException", error.Code);
        Assert.Contains(twins[0].Alias, error.Message);
        Assert.Contains(twins[1].Alias, error.Message);
        Assert.Same(twins[0], MailboxLookup.Resolve(sandboxTenant, twins[0].Alias));
    }

    private async Task<JsonElement> GetAsync(string identity, string query = "")
    {
        var separator = query.Length == 0 ? "?" : "&";
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('{Base64(identity)}'){query}{separator}isEncoded=true", await sandbox.AccessTokenAsync(Contoso));
        return await response.JsonAsync();
    }

    private static string Base64(string identity) => Convert.ToBase64String(Encoding.UTF8.GetBytes(identity));

    private static Mailbox Clone(Mailbox m, string displayName) => new()
    {
        Ordinal = m.Ordinal, Tenant = m.Tenant, Alias = m.Alias, DisplayName = displayName, RecipientTypeDetails = m.RecipientTypeDetails,
        PrimarySmtpAddress = m.PrimarySmtpAddress, EmailAddresses = m.EmailAddresses, Guid = m.Guid, ExchangeGuid = m.ExchangeGuid,
        ExternalDirectoryObjectId = m.ExternalDirectoryObjectId, Database = m.Database, WhenCreatedUtc = m.WhenCreatedUtc, WhenChangedUtc = m.WhenChangedUtc,
    };
}
