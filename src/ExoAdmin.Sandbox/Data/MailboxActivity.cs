namespace ExoAdmin.Sandbox.Data;

/// <summary>A mailbox folder's statistics: sizes split from the mailbox's total.</summary>
internal sealed record FolderStatistics(string Name, string FolderPath, string FolderType, string ContainerClass, int Items, long Size);

/// <summary>A phone or tablet that syncs with a mailbox.</summary>
internal sealed record MobileDevice(Guid Guid, string DeviceId, string FriendlyName, string Model, string Os, string ClientType, DateTime FirstSyncUtc, DateTime LastSyncUtc);

/// <summary>An Outlook inbox rule.</summary>
internal sealed record InboxRule(int Priority, string Name, bool Enabled, string Description, string? MoveToFolder, string? From, string? SubjectContainsWords)
{
    /// <summary>Its other conditions and actions, as New- and Set-InboxRule set them.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;
}

/// <summary>
/// What mail activity a mailbox shows (sizes, folders, devices, inbox rules), derived from its ExchangeGuid so it
/// is the same on every run and needs no storage. Sizes depend on the kind of mailbox: people's mailboxes are
/// hundreds of megabytes to tens of gigabytes, resources a few megabytes.
/// </summary>
internal static class MailboxActivity
{
    private static readonly (string Name, string Type, string Class, int Share)[] Folders =
    [
        ("Top of Information Store", "Root", "", 0),
        ("Inbox", "Inbox", "IPF.Note", 45),
        ("Sent Items", "SentItems", "IPF.Note", 20),
        ("Deleted Items", "DeletedItems", "IPF.Note", 8),
        ("Drafts", "Drafts", "IPF.Note", 1),
        ("Archive", "Archive", "IPF.Note", 15),
        ("Calendar", "Calendar", "IPF.Appointment", 6),
        ("Contacts", "Contacts", "IPF.Contact", 2),
        ("Junk Email", "JunkEmail", "IPF.Note", 1),
        ("Notes", "Notes", "IPF.StickyNote", 1),
        ("Tasks", "Tasks", "IPF.Task", 1),
    ];

    private static readonly (string Model, string Os, string Name)[] Devices =
        [("iPhone15C2", "iOS 17.5.1 21F90", "iPhone"), ("SM-S921B", "Android 14.0.0", "Galaxy S24"), ("iPad13C1", "iPadOS 17.4 21E219", "iPad"), ("Pixel 8", "Android 14.0.0", "Pixel 8")];

    public static long TotalItemSize(Mailbox mailbox)
    {
        var r = Hash(mailbox, 0);
        return mailbox.RecipientTypeDetails switch
        {
            RecipientTypes.UserMailbox => 50L * 1024 * 1024 + (long)(r % 20_000UL) * 1024 * 1024 + (long)(r >> 40 & 0xFFFFF),
            RecipientTypes.SharedMailbox => 10L * 1024 * 1024 + (long)(r % 4_000UL) * 1024 * 1024 + (long)(r >> 40 & 0xFFFFF),
            _ => 1024L * 1024 + (long)(r % 20_000_000UL),
        };
    }

    public static long ItemCount(Mailbox mailbox) => Math.Max(1, TotalItemSize(mailbox) / 48_000);

    public static long DeletedItemSize(Mailbox mailbox) => TotalItemSize(mailbox) / 20 + (long)(Hash(mailbox, 1) % 100_000UL);

    public static long ArchiveSize(Mailbox mailbox) => mailbox.Archive is null ? 0 : 20L * 1024 * 1024 + (long)(Hash(mailbox, 2) % 30_000_000_000UL);

    /// <summary>Null for mailboxes nobody signs in to (resources).</summary>
    public static DateTime? LastLogonUtc(Mailbox mailbox) =>
        RecipientTypes.IsResource(mailbox.RecipientTypeDetails) ? null : MailboxSeeder.Epoch.AddMinutes(-(double)(Hash(mailbox, 3) % 40_000UL));

    public static IReadOnlyList<FolderStatistics> FolderStatistics(Mailbox mailbox, bool archive)
    {
        var total = archive ? ArchiveSize(mailbox) : TotalItemSize(mailbox);
        var items = Math.Max(1, total / 48_000);
        return Folders.Select(f => new FolderStatistics(
            f.Name, f.Type == "Root" ? "/" : "/" + f.Name, f.Type == "Archive" ? "User Created" : f.Type, f.Class,
            (int)(items * f.Share / 100), total * f.Share / 100)).ToArray();
    }

    public static IReadOnlyList<MobileDevice> MobileDevices(Mailbox mailbox)
    {
        if (mailbox.RecipientTypeDetails != RecipientTypes.UserMailbox)
        {
            return [];
        }

        var count = (int)(Hash(mailbox, 4) % 3); // 0, 1 or 2 devices
        return Enumerable.Range(0, count).Select(i =>
        {
            var device = Devices[(int)(Hash(mailbox, 5 + i) % (ulong)Devices.Length)];
            var id = Hash(mailbox, 10 + i).ToString("X16");
            var first = mailbox.WhenCreatedUtc.AddDays(30 + i * 200);
            return new MobileDevice(
                NameBasedGuid.Create($"device:{mailbox.ExchangeGuid}:{i}"), id, device.Name, device.Model, device.Os,
                i == 0 ? "Outlook" : "EAS", first, MailboxSeeder.Epoch.AddHours(-(double)(Hash(mailbox, 20 + i) % 500)));
        }).ToArray();
    }

    /// <summary>About a third of the people have one or two rules; "alex" always has both.</summary>
    public static IReadOnlyList<InboxRule> InboxRules(Mailbox mailbox)
    {
        if (mailbox.RecipientTypeDetails != RecipientTypes.UserMailbox)
        {
            return [];
        }

        var count = mailbox.Alias == "alex" ? 2 : (int)(Hash(mailbox, 6) % 6) switch { 0 => 1, 1 => 2, _ => 0 };
        var rules = new List<InboxRule>();
        if (count >= 1)
        {
            rules.Add(new InboxRule(1, "Newsletters", true,
                "If the message:\r\n\tincludes 'newsletter' in the subject\r\nTake the following actions:\r\n\tmove the message to folder 'Newsletters'\r\n",
                "Newsletters", null, "newsletter"));
        }

        if (count >= 2)
        {
            rules.Add(new InboxRule(2, "From my manager", true,
                $"If the message:\r\n\tthe message was received from 'admin@{mailbox.Tenant.VanityDomain}'\r\nTake the following actions:\r\n\tmark the message as 'High' importance\r\n",
                null, $"admin@{mailbox.Tenant.VanityDomain}", null));
        }

        return rules;
    }

    private static ulong Hash(Mailbox mailbox, int salt)
    {
        var bytes = mailbox.ExchangeGuid.ToByteArray();
        var value = BitConverter.ToUInt64(bytes, 0) ^ BitConverter.ToUInt64(bytes, 8);
        value ^= (ulong)(salt + 1) * 0x9E3779B97F4A7C15UL;
        value ^= value >> 31;
        value *= 0xBF58476D1CE4E5B9UL;
        return value ^ (value >> 29);
    }
}
