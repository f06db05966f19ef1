namespace ExoAdmin.Sandbox.Data;

/// <summary>The parts of a tenant's state that come from a real tenant's exports (<see cref="TenantSeed"/>).</summary>
internal sealed partial class TenantState
{
    /// <summary>
    /// Replaces the generated permissions and groups by those the seed gives (each part only when given). A mailbox
    /// or group member that is not one of the tenant's mailboxes cannot be held and is left out; a trustee that is no
    /// mailbox (a group, an orphaned SID) is kept as exported.
    /// </summary>
    /// <returns>One line per kind of entry left out, naming them, for the sandbox to report.</returns>
    public IReadOnlyList<string> Import(Tenant tenant, TenantSeed seed)
    {
        var leftOut = new List<string>();
        if (seed.MailboxPermissions is { } mailboxPermissions)
        {
            lock (_lock)
            {
                _mailboxPermissions.Clear();
            }

            var unknown = new List<string>();
            foreach (var entry in mailboxPermissions)
            {
                if (FindMailbox(entry.Identity) is not { } mailbox)
                {
                    unknown.Add(entry.Identity);
                    continue;
                }

                AddMailboxPermission(new MailboxPermissionGrant(mailbox.Ordinal, Principal(entry.User), entry.AccessRights, entry.Deny, entry.InheritanceType, AutoMapping: true));
            }

            Report(leftOut, "--seed-mailbox-permissions", "permissions on mailboxes the seeded tenant does not have", unknown);
        }

        if (seed.RecipientPermissions is { } recipientPermissions)
        {
            lock (_lock)
            {
                _recipientPermissions.Clear();
            }

            var unknown = new List<string>();
            foreach (var entry in recipientPermissions)
            {
                if (FindMailbox(entry.Identity) is not { } mailbox)
                {
                    unknown.Add(entry.Identity);
                    continue;
                }

                AddRecipientPermission(new RecipientPermissionGrant(mailbox.Ordinal, Principal(entry.Trustee), entry.AccessControlType));
            }

            Report(leftOut, "--seed-recipient-permissions", "SendAs permissions on mailboxes the seeded tenant does not have", unknown);
        }

        if (seed.GroupMembers is { } groupMembers)
        {
            _groups.Clear();

            var notMailboxes = new List<string>();
            foreach (var members in groupMembers.GroupBy(m => m.Group, StringComparer.OrdinalIgnoreCase))
            {
                var ordinals = new List<int>();
                foreach (var member in members)
                {
                    if (FindMailbox(member.Member) is { } mailbox)
                    {
                        ordinals.Add(mailbox.Ordinal);
                    }
                    else
                    {
                        notMailboxes.Add($"{member.Member} (in {members.Key})");
                    }
                }

                var first = members.First();
                var alias = first.Group.Split('@')[0];
                var address = first.Group.Contains('@') ? first.Group : $"{alias}@{tenant.VanityDomain}";
                var owners = first.GroupManagedBy;
                AddGroup(ordinal => new DistributionGroup(
                    ordinal, alias, first.GroupDisplayName ?? alias, address, NameBasedGuid.Create($"group:{tenant.Domain}:{alias}"),
                    owners.FirstOrDefault() ?? string.Empty, ordinals.Distinct().ToArray()) { Stored = StoredProperties.Empty.With("ManagedBy", owners) });
            }

            Report(leftOut, "--seed-group-members", "members that are not mailboxes of the seeded tenant (contacts, mail users, nested groups)", notMailboxes);
        }

        return leftOut;
    }

    private Mailbox? FindMailbox(string identity) => Mailboxes.Find(identity) is [var one] ? one : null;

    /// <summary>A trustee as the service names it: a mailbox's user principal name, anything else as exported.</summary>
    private string Principal(string name) => FindMailbox(name)?.UserPrincipalName ?? name;

    private static void Report(List<string> leftOut, string option, string what, List<string> names)
    {
        if (names.Count > 0)
        {
            leftOut.Add($"{option}: {names.Count} left out, {what}: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : string.Empty)}");
        }
    }
}
