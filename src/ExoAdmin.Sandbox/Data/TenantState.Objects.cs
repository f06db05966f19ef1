namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// The objects admins create and remove beside the seeded mailboxes: distribution groups, mail users, inbox rules
/// and retention policies. Removed objects keep their slot (and ordinal), so paging and other objects never move.
/// </summary>
internal sealed partial class TenantState
{
    private readonly ObjectSlots<MailUser> _mailUsers;
    private readonly ObjectSlots<RetentionCompliancePolicy> _retentionPolicies;
    private readonly Dictionary<int, IReadOnlyList<InboxRule>> _inboxRules = [];

    public DistributionGroup AddGroup(Func<int, DistributionGroup> create) => _groups.Add(create);

    public DistributionGroup UpdateGroup(int ordinal, Func<DistributionGroup, DistributionGroup> change) => _groups.Update(ordinal, change);

    public IReadOnlyList<MailUser> MailUsers => _mailUsers.Live;

    public MailUser AddMailUser(Func<int, MailUser> create) => _mailUsers.Add(create);

    public MailUser UpdateMailUser(int ordinal, Func<MailUser, MailUser> change) => _mailUsers.Update(ordinal, change);

    public IReadOnlyList<RetentionCompliancePolicy> RetentionPolicies => _retentionPolicies.Live;

    public RetentionCompliancePolicy AddRetentionPolicy(Func<int, RetentionCompliancePolicy> create) => _retentionPolicies.Add(create);

    public RetentionCompliancePolicy UpdateRetentionPolicy(int ordinal, Func<RetentionCompliancePolicy, RetentionCompliancePolicy> change) =>
        _retentionPolicies.Update(ordinal, change);

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
}
