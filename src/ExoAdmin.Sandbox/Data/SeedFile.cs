using System.Text.Json;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Mailboxes read from a JSON file instead of generated: what <c>Get-EXOMailbox -PropertySets All | ConvertTo-Json</c>
/// writes, from PowerShell 7 or Windows PowerShell (<see cref="ExportJson"/>). The facts a mailbox is made of are read
/// (names, type, addresses, GUIDs, database, archive, hold, dates, office, location, language, capacity, forwarding,
/// send-on-behalf delegates), and every other exported property that differs from what the sandbox derives from
/// those facts is kept as exported (<see cref="ExportedValues"/>), so exporting the seeded sandbox again gives the
/// same properties. Missing GUIDs are derived from the tenant and alias, so the same file always gives the same tenant.
/// </summary>
internal sealed class SeedFile
{
    private static readonly DateTime DefaultCreated = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly JsonElement[] _entries;

    private SeedFile(string path, JsonElement[] entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public int Count => _entries.Length;

    /// <exception cref="InvalidDataException">The file is not JSON, or an entry lacks a name or address.</exception>
    public static SeedFile Load(string path)
    {
        var entries = ExportJson.LoadObjects(path, "mailboxes");
        for (var i = 0; i < entries.Length; i++)
        {
            if (AliasOf(entries[i]) is null)
            {
                throw new InvalidDataException($"{path}: entry {i} has no Alias, PrimarySmtpAddress, UserPrincipalName or Name.");
            }
        }

        return new SeedFile(path, entries);
    }

    /// <summary>The tenant's mailboxes, in file order (which is also the paging order).</summary>
    public Mailbox[] Build(Tenant tenant)
    {
        var mailboxes = new Mailbox[_entries.Length];
        for (var ordinal = 0; ordinal < _entries.Length; ordinal++)
        {
            var facts = Build(tenant, ordinal, _entries[ordinal]);
            mailboxes[ordinal] = facts with { Stored = ExportedValues.Keep(_entries[ordinal], facts) };
        }

        return mailboxes;
    }

    private static Mailbox Build(Tenant tenant, int ordinal, JsonElement e)
    {
        var alias = AliasOf(e)!;
        var primary = ExportJson.String(e, "PrimarySmtpAddress") ?? ExportJson.String(e, "UserPrincipalName") ?? $"{alias}@{tenant.VanityDomain}";
        var addresses = ExportJson.Strings(e, "EmailAddresses");
        if (addresses.Length == 0)
        {
            addresses = ["SMTP:" + primary];
        }

        Guid Id(string property, string purpose) => ExportJson.Guid(e, property) ?? NameBasedGuid.Create($"seed-file:{tenant.Domain}:{alias}:{purpose}");
        var database = Database(tenant, ExportJson.String(e, "Database") ?? "SEEDFILE-db001", ExportJson.Guid(e, "DatabaseGuid"), ExportJson.String(e, "ServerName"));
        var archiveGuid = ExportJson.Guid(e, "ArchiveGuid") ?? Guid.Empty;
        var hasArchive = archiveGuid != Guid.Empty || string.Equals(ExportJson.String(e, "ArchiveStatus"), "Active", StringComparison.OrdinalIgnoreCase);
        var created = ExportJson.Date(e, "WhenCreatedUTC") ?? ExportJson.Date(e, "WhenCreated") ?? DefaultCreated;
        var type = ExportJson.String(e, "RecipientTypeDetails") ?? RecipientTypes.UserMailbox;

        return new Mailbox
        {
            Ordinal = ordinal,
            Tenant = tenant,
            Alias = alias,
            DisplayName = ExportJson.String(e, "DisplayName") ?? ExportJson.String(e, "Name") ?? alias,
            RecipientTypeDetails = type,
            PrimarySmtpAddress = primary,
            EmailAddresses = addresses,
            Guid = Id("Guid", "guid"),
            ExchangeGuid = Id("ExchangeGuid", "exchange"),
            ExternalDirectoryObjectId = Id("ExternalDirectoryObjectId", "directory"),
            Database = database,
            Archive = hasArchive
                ? new MailboxArchive(
                    archiveGuid == Guid.Empty ? NameBasedGuid.Create($"seed-file:{tenant.Domain}:{alias}:archive") : archiveGuid,
                    Database(tenant, ExportJson.String(e, "ArchiveDatabase") ?? database.Name, ExportJson.Guid(e, "ArchiveDatabaseGuid"), null),
                    ExportJson.Bool(e, "AutoExpandingArchiveEnabled"))
                : null,
            WhenCreatedUtc = created,
            WhenChangedUtc = ExportJson.Date(e, "WhenChangedUTC") ?? ExportJson.Date(e, "WhenChanged") ?? created,
            LitigationHoldDateUtc = ExportJson.Bool(e, "LitigationHoldEnabled") ? ExportJson.Date(e, "LitigationHoldDate") ?? created : null,
            HiddenFromAddressListsEnabled = ExportJson.Bool(e, "HiddenFromAddressListsEnabled"),
            Office = ExportJson.String(e, "Office"),
            UsageLocation = ExportJson.String(e, "UsageLocation"),
            Language = ExportJson.Strings(e, "Languages").FirstOrDefault(),
            ResourceCapacity = ExportJson.Int(e, "ResourceCapacity"),
            ForwardingSmtpAddress = ExportJson.String(e, "ForwardingSmtpAddress"),
            ForwardingAddress = ExportJson.String(e, "ForwardingAddress"),
            DeliverToMailboxAndForward = ExportJson.Bool(e, "DeliverToMailboxAndForward"),
            GrantSendOnBehalfTo = ExportJson.Strings(e, "GrantSendOnBehalfTo"),
        };
    }

    private static string? AliasOf(JsonElement e) =>
        ExportJson.String(e, "Alias") ?? ExportJson.String(e, "PrimarySmtpAddress")?.Split('@')[0]
        ?? ExportJson.String(e, "UserPrincipalName")?.Split('@')[0] ?? ExportJson.String(e, "Name");

    private static MailboxDatabase Database(Tenant tenant, string name, Guid? guid, string? server) =>
        new(name, guid ?? NameBasedGuid.Create($"seed-file:{tenant.Domain}:database:{name}"), server ?? tenant.Forest[2..7] + "MB0001");
}
