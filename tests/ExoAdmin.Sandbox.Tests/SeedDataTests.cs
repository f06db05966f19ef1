using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;
using ExoAdmin.Sandbox.Exchange;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>The seeded tenants: realistic, distinct, and typed as the schema says.</summary>
public sealed class SeedDataTests
{
    private static readonly Tenant Contoso = Tenant.FromDomain("contoso.onmicrosoft.com");

    [Fact]
    public void Hundred_thousand_mailboxes_have_distinct_names_and_addresses()
    {
        // How fast seeding is belongs in the benchmarks, not in a test on a shared machine.
        var mailboxes = MailboxSeeder.Seed(Contoso, 100_000, seed: 1);
        var store = new MailboxStore(mailboxes);

        Assert.Equal(100_000, store.Count);
        AssertDistinct(mailboxes.Select(m => m.Alias), "aliases");
        AssertDistinct(mailboxes.Select(m => m.DisplayName), "display names");
        // A SIP proxy repeats the mailbox's own SMTP address; no address may belong to two mailboxes.
        AssertDistinct(mailboxes.SelectMany(m => m.EmailAddresses.Select(a => a[(a.IndexOf(':') + 1)..]).Distinct(StringComparer.OrdinalIgnoreCase)), "addresses");
        AssertDistinct(mailboxes.SelectMany(m => new[] { m.Guid, m.ExchangeGuid, m.ExternalDirectoryObjectId }).Select(g => g.ToString()), "GUIDs");
        Assert.All(mailboxes, m => Assert.Matches("^[a-z0-9.-]+$", m.Alias));
        Assert.All(mailboxes, m => Assert.Single(store.Find(m.Alias), m));
    }

    [Fact]
    public void First_mailboxes_are_the_known_ones()
    {
        var mailboxes = MailboxSeeder.Seed(Contoso, 10, seed: 42);

        Assert.Equal(
            new[] { ("admin", "MOD Administrator", "UserMailbox"), ("alex", "Alex Wilber", "UserMailbox"), ("sales", "Sales", "SharedMailbox"),
                ("conf-adams", "Conference Room Adams", "RoomMailbox"), ("projector-01", "Projector 01", "EquipmentMailbox") },
            mailboxes.Take(5).Select(m => (m.Alias, m.DisplayName, m.RecipientTypeDetails)));
        var alex = mailboxes[1];
        Assert.Equal("alex@contoso.com", alex.UserPrincipalName);
        Assert.Equal(["SMTP:alex@contoso.com", "smtp:alex@contoso.onmicrosoft.com"], alex.EmailAddresses.Take(2));
        Assert.NotNull(alex.Archive);
    }

    [Fact]
    public void Generated_mailboxes_are_varied_like_a_real_tenant()
    {
        var mailboxes = MailboxSeeder.Seed(Contoso, 2000, seed: 1);

        var types = mailboxes.GroupBy(m => m.RecipientTypeDetails).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(types["UserMailbox"], 1500, 1900);
        Assert.InRange(types["SharedMailbox"], 100, 300);
        Assert.True(types["RoomMailbox"] > 20 && types["EquipmentMailbox"] > 10);
        Assert.Contains(mailboxes, m => m.Archive is not null);
        Assert.Contains(mailboxes, m => m.Archive is null);
        Assert.Contains(mailboxes, m => m.LitigationHoldDateUtc is not null);
        Assert.Contains(mailboxes, m => m.EmailAddresses.Length > 2);
        Assert.Contains(mailboxes, m => m.DisplayName.Any(c => c > 127));
        Assert.True(mailboxes.Select(m => m.WhenCreatedUtc.Year).Distinct().Count() >= 8, "creation dates spread over years");
        Assert.All(mailboxes, m => Assert.Equal(m.Alias + "@contoso.com", m.PrimarySmtpAddress));
        Assert.All(mailboxes, m => Assert.InRange(m.WhenChangedUtc, m.WhenCreatedUtc, MailboxSeeder.Epoch));
    }

