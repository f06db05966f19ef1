namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// The objects admins create and remove beside the seeded mailboxes: distribution groups, mail users, inbox rules
/// and retention policies. Removed objects keep their slot (and ordinal), so paging and other objects never move.
/// </summary>
internal sealed partial class TenantState
{
    private readonly List<MailUser> _mailUsers = [];
    private readonly Dictionary<int, IReadOnlyList<InboxRule>> _inboxRules = [];
    private readonly List<RetentionCompliancePolicy> _retentionPolicies = [];

    /// <summary>Adds a group made by <paramref name="create"/> from its ordinal.</summary>
    public DistributionGroup AddGroup(Func<int, DistributionGroup> create)
    {
        lock (_lock)
        {
            var group = create(_groups.Count);
            _groups.Add(group);
            return group;
        }
    }

    public DistributionGroup UpdateGroup(int ordinal, Func<DistributionGroup, DistributionGroup> change)
    {
        lock (_lock)
        {
            return _groups[ordinal] = change(_groups[ordinal]);
        }
    }

    public IReadOnlyList<MailUser> MailUsers
    {
        get
        {
            lock (_lock)
            {
                return _mailUsers.Where(u => !u.Removed).ToArray();
            }
        }
    }

    public MailUser AddMailUser(Func<int, MailUser> create)
    {
        lock (_lock)
        {
            var user = create(_mailUsers.Count);
            _mailUsers.Add(user);
            return user;
        }
    }

    public MailUser UpdateMailUser(int ordinal, Func<MailUser, MailUser> change)
    {
        lock (_lock)
        {
            return _mailUsers[ordinal] = change(_mailUsers[ordinal]);
        }
    }

    /// <summary>A mailbox's inbox rules: those derived from its activity until an admin changes them.</summary>
    public IReadOnlyList<InboxRule> InboxRules(Mailbox mailbox)
    {
        lock (_lock)
        {
            return _inboxRules.GetValueOrDefault(mailbox.Ordinal) ?? MailboxActivity.InboxRules(mailbox);
        }
    }

    public void ChangeInboxRules(Mailbox mailbox, Func<IReadOnlyList<InboxRule>, IReadOnlyList<InboxRule>> change)
    {
        lock (_lock)
        {
            _inboxRules[mailbox.Ordinal] = change(_inboxRules.GetValueOrDefault(mailbox.Ordinal) ?? MailboxActivity.InboxRules(mailbox));
        }
    }

    public IReadOnlyList<RetentionCompliancePolicy> RetentionPolicies
    {
        get
        {
            lock (_lock)
            {
                return _retentionPolicies.Where(p => !p.Removed).ToArray();
            }
        }
    }

    public RetentionCompliancePolicy AddRetentionPolicy(Func<int, RetentionCompliancePolicy> create)
    {
        lock (_lock)
        {
            var policy = create(_retentionPolicies.Count);
            _retentionPolicies.Add(policy);
            return policy;
        }
    }

    public RetentionCompliancePolicy UpdateRetentionPolicy(int ordinal, Func<RetentionCompliancePolicy, RetentionCompliancePolicy> change)
    {
        lock (_lock)
        {
            return _retentionPolicies[ordinal] = change(_retentionPolicies[ordinal]);
        }
    }
}
