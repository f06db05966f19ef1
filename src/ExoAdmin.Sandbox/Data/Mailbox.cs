namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// The varying facts of one seeded mailbox. Everything Exchange derives from them (UPN, distinguished name,
/// quotas, policies…) is computed by <see cref="MailboxProperties"/> when served, which keeps 100,000
/// mailboxes small in memory. Instances are immutable; a change (Set-Mailbox) makes a copy with <c>with</c>
/// and <see cref="MailboxStore.Replace"/> swaps it in. Equality is identity, as for the objects it replaced.
/// </summary>
internal sealed record Mailbox
{
    /// <summary>Position in the tenant's stable order; also the paging key.</summary>
    public required int Ordinal { get; init; }

    public required Tenant Tenant { get; init; }

    public required string Alias { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>One of <see cref="RecipientTypes"/>.</summary>
    public required string RecipientTypeDetails { get; init; }

    public required string PrimarySmtpAddress { get; init; }

    /// <summary>Proxy addresses with their prefix; the primary SMTP address is "SMTP:" (upper case).</summary>
    public required string[] EmailAddresses { get; init; }

    /// <summary>The directory object's GUID (Guid, ExchangeObjectId).</summary>
    public required Guid Guid { get; init; }

    public required Guid ExchangeGuid { get; init; }

    /// <summary>The Entra ID user object id.</summary>
    public required Guid ExternalDirectoryObjectId { get; init; }

    public required MailboxDatabase Database { get; init; }

    /// <summary>Null when the mailbox has no archive (ArchiveStatus None).</summary>
    public MailboxArchive? Archive { get; init; }

    public required DateTime WhenCreatedUtc { get; init; }

    public required DateTime WhenChangedUtc { get; init; }

    /// <summary>Set when litigation hold is enabled.</summary>
    public DateTime? LitigationHoldDateUtc { get; init; }

    public bool HiddenFromAddressListsEnabled { get; init; }

    public string? Office { get; init; }

    public string? UsageLocation { get; init; }

    public string? Language { get; init; }

    /// <summary>Seats of a room mailbox.</summary>
    public int? ResourceCapacity { get; init; }

    /// <summary>"smtp:user@domain" forwarding (Set-Mailbox -ForwardingSmtpAddress); null when none.</summary>
    public string? ForwardingSmtpAddress { get; init; }

    /// <summary>The recipient mail is forwarded to (Set-Mailbox -ForwardingAddress), as its name; null when none.</summary>
    public string? ForwardingAddress { get; init; }

    public bool DeliverToMailboxAndForward { get; init; }

    /// <summary>Names of the recipients that may send on behalf of this mailbox.</summary>
    public string[] GrantSendOnBehalfTo { get; init; } = [];

    /// <summary>When Remove-Mailbox soft-deleted it; null while it is in the tenant.</summary>
    public DateTime? SoftDeletedUtc { get; init; }

    /// <summary>What admins set with Set-Mailbox and Set-User beyond the facts above (CustomAttribute7, quotas…), by property.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;

    public string Name => Alias;

    public string UserPrincipalName => PrimarySmtpAddress;

    public string DistinguishedName => "CN=" + Name + Tenant.DistinguishedNameSuffix;

    public bool Equals(Mailbox? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => Ordinal;
}

/// <summary>A mailbox database and the server that hosts its active copy.</summary>
internal sealed record MailboxDatabase(string Name, Guid Guid, string Server);

internal sealed record MailboxArchive(Guid ArchiveGuid, MailboxDatabase Database, bool AutoExpanding);

/// <summary>RecipientTypeDetails values of mailboxes.</summary>
internal static class RecipientTypes
{
    public const string UserMailbox = "UserMailbox";
    public const string SharedMailbox = "SharedMailbox";
    public const string RoomMailbox = "RoomMailbox";
    public const string EquipmentMailbox = "EquipmentMailbox";
    public const string GroupMailbox = "GroupMailbox";

    /// <summary>Every value the service accepts as a mailbox RecipientTypeDetails filter (schema annotation).</summary>
    public static readonly IReadOnlySet<string> MailboxFilterValues = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "DiscoveryMailbox", EquipmentMailbox, GroupMailbox, "LegacyMailbox", "LinkedMailbox", "LinkedRoomMailbox",
        RoomMailbox, "SchedulingMailbox", SharedMailbox, "TeamMailbox", UserMailbox,
    };

    public static bool IsResource(string recipientTypeDetails) =>
        recipientTypeDetails is RoomMailbox or EquipmentMailbox;
}
