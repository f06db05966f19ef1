namespace ExoAdmin.Sandbox.Data;

/// <summary>A FullAccess-style grant on a mailbox (Add-MailboxPermission). <see cref="User"/> is the trustee's UPN.</summary>
internal sealed record MailboxPermissionGrant(int MailboxOrdinal, string User, string[] AccessRights, bool Deny, string InheritanceType, bool AutoMapping);

/// <summary>A SendAs grant on a recipient (Add-RecipientPermission). <see cref="Trustee"/> is the trustee's UPN.</summary>
internal sealed record RecipientPermissionGrant(int MailboxOrdinal, string Trustee, string AccessControlType);

/// <summary>Set-MailboxAutoReplyConfiguration's settings of one mailbox.</summary>
internal sealed record AutoReplyConfiguration(
    string AutoReplyState, DateTime StartTimeUtc, DateTime EndTimeUtc, string InternalMessage, string ExternalMessage, string ExternalAudience)
{
    public static AutoReplyConfiguration Default => new("Disabled", MailboxSeeder.Epoch, MailboxSeeder.Epoch.AddDays(1), string.Empty, string.Empty, "All");

    /// <summary>The cmdlet's other settings (DeclineMeetingMessage, CreateOOFEvent…), as set.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;
}

/// <summary>Client access settings of one mailbox (Set-CASMailbox): what was set; Exchange Online's defaults otherwise (every protocol on).</summary>
internal sealed record CasSettings(StoredProperties Stored)
{
    public static CasSettings Default { get; } = new(StoredProperties.Empty);
}

/// <summary>
/// What a tenant's admins can change, kept beside the seeded mailboxes: permissions, auto-replies, client
/// access settings and group memberships (mailbox attributes such as forwarding and type live on the mailbox
/// itself, replaced through <see cref="MailboxStore.Replace"/>). One lock guards it: every change is a small,
/// whole update, and readers get snapshots, so a paged read never sees a half-made change.
/// </summary>
internal sealed partial class TenantState
{
    private readonly Lock _lock = new();
    private readonly List<MailboxPermissionGrant> _mailboxPermissions = [];
    private readonly List<RecipientPermissionGrant> _recipientPermissions = [];
    private readonly Dictionary<int, AutoReplyConfiguration> _autoReplies = [];
    private readonly Dictionary<int, CasSettings> _cas = [];
    private readonly ObjectSlots<DistributionGroup> _groups;

    public TenantState(Tenant tenant, MailboxStore mailboxes)
    {
        _groups = new(_lock, g => g.Removed);
        _mailUsers = new(_lock, u => u.Removed);
        _retentionPolicies = new(_lock, p => p.Removed);
        Mailboxes = mailboxes;
        Seed(tenant);
        foreach (var policy in RetentionCompliancePolicy.Seed(tenant))
        {
            _retentionPolicies.Add(_ => policy);
        }
    }

    public MailboxStore Mailboxes { get; }

    /// <summary>The lock to hold while reading and writing the mailbox store and this state together.</summary>
    public Lock SyncRoot => _lock;

    public IReadOnlyList<MailboxPermissionGrant> MailboxPermissions(int ordinal)
    {
        lock (_lock)
        {
            return _mailboxPermissions.Where(p => p.MailboxOrdinal == ordinal).ToArray();
        }
    }

    /// <returns>False when the same user already had exactly these rights (nothing changed).</returns>
    public bool AddMailboxPermission(MailboxPermissionGrant grant)
    {
        lock (_lock)
        {
            var existing = _mailboxPermissions.FindIndex(p => p.MailboxOrdinal == grant.MailboxOrdinal && SameUser(p.User, grant.User) && p.Deny == grant.Deny);
            if (existing < 0)
            {
                _mailboxPermissions.Add(grant);
                return true;
            }

            var merged = _mailboxPermissions[existing].AccessRights.Union(grant.AccessRights, StringComparer.OrdinalIgnoreCase).ToArray();
            if (merged.Length == _mailboxPermissions[existing].AccessRights.Length)
            {
                return false;
            }

            _mailboxPermissions[existing] = _mailboxPermissions[existing] with { AccessRights = merged };
            return true;
        }
    }

    /// <returns>False when the user held none of these rights.</returns>
    public bool RemoveMailboxPermission(int ordinal, string user, string[] accessRights, bool deny)
    {
        lock (_lock)
        {
            var index = _mailboxPermissions.FindIndex(p => p.MailboxOrdinal == ordinal && SameUser(p.User, user) && p.Deny == deny);
            if (index < 0 || !_mailboxPermissions[index].AccessRights.Intersect(accessRights, StringComparer.OrdinalIgnoreCase).Any())
            {
                return false;
            }

            var left = _mailboxPermissions[index].AccessRights.Except(accessRights, StringComparer.OrdinalIgnoreCase).ToArray();
            if (left.Length == 0)
            {
                _mailboxPermissions.RemoveAt(index);
            }
            else
            {
                _mailboxPermissions[index] = _mailboxPermissions[index] with { AccessRights = left };
            }

            return true;
        }
    }

