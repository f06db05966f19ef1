using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>The mailbox questions both API styles ask: which one an identity names, which types a filter keeps.</summary>
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
}
