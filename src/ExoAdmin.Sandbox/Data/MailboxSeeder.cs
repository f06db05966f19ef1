using System.Globalization;
using System.Text;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Generates a tenant's mailboxes. The first few are fixed and known to tests (admin, alex, sales, a room, an
/// equipment mailbox and a user with a non-ASCII name); the rest are people and some shared and resource mailboxes. Each mailbox depends
/// only on (seed, tenant, ordinal), so N mailboxes are always a prefix of N+1.
/// </summary>
internal static class MailboxSeeder
{
    /// <summary>Data is dated relative to this fixed instant, never to the clock, so runs are reproducible.</summary>
    public static readonly DateTime Epoch = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime FirstCreation = new(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastCreation = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly MailboxSpec[] FixedMailboxes =
    [
        new("admin", "MOD Administrator", RecipientTypes.UserMailbox, HasArchive: false),
        new("alex", "Alex Wilber", RecipientTypes.UserMailbox, HasArchive: true),
        new("sales", "Sales", RecipientTypes.SharedMailbox, HasArchive: false),
        new("conf-adams", "Conference Room Adams", RecipientTypes.RoomMailbox, HasArchive: false, Capacity: 12),
        new("projector-01", "Projector 01", RecipientTypes.EquipmentMailbox, HasArchive: false),
        // Non-ASCII names make base64 identities with '+' and '/', which clients must send intact.
        // She also forwards to a personal address: the leaver scenario removes it.
        new("anezka.dvorak", "Anežka Dvořák", RecipientTypes.UserMailbox, HasArchive: false, ForwardingSmtpAddress: "smtp:anezka.dvorak@fabrikam.com"),
    ];

    private static readonly string[] SharedFunctions =
        ["Support", "Billing", "Finance", "Recruiting", "Marketing", "Facilities", "Legal", "Payroll", "Events", "Press", "Procurement", "Helpdesk", "Info", "Careers", "Partners", "Compliance"];
    private static readonly string[] Buildings = ["Adams", "Baker", "Cascade", "Denali", "Everest", "Fuji", "Glacier", "Hood", "Olympus", "Rainier"];
    private static readonly string[] Equipment = ["Projector", "Company Car", "Camera Kit", "Laptop Cart", "Van", "Podcast Studio"];
    private static readonly int[] RoomCapacities = [4, 6, 8, 10, 12, 16, 20, 40];
    private static readonly string[] Offices = ["Seattle", "Redmond", "New York", "Chicago", "Austin", "Atlanta", "Denver", "Boston", "London", "Dublin", "Paris", "Berlin", "Munich", "Madrid", "Milan", "Amsterdam", "Stockholm", "Warsaw", "Tokyo", "Singapore", "Sydney", "Bangalore", "Toronto", "Sao Paulo", "Mexico City"];
    private static readonly string[] UsageLocations = ["United States", "United States", "United States", "United Kingdom", "Germany", "France", "Canada", "India", "Japan", "Australia"];
    private static readonly string[] Languages = ["en-US", "en-US", "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP"];

    /// <summary>Letters that have no ASCII base letter under Unicode decomposition.</summary>
    private static readonly Dictionary<char, string> Transliterations = new() { ['ø'] = "o", ['æ'] = "ae", ['ß'] = "ss", ['ł'] = "l", ['đ'] = "d", ['ı'] = "i" };

    public static Mailbox[] Seed(Tenant tenant, int count, int seed)
    {
        var tenantSeed = SeedRandom.TenantSeed(seed, tenant.Domain);
        var tenantRandom = new SeedRandom(tenantSeed);
        var people = new PeopleNames(ref tenantRandom);
        var databases = CreateDatabases(tenant, ref tenantRandom);

        var mailboxes = new Mailbox[count];
        for (var ordinal = 0; ordinal < count; ordinal++)
        {
            var random = SeedRandom.ForItem(tenantSeed, ordinal);
            var spec = ordinal < FixedMailboxes.Length
                ? FixedMailboxes[ordinal]
                : GenerateSpec(ordinal, people, ref random);
            mailboxes[ordinal] = Build(tenant, ordinal, spec, databases, ref random);
        }

        return mailboxes;
    }

    private static readonly MailboxSpec[] GroupMailboxSpecs =
    [
        new("project-falcon", "Project Falcon", RecipientTypes.GroupMailbox, HasArchive: false),
        new("leadership", "Leadership Team", RecipientTypes.GroupMailbox, HasArchive: false),
    ];

    /// <summary>
    /// Two Microsoft 365 groups' mailboxes, numbered after <paramref name="mailboxes"/> (so paging keys stay in order) and
    /// on the first mailbox's database; none in a tenant without mailboxes.
    /// </summary>
    public static Mailbox[] SeedGroupMailboxes(Tenant tenant, MailboxStore mailboxes)
    {
        if (mailboxes.Count == 0)
        {
            return [];
        }

        var tenantSeed = SeedRandom.TenantSeed(0, "groups." + tenant.Domain);
        var databases = new[] { mailboxes[0].Database };
        return GroupMailboxSpecs.Select((spec, i) =>
        {
            var random = SeedRandom.ForItem(tenantSeed, i);
            return Build(tenant, mailboxes.Count + i, spec, databases, ref random);
        }).ToArray();
    }

    private static MailboxSpec GenerateSpec(int ordinal, PeopleNames people, ref SeedRandom random)
    {
        var roll = random.Next(100);
        var number = ordinal.ToString(CultureInfo.InvariantCulture);
        if (roll < 85)
        {
            var (displayName, alias) = people.ForOrdinal(ordinal);
            return new MailboxSpec(alias, displayName, RecipientTypes.UserMailbox, HasArchive: random.Chance(0.35));
        }

        if (roll < 95)
        {
            var function = random.Pick(SharedFunctions);
            return new MailboxSpec($"{Slug(function)}-{number}", $"{function} {number}", RecipientTypes.SharedMailbox, HasArchive: random.Chance(0.05));
        }

        if (roll < 98)
        {
            var building = random.Pick(Buildings);
            return new MailboxSpec($"room-{Slug(building)}-{number}", $"Room {building} {number}", RecipientTypes.RoomMailbox,
                HasArchive: false, Capacity: random.Pick(RoomCapacities));
        }

        var item = random.Pick(Equipment);
        return new MailboxSpec($"{Slug(item)}-{number}", $"{item} {number}", RecipientTypes.EquipmentMailbox, HasArchive: false);
    }

    private static Mailbox Build(Tenant tenant, int ordinal, MailboxSpec spec, MailboxDatabase[] databases, ref SeedRandom random)
    {
        var isUser = spec.Type == RecipientTypes.UserMailbox;
        var primary = $"{spec.Alias}@{tenant.VanityDomain}";
        var addresses = new List<string>(4) { "SMTP:" + primary, $"smtp:{spec.Alias}@{tenant.Domain}" };
        if (random.Chance(0.25))
        {
            addresses.Add($"smtp:{spec.Alias}@{tenant.ShortName}.mail.onmicrosoft.com");
        }

        if (isUser && random.Chance(0.1))
        {
            addresses.Add("SIP:" + primary);
        }

        var created = random.NextDate(FirstCreation, LastCreation);
        var guid = random.NextGuid();
        var exchangeGuid = random.NextGuid();
        var directoryId = random.NextGuid();
        var database = random.Pick(databases);
        MailboxArchive? archive = spec.HasArchive
            ? new MailboxArchive(random.NextGuid(), random.Pick(databases), AutoExpanding: random.Chance(0.2))
            : null;

        return new Mailbox
        {
            Ordinal = ordinal,
            Tenant = tenant,
            Alias = spec.Alias,
            DisplayName = spec.DisplayName,
            RecipientTypeDetails = spec.Type,
            PrimarySmtpAddress = primary,
            EmailAddresses = addresses.ToArray(),
            Guid = guid,
            ExchangeGuid = exchangeGuid,
            ExternalDirectoryObjectId = directoryId,
            Database = database,
            Archive = archive,
            WhenCreatedUtc = created,
            WhenChangedUtc = random.NextDate(created, Epoch),
            LitigationHoldDateUtc = isUser && ordinal >= FixedMailboxes.Length && random.Chance(0.06) ? random.NextDate(created, Epoch) : null,
            HiddenFromAddressListsEnabled = spec.Type == RecipientTypes.SharedMailbox ? random.Chance(0.4) : isUser && random.Chance(0.02),
            Office = isUser ? random.Pick(Offices) : spec.Type == RecipientTypes.RoomMailbox ? spec.DisplayName : null,
            UsageLocation = isUser ? random.Pick(UsageLocations) : null,
            Language = isUser ? random.Pick(Languages) : null,
            ResourceCapacity = spec.Capacity,
            ForwardingSmtpAddress = spec.ForwardingSmtpAddress,
            DeliverToMailboxAndForward = spec.ForwardingSmtpAddress is not null,
        };
    }

    private static MailboxDatabase[] CreateDatabases(Tenant tenant, ref SeedRandom random)
    {
        var prefix = tenant.Forest[..7]; // e.g. NAMPR12
        var databases = new MailboxDatabase[16];
        for (var i = 0; i < databases.Length; i++)
        {
            var group = 10 + random.Next(90);
            var name = $"{prefix}DG{group:000}-db{1 + random.Next(150):000}";
            databases[i] = new MailboxDatabase(name, random.NextGuid(), $"{tenant.Forest[2..7]}MB{1000 + random.Next(9000)}");
        }

        return databases;
    }

    /// <summary>
    /// An alias part: lower-case ASCII with diacritics removed ("Dvořák" → "dvorak"), words joined by '-'.
    /// </summary>
    private static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (c is ' ' or '-')
            {
                slug.Append('-');
            }
            else if (Transliterations.TryGetValue(char.ToLowerInvariant(c), out var ascii))
            {
                slug.Append(ascii);
            }
        }

