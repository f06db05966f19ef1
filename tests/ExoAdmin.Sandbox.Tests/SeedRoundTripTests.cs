using System.Text.Json;
using System.Text.Json.Nodes;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// Seeding from an export keeps what was exported: a tenant seeded from the JSON of Get-EXOMailbox -PropertySets All
/// serves every property back as exported, facts and the values derived from them alike; and exports of permissions
/// and group members seed those instead of the generated ones.
/// </summary>
public sealed class SeedRoundTripTests : IDisposable
{
    private static readonly Tenant Contoso = Tenant.FromDomain("contoso.onmicrosoft.com");
    private static readonly Tenant Northwind = Tenant.FromDomain("northwind.onmicrosoft.com");
    private readonly string _directory = Directory.CreateTempSubdirectory("seed-round-trip-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, Guid.NewGuid() + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Mailboxes as the service serves them with PropertySet=All (what the sandbox's export command writes).</summary>
    private static JsonArray Export(IEnumerable<Mailbox> mailboxes)
    {
        var all = MailboxPropertySets.Load().AllProperties;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var mailbox in mailboxes)
            {
                all.WriteEntity(writer, mailbox);
            }

            writer.WriteEndArray();
        }

        return JsonNode.Parse(stream.ToArray())!.AsArray();
    }

    [Fact]
    public void Export_then_seed_then_export_gives_every_property_back_even_what_the_sandbox_would_derive_otherwise()
    {
        var exported = Export(MailboxSeeder.Seed(Contoso, 40, seed: 3));
        // What a real tenant has that the generator never makes: the export must win over what facts would derive.
        var alex = exported[1]!.AsObject();
        alex["UserPrincipalName"] = "alex.wilber@contoso.com";
        alex["ForwardingSmtpAddress"] = "smtp:alex@fabrikam.com";
        alex["DeliverToMailboxAndForward"] = true;
        alex["GrantSendOnBehalfTo"] = new JsonArray("admin");
        alex["CustomAttribute7"] = "cost centre 42";
        alex["ProhibitSendQuota"] = "10 GB (10,737,418,240 bytes)";
        alex["RetentionPolicy"] = "Keep 7 years";
        alex["ObjectClass"] = new JsonArray("top", "person", "organizationalPerson", "user", "extra");
        alex["LitigationHoldOwner"] = null;
        alex["AggregatedMailboxGuids"] = new JsonArray("0b6d3c52-1111-4a4a-8b8b-000000000009");
        alex["WhenChanged"] = "2025-05-06T07:08:09+00:00";
        alex["UserCertificate"] = new JsonArray(JsonNode.Parse("""{"Data":[48,130,1]}"""));

        var seeded = Export(SeedFile.Load(Write(exported.ToJsonString())).Build(Northwind));

        Assert.Equal(exported.Count, seeded.Count);
        for (var i = 0; i < exported.Count; i++)
        {
            var before = exported[i]!.AsObject();
            var after = seeded[i]!.AsObject();
            Assert.Equal(before.Select(p => p.Key), after.Select(p => p.Key));
            foreach (var (name, value) in before)
            {
                Assert.True(JsonNode.DeepEquals(value, after[name]), $"{before["Alias"]}.{name}: exported {value?.ToJsonString() ?? "null"}, served {after[name]?.ToJsonString() ?? "null"}");
            }
        }
    }

    [Fact]
    public void The_shapes_ConvertTo_Json_gives_cmdlet_output_are_read_as_the_values_the_service_sends()
    {
        var facts = SeedFile.Load(Write("""[{ "Alias": "nancy", "RecipientTypeDetails": "UserMailbox" }]""")).Build(Northwind)[0];
        PropertyValue Read(string name, string json) =>
            ExportedValues.TryRead(JsonDocument.Parse(json).RootElement, Edm.EdmSchema.Instance.GetType("Mailbox").Properties.Single(p => p.Name == name),
                MailboxProperties.Get(name)(facts), out var value) ? value : throw new InvalidOperationException($"{name} {json} not read");

        // A boolean the schema types as text, as ExoAdmin and Microsoft's module turn it into a bool.
        Assert.Equal("False", Read("DowngradeHighPriorityMessagesEnabled", "false").ToObject());
        // A date at the same instant in another offset, or Windows PowerShell's form: the service's own text.
        var created = (string)MailboxProperties.Get("WhenCreated")(facts).ToObject()!;
        var shifted = DateTimeOffset.Parse(created).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        Assert.Equal(created, Read("WhenCreated", $"\"{shifted}\"").ToObject());
        Assert.Equal("2019-01-01T00:00:00+00:00", Read("WhenCreated", "\"\\/Date(1546300800000)\\/\"").ToObject());
        // Sizes: the service's text as is; an Unlimited object says Unlimited; one without its bytes says nothing.
        Assert.Equal("Unlimited", Read("ProhibitSendQuota", """{"IsUnlimited":true}""").ToObject());
        Assert.False(ExportedValues.TryRead(JsonDocument.Parse("""{"IsUnlimited":false,"Value":{}}""").RootElement,
            Edm.EdmSchema.Instance.GetType("Mailbox").Properties.Single(p => p.Name == "ProhibitSendQuota"), PropertyValue.Null, out _));
        // Languages as Microsoft's module gives them (CultureInfo), and a collection exported as null.
        Assert.Equal(new[] { "de-DE" }, Read("Languages", """[{"Name":"de-DE","LCID":1031}]""").ToObject());
        Assert.Equal(Array.Empty<string>(), Read("ObjectClass", "null").ToObject());
    }

    [Fact]
    public void Permission_and_group_member_exports_replace_the_generated_ones_and_say_what_could_not_be_held()
    {
        var mailboxes = MailboxSeeder.Seed(Contoso, 12, seed: 1);
        var seed = new TenantSeed
        {
            MailboxPermissions = TenantSeed.LoadMailboxPermissions(Write("""
                [
                  { "Identity": "alex", "User": "NT AUTHORITY\\SELF", "AccessRights": ["FullAccess", "ReadPermission"], "IsInherited": false, "Deny": false, "InheritanceType": "All" },
                  { "Identity": "alex", "User": "admin@contoso.com", "AccessRights": ["FullAccess"], "IsInherited": false, "Deny": false, "InheritanceType": "All" },
                  { "Identity": "conf-adams", "User": "Helpdesk Team", "AccessRights": "FullAccess, ReadPermission", "Deny": false },
                  { "Identity": "gone@contoso.com", "User": "admin@contoso.com", "AccessRights": ["FullAccess"] }
                ]
                """)),
            RecipientPermissions = TenantSeed.LoadRecipientPermissions(Write("""
                { "Identity": "alex", "Trustee": "anezka.dvorak@contoso.com", "AccessControlType": "Allow", "AccessRights": ["SendAs"], "IsInherited": false, "InheritanceType": "None" }
                """)),
            GroupMembers = TenantSeed.LoadGroupMembers(Write("""
                [
                  { "Group": "managers@contoso.com", "GroupDisplayName": "Managers", "GroupManagedBy": ["admin"], "PrimarySmtpAddress": "alex@contoso.com", "Name": "alex" },
                  { "Group": "managers@contoso.com", "GroupDisplayName": "Managers", "GroupManagedBy": ["admin"], "PrimarySmtpAddress": "partner@fabrikam.com", "Name": "Partner Contact" },
                  { "Group": "managers@contoso.com", "GroupDisplayName": "Managers", "GroupManagedBy": ["admin"], "PrimarySmtpAddress": "admin@contoso.com", "Name": "admin" }
                ]
                """)),
        };
        var state = new TenantState(Contoso, new MailboxStore(mailboxes));

        var leftOut = state.Import(Contoso, seed);

        var alex = mailboxes.Single(m => m.Alias == "alex");
        var sales = mailboxes.Single(m => m.Alias == "sales");
        var room = mailboxes.Single(m => m.Alias == "conf-adams");
        Assert.Empty(state.MailboxPermissions(sales.Ordinal)); // the generated delegates are gone
        var grant = Assert.Single(state.MailboxPermissions(alex.Ordinal));
        Assert.Equal("admin@contoso.com", grant.User);
        Assert.Equal(["FullAccess"], grant.AccessRights);
        var toGroup = Assert.Single(state.MailboxPermissions(room.Ordinal));
        Assert.Equal("Helpdesk Team", toGroup.User); // not a mailbox: kept as exported
        Assert.Equal(["FullAccess", "ReadPermission"], toGroup.AccessRights);
        Assert.Empty(state.RecipientPermissions(sales.Ordinal));
        Assert.Equal("anezka.dvorak@contoso.com", Assert.Single(state.RecipientPermissions(alex.Ordinal)).Trustee);
        var group = Assert.Single(state.Groups);
        Assert.Equal(("managers", "Managers", "managers@contoso.com"), (group.Alias, group.DisplayName, group.PrimarySmtpAddress));
        Assert.Equal(new[] { alex.Ordinal, mailboxes[0].Ordinal }, group.Members);
        Assert.Equal(2, leftOut.Count);
        Assert.Contains(leftOut, line => line.StartsWith("--seed-mailbox-permissions: 1 left out", StringComparison.Ordinal) && line.Contains("gone@contoso.com"));
        Assert.Contains(leftOut, line => line.StartsWith("--seed-group-members: 1 left out", StringComparison.Ordinal) && line.Contains("partner@fabrikam.com (in managers@contoso.com)"));
    }

    [Trait("Category", "Process")]   // the sandbox as its users start it, with a bad export: the E2E tier
    [Theory]
    [InlineData("--seed-mailbox-permissions", """[{ "Identity": "alex" }]""", "entry 0 has no User")]
    [InlineData("--seed-group-members", """[{ "PrimarySmtpAddress": "alex@contoso.com" }]""", "entry 0 has no Group")]
    [InlineData("--seed-recipient-permissions", "not json", "is not JSON")]
    public async Task An_export_of_something_else_is_refused_at_start_naming_the_option_and_the_reason(string option, string json, string reason)
    {
        var (exitCode, stdout, stderr) = await Infrastructure.SandboxProcess.RunAsync(option, Write(json));

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains($"{option}: ", stderr);
        Assert.Contains(reason, stderr);
    }
}
