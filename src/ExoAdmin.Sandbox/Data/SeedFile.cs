using System.Globalization;
using System.Text.Json;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Mailboxes read from a JSON file instead of generated: a JSON array (or one object) of mailboxes as
/// <c>Get-EXOMailbox -PropertySets All | ConvertTo-Json</c> writes them, from PowerShell 7 (ISO dates) or
/// Windows PowerShell ("\/Date(ms)\/"). The facts a mailbox is made of are read (names, type, addresses,
/// GUIDs, database, archive, hold, dates, office, location, language, capacity); everything Exchange
/// derives from them is computed as for generated mailboxes, so a UserPrincipalName that differs from the
/// primary SMTP address, quotas and policies are not kept. Missing GUIDs are derived from the tenant and
/// alias, so the same file always gives the same tenant.
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

    /// <summary>Set by the command line (--seed-file) before the server starts; it seeds the first tenant.</summary>
    public static SeedFile? Current { get; set; }

    public string Path { get; }

    public int Count => _entries.Length;

    /// <exception cref="InvalidDataException">The file is not JSON, or an entry lacks a name or address.</exception>
    public static SeedFile Load(string path)
    {
        JsonDocument document;
        try
        {
            // ConvertTo-Json may write a BOM (Windows PowerShell); JsonDocument skips it on streams.
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var entries = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray().Select(e => e.Clone()).ToArray(),
                JsonValueKind.Object => [root.Clone()],
                _ => throw new InvalidDataException($"{path} must hold a JSON array of mailboxes (or one mailbox object)."),
            };
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{path}: entry {i} is not a mailbox object.");
                }

                if (AliasOf(entries[i]) is null)
                {
                    throw new InvalidDataException($"{path}: entry {i} has no Alias, PrimarySmtpAddress, UserPrincipalName or Name.");
                }
            }

            return new SeedFile(path, entries);
        }
    }

    /// <summary>The tenant's mailboxes, in file order (which is also the paging order).</summary>
    public Mailbox[] Build(Tenant tenant)
    {
        var mailboxes = new Mailbox[_entries.Length];
        for (var ordinal = 0; ordinal < _entries.Length; ordinal++)
        {
            mailboxes[ordinal] = Build(tenant, ordinal, _entries[ordinal]);
        }

        return mailboxes;
    }

    private static Mailbox Build(Tenant tenant, int ordinal, JsonElement e)
    {
        var alias = AliasOf(e)!;
        var primary = String(e, "PrimarySmtpAddress") ?? String(e, "UserPrincipalName") ?? $"{alias}@{tenant.VanityDomain}";
        var addresses = Strings(e, "EmailAddresses");
        if (addresses.Length == 0)
        {
            addresses = ["SMTP:" + primary];
        }

        Guid Id(string property, string purpose) => Guid(e, property) ?? NameBasedGuid.Create($"seed-file:{tenant.Domain}:{alias}:{purpose}");
        var database = Database(tenant, String(e, "Database") ?? "SEEDFILE-db001", Guid(e, "DatabaseGuid"), String(e, "ServerName"));
        var archiveGuid = Guid(e, "ArchiveGuid") ?? System.Guid.Empty;
        var hasArchive = archiveGuid != System.Guid.Empty || string.Equals(String(e, "ArchiveStatus"), "Active", StringComparison.OrdinalIgnoreCase);
        var created = Date(e, "WhenCreatedUTC") ?? Date(e, "WhenCreated") ?? DefaultCreated;
        var type = String(e, "RecipientTypeDetails") ?? RecipientTypes.UserMailbox;

        return new Mailbox
        {
            Ordinal = ordinal,
            Tenant = tenant,
            Alias = alias,
            DisplayName = String(e, "DisplayName") ?? String(e, "Name") ?? alias,
            RecipientTypeDetails = type,
            PrimarySmtpAddress = primary,
            EmailAddresses = addresses,
            Guid = Id("Guid", "guid"),
            ExchangeGuid = Id("ExchangeGuid", "exchange"),
            ExternalDirectoryObjectId = Id("ExternalDirectoryObjectId", "directory"),
            Database = database,
            Archive = hasArchive
                ? new MailboxArchive(
                    archiveGuid == System.Guid.Empty ? NameBasedGuid.Create($"seed-file:{tenant.Domain}:{alias}:archive") : archiveGuid,
                    Database(tenant, String(e, "ArchiveDatabase") ?? database.Name, Guid(e, "ArchiveDatabaseGuid"), null),
                    Bool(e, "AutoExpandingArchiveEnabled"))
                : null,
            WhenCreatedUtc = created,
            WhenChangedUtc = Date(e, "WhenChangedUTC") ?? Date(e, "WhenChanged") ?? created,
            LitigationHoldDateUtc = Bool(e, "LitigationHoldEnabled") ? Date(e, "LitigationHoldDate") ?? created : null,
            HiddenFromAddressListsEnabled = Bool(e, "HiddenFromAddressListsEnabled"),
            Office = String(e, "Office"),
            UsageLocation = String(e, "UsageLocation"),
            Language = Strings(e, "Languages").FirstOrDefault(),
            ResourceCapacity = Int(e, "ResourceCapacity"),
        };
    }

    private static string? AliasOf(JsonElement e) =>
        String(e, "Alias") ?? String(e, "PrimarySmtpAddress")?.Split('@')[0] ?? String(e, "UserPrincipalName")?.Split('@')[0] ?? String(e, "Name");

    private static MailboxDatabase Database(Tenant tenant, string name, Guid? guid, string? server) =>
        new(name, guid ?? NameBasedGuid.Create($"seed-file:{tenant.Domain}:database:{name}"), server ?? tenant.Forest[2..7] + "MB0001");

    private static JsonElement? Property(JsonElement e, string name)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : property.Value;
            }
        }

        return null;
    }

    private static string? String(JsonElement e, string name) =>
        Property(e, name) is { } value ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString()) is { Length: > 0 } text ? text : null : null;

    private static string[] Strings(JsonElement e, string name) =>
        Property(e, name) switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(v => v.ToString()).Where(v => v.Length > 0).ToArray(),
            { ValueKind: JsonValueKind.String } one when one.GetString() is { Length: > 0 } text => [text],
            _ => [],
        };

    private static Guid? Guid(JsonElement e, string name) =>
        String(e, name) is { } text && System.Guid.TryParse(text, out var guid) && guid != System.Guid.Empty ? guid : null;

    private static bool Bool(JsonElement e, string name) =>
        Property(e, name) is { } value && (value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var b) && b));

    private static int? Int(JsonElement e, string name) =>
        Property(e, name) is { } value && (value.ValueKind == JsonValueKind.Number ? value.TryGetInt32(out var n) : int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) ? n : null;

    /// <summary>ISO 8601 (PowerShell 7) or "/Date(ms)/" (Windows PowerShell), as UTC.</summary>
    private static DateTime? Date(JsonElement e, string name)
    {
        if (String(e, name) is not { } text)
        {
            return null;
        }

        if (text.StartsWith("/Date(", StringComparison.Ordinal))
        {
            var digits = new string(text[6..].TakeWhile(c => char.IsDigit(c) || c == '-').ToArray());
            return long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
                : null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.UtcDateTime : null;
    }
}
