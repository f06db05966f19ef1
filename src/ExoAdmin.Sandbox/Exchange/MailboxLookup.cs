using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The mailbox and recipient questions both API styles ask: which one an identity names, which types a filter
/// keeps, what the recipient list holds.
/// </summary>
internal static class MailboxLookup
{
    /// <exception cref="ExchangeErrorException">No mailbox (404) or several mailboxes (400) match.</exception>
    public static Mailbox Resolve(SandboxTenant tenant, string identity)
    {
        var matches = tenant.Mailboxes.Find(identity);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, tenant.Tenant)),
            _ => throw new ExchangeErrorException(ExchangeErrors.AmbiguousIdentity(identity, matches)),
        };
    }

    /// <summary>A Microsoft 365 group's mailbox by alias, address, display name or GUID.</summary>
    /// <exception cref="ExchangeErrorException">No group's mailbox matches (404).</exception>
    public static Mailbox ResolveGroupMailbox(SandboxTenant tenant, string identity) =>
        tenant.GroupMailboxes.FirstOrDefault(m =>
            identity.Equals(m.Alias, StringComparison.OrdinalIgnoreCase) || identity.Equals(m.PrimarySmtpAddress, StringComparison.OrdinalIgnoreCase)
            || identity.Equals(m.DisplayName, StringComparison.OrdinalIgnoreCase) || (Guid.TryParse(identity, out var guid) && (m.Guid == guid || m.ExternalDirectoryObjectId == guid)))
        ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, tenant.Tenant));

    /// <summary>
    /// A RecipientTypeDetails filter from values such as ["UserMailbox", "SharedMailbox,RoomMailbox"]; with no
    /// value it keeps every mailbox.
    /// </summary>
    /// <param name="invalid">Builds the error for a value that is not a mailbox type.</param>
    public static Func<Mailbox, bool> RecipientTypeFilter(IEnumerable<string> values, Func<string, ExchangeError> invalid)
    {
        var types = values
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (types.FirstOrDefault(type => !RecipientTypes.MailboxFilterValues.Contains(type)) is { } unknown)
        {
            throw new ExchangeErrorException(invalid(unknown));
        }

        return types.Count == 0 ? _ => true : mailbox => types.Contains(mailbox.RecipientTypeDetails);
    }

    /// <summary>
    /// The recipient an identity names, shaped by the caller: the mail user or the distribution group when exactly
    /// one matches, otherwise the mailbox (<see cref="Resolve"/>, with its errors).
    /// </summary>
    public static T ResolveRecipient<T>(SandboxTenant tenant, string identity, Func<DistributionGroup, T> group, Func<Mailbox, T> mailbox, Func<MailUser, T> mailUser)
    {
        if (InvokeCommand.MailUsers.Find(tenant, identity) is [var user])
        {
            return mailUser(user);
        }

        var groups = tenant.State.FindGroups(identity);
        return groups.Count == 1 ? group(groups[0]) : mailbox(Resolve(tenant, identity));
    }

    /// <summary>
    /// Every recipient in list order, shaped by the caller with its position: the mailboxes from
    /// <paramref name="fromOrdinal"/> on, then the distribution groups, numbered after the mailboxes, then the mail
    /// users, numbered after every group there could be.
    /// </summary>
    public static IEnumerable<T> Recipients<T>(
        SandboxTenant tenant, int fromOrdinal, Func<Mailbox, int, T> mailbox, Func<DistributionGroup, int, T> group, Func<MailUser, int, T> mailUser)
    {
        var count = tenant.Mailboxes.Count;
        return tenant.Mailboxes.From(fromOrdinal).Select(m => mailbox(m, m.Ordinal))
            .Concat(tenant.State.Groups.Where(g => count + g.Ordinal >= fromOrdinal).Select(g => group(g, count + g.Ordinal)))
            .Concat(tenant.State.MailUsers.Where(u => InvokeCommand.MailUsers.RecipientOrdinalOffset + u.Ordinal >= fromOrdinal)
                .Select(u => mailUser(u, InvokeCommand.MailUsers.RecipientOrdinalOffset + u.Ordinal)));
    }
}