    public IReadOnlyList<RecipientPermissionGrant> RecipientPermissions(int ordinal)
    {
        lock (_lock)
        {
            return _recipientPermissions.Where(p => p.MailboxOrdinal == ordinal).ToArray();
        }
    }

    public bool AddRecipientPermission(RecipientPermissionGrant grant)
    {
        lock (_lock)
        {
            if (_recipientPermissions.Any(p => p.MailboxOrdinal == grant.MailboxOrdinal && SameUser(p.Trustee, grant.Trustee)))
            {
                return false;
            }

            _recipientPermissions.Add(grant);
            return true;
        }
    }

    public bool RemoveRecipientPermission(int ordinal, string trustee)
    {
        lock (_lock)
        {
            return _recipientPermissions.RemoveAll(p => p.MailboxOrdinal == ordinal && SameUser(p.Trustee, trustee)) > 0;
        }
    }

    public AutoReplyConfiguration AutoReply(int ordinal)
    {
        lock (_lock)
        {
            return _autoReplies.GetValueOrDefault(ordinal) ?? AutoReplyConfiguration.Default;
        }
    }

    public void SetAutoReply(int ordinal, Func<AutoReplyConfiguration, AutoReplyConfiguration> change)
    {
        lock (_lock)
        {
            _autoReplies[ordinal] = change(_autoReplies.GetValueOrDefault(ordinal) ?? AutoReplyConfiguration.Default);
        }
    }

    public CasSettings Cas(int ordinal)
    {
        lock (_lock)
        {
            return _cas.GetValueOrDefault(ordinal) ?? CasSettings.Default;
        }
    }

    public void SetCas(int ordinal, Func<CasSettings, CasSettings> change)
    {
        lock (_lock)
        {
            _cas[ordinal] = change(_cas.GetValueOrDefault(ordinal) ?? CasSettings.Default);
        }
    }

    /// <summary>Applies a change to a mailbox under the state lock, so read-modify-write of one mailbox is atomic.</summary>
    public Mailbox UpdateMailbox(int ordinal, Func<Mailbox, Mailbox> change)
    {
        lock (_lock)
        {
            var updated = change(Mailboxes[ordinal]);
            Mailboxes.Replace(updated);
            return updated;
        }
    }

    public IReadOnlyList<DistributionGroup> Groups => _groups.Live;

    /// <summary>The groups an identity names: alias, display name, address or GUID (case-insensitive).</summary>
    public IReadOnlyList<DistributionGroup> FindGroups(string identity)
    {
        identity = identity.Trim();
        return Groups.Where(g =>
            string.Equals(g.Alias, identity, StringComparison.OrdinalIgnoreCase)
            || string.Equals(g.DisplayName, identity, StringComparison.OrdinalIgnoreCase)
            || string.Equals(g.PrimarySmtpAddress, identity, StringComparison.OrdinalIgnoreCase)
            || (Guid.TryParse(identity, out var guid) && g.Guid == guid)).ToArray();
    }

    /// <returns>False when the mailbox was already a member (or, for remove, was not one).</returns>
    public bool SetMembership(int groupOrdinal, int mailboxOrdinal, bool member)
    {
        var changed = false;
        _groups.Update(groupOrdinal, group =>
        {
            changed = group.Members.Contains(mailboxOrdinal) != member;
            return !changed ? group : group with
            {
                Members = member ? [.. group.Members, mailboxOrdinal] : group.Members.Where(m => m != mailboxOrdinal).ToArray(),
            };
        });
        return changed;
    }

    private static bool SameUser(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The fixed facts tests rely on: the shared mailbox "sales" with two FullAccess delegates (admin, Anežka)
    /// and admin's SendAs; distribution groups "team" (admin, Anežka)
    /// and "all-staff" (the first user mailboxes), both managed by admin.
    /// </summary>
    private void Seed(Tenant tenant)
    {
        if (Mailboxes.Count < 6)
        {
            return;
        }

        var admin = Mailboxes[0];
        var sales = Mailboxes[2];
        var anezka = Mailboxes[5];
        _mailboxPermissions.Add(new MailboxPermissionGrant(sales.Ordinal, admin.UserPrincipalName, ["FullAccess"], false, "All", true));
        _mailboxPermissions.Add(new MailboxPermissionGrant(sales.Ordinal, anezka.UserPrincipalName, ["FullAccess"], false, "All", true));
        _recipientPermissions.Add(new RecipientPermissionGrant(sales.Ordinal, admin.UserPrincipalName, "Allow"));

        var users = Mailboxes.From(0).Where(m => m.RecipientTypeDetails == RecipientTypes.UserMailbox).Take(20).Select(m => m.Ordinal).ToArray();
        _groups.Add(ordinal => Group(tenant, ordinal, "team", "Team", admin, [admin.Ordinal, anezka.Ordinal]));
        _groups.Add(ordinal => Group(tenant, ordinal, "all-staff", "All Staff", admin, users));
    }

    private static DistributionGroup Group(Tenant tenant, int ordinal, string alias, string displayName, Mailbox manager, int[] members) =>
        new(ordinal, alias, displayName, $"{alias}@{tenant.VanityDomain}", NameBasedGuid.Create($"group:{tenant.Domain}:{alias}"), manager.Name, members);
}