    [Fact]
    public void Every_served_value_has_the_json_shape_of_its_Edm_type()
    {
        var properties = MailboxPropertySets.Load().AllProperties;
        var mailboxes = MailboxSeeder.Seed(Contoso, 500, seed: 1);

        foreach (var property in properties.Properties)
        {
            foreach (var mailbox in mailboxes)
            {
                using var json = JsonDocument.Parse(Serialize(property.Read(mailbox)));
                AssertShape(property.Edm, json.RootElement);
            }
        }
    }

    [Fact]
    public void Every_recipient_and_statistics_value_has_the_json_shape_of_its_Edm_type()
    {
        var mailboxes = MailboxSeeder.Seed(Contoso, 200, seed: 1);
        var group = new DistributionGroup(0, "team", "Team", "team@contoso.com", Guid.NewGuid(), "admin", []);
        var entities = mailboxes.Select(m => ("Recipient", ObjectShapes.RecipientEntity(m, m.Ordinal)))
            .Append(("Recipient", ObjectShapes.GroupRecipientEntity(Contoso, group, 200)))
            .Concat(mailboxes.Select(m => ("MailboxStatistics", ObjectShapes.Statistics(m, archive: false))))
            .Concat(mailboxes.Where(m => m.Archive is not null).Select(m => ("MailboxStatistics", ObjectShapes.Statistics(m, archive: true))));

        foreach (var (typeName, bag) in entities)
        {
            var type = EdmSchema.Instance.GetType(typeName);
            using var json = JsonDocument.Parse(Serialize(w => bag.WriteEntity(w, type)));
            foreach (var value in json.RootElement.EnumerateObject())
            {
                Assert.True(type.TryGetProperty(value.Name, out var property), $"{value.Name} is not a property of {typeName}");
                AssertShape(property, value.Value);
            }
        }
    }

    [Fact]
    public void Property_sets_hold_only_schema_properties_and_All_leaves_out_the_key_and_write_only_ones()
    {
        var sets = MailboxPropertySets.Load();
        var mailbox = EdmSchema.Instance.GetType("Mailbox");

        Assert.Equal(15, sets.Select("Minimum", null).Properties.Count);
        Assert.Contains("StatisticsSeed", sets.SetNames);
        var all = sets.AllProperties.Properties.Select(p => p.Edm.Name).ToArray();
        Assert.DoesNotContain("ObjectKey", all);
        Assert.DoesNotContain("DeltaUpdates", all);
        Assert.Equal(mailbox.Properties.Count - 20, all.Length);
        Assert.Equal(mailbox.Properties.Select(p => p.Name).Intersect(all), all);
    }

    private static string Serialize(PropertyValue value) => Serialize(value.WriteTo);

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void AssertShape(EdmProperty property, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return; // every property of the Mailbox entity is nullable
        }

        if (property.IsCollection)
        {
            Assert.True(value.ValueKind == JsonValueKind.Array, $"{property.Name} should be an array");
            foreach (var item in value.EnumerateArray())
            {
                AssertScalar(property, item);
            }

            return;
        }

        AssertScalar(property, value);
    }

    private static void AssertScalar(EdmProperty property, JsonElement value)
    {
        var ok = property.Kind switch
        {
            EdmValueKind.String => value.ValueKind == JsonValueKind.String,
            EdmValueKind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            EdmValueKind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            EdmValueKind.Guid => value.ValueKind == JsonValueKind.String && value.TryGetGuid(out _),
            _ => false,
        };
        Assert.True(ok, $"{property.Name} ({property.TypeName}) was served as {value.GetRawText()}");
    }

    private static void AssertDistinct(IEnumerable<string> values, string what)
    {
        var duplicates = values.GroupBy(v => v, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToArray();
        Assert.True(duplicates.Length == 0, $"duplicate {what}: {string.Join(", ", duplicates)}");
    }
}