        return slug.ToString();
    }

    private sealed record MailboxSpec(string Alias, string DisplayName, string Type, bool HasArchive, int? Capacity = null, string? ForwardingSmtpAddress = null);

    /// <summary>
    /// Maps an ordinal to a first/last name pair through an affine permutation of all pairs, so every pair is
    /// used once before any repeats; repeats (beyond the pool size) get a numeric suffix to stay distinct.
    /// </summary>
    private sealed class PeopleNames
    {
        private readonly string[] _first;
        private readonly string[] _last;
        private readonly string[] _firstSlugs;
        private readonly string[] _lastSlugs;
        private readonly long _pairs;
        private readonly long _step;
        private readonly long _offset;

        public PeopleNames(ref SeedRandom random)
        {
            _first = NamePools.FirstNames.ToArray();
            _last = NamePools.LastNames.ToArray();
            random.Shuffle(_first);
            random.Shuffle(_last);
            _firstSlugs = _first.Select(Slug).ToArray();
            _lastSlugs = _last.Select(Slug).ToArray();
            _pairs = (long)_first.Length * _last.Length;
            _step = _pairs / 3 + random.Next((int)(_pairs / 3));
            while (Gcd(_step, _pairs) != 1)
            {
                _step++;
            }

            _offset = random.Next((int)_pairs);
        }

        /// <returns>"First Last" and "first.last", both with " N"/"N" appended from the second round of pairs on.</returns>
        public (string DisplayName, string Alias) ForOrdinal(int ordinal)
        {
            var pair = (_step * ordinal + _offset) % _pairs;
            var round = ordinal / _pairs;
            var suffix = round == 0 ? string.Empty : (round + 1).ToString(CultureInfo.InvariantCulture);
            var (first, last) = ((int)(pair / _last.Length), (int)(pair % _last.Length));
            var displayName = $"{_first[first]} {_last[last]}" + (suffix.Length == 0 ? string.Empty : " " + suffix);
            return (displayName, _firstSlugs[first] + "." + _lastSlugs[last] + suffix);
        }

        private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);
    }
}
