using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Set-Mailbox with every parameter the service has. Those that change what a mailbox is made of are applied to
/// it: forwarding, type conversion (-Type Regular/Shared/Room/Equipment), hiding, send-on-behalf delegates and
/// proxy addresses (replace, or @{Add=…;Remove=…}), alias, display name, office, capacity, litigation hold (which
/// dates it); every other one is stored as the Mailbox property of its name (<see cref="ParameterStore"/>), so
/// Get-Mailbox and Get-EXOMailbox read it back. Writes no output; a call that changes nothing earns Exchange's
/// "no settings … have been modified" warning.
/// </summary>
internal sealed class SetMailboxCmdlet(Identity.UserDirectory directory) : IChangeCmdlet
{
    private const string RecipientIdArray = "Microsoft.Exchange.Configuration.Tasks.RecipientWithAdUserGroupIdParameter`1[]";
    private const string ProxyAddressCollection = "Microsoft.Exchange.Data.ProxyAddressCollection";

    private static readonly EdmStructuredType MailboxType = EdmSchema.Instance.GetType("Mailbox");

    /// <summary>Parameters applied to the mailbox's own facts rather than stored.</summary>
    private static readonly string[] Applied =
    [
        "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward", "Type", "HiddenFromAddressListsEnabled",
        "GrantSendOnBehalfTo", "EmailAddresses", "DisplayName", "Alias", "Office", "ResourceCapacity", "LitigationHoldEnabled", "LitigationHoldDate",
    ];

    public string Name => "Set-Mailbox";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var target = CmdletSupport.Mailbox(context);
        var type = p.GetEnum("Type", "Microsoft.Exchange.Management.RecipientTasks.ConvertibleMailboxSubType", "Regular", "Shared", "Room", "Equipment");
        string? forwardingAddress = null;
        if (p.Has("ForwardingAddress") && p.GetString("ForwardingAddress", CmdletSupport.RecipientIdType) is { Length: > 0 } forwardTo)
        {
            forwardingAddress = MailboxLookup.Resolve(context.Tenant, forwardTo).Name;
        }

        var sendOnBehalf = p.GetUpdate("GrantSendOnBehalfTo", RecipientIdArray);
        var sendOnBehalfNames = sendOnBehalf is null ? null : Resolve(context, sendOnBehalf);
        var addresses = p.GetUpdate("EmailAddresses", ProxyAddressCollection);
        var holdDate = p.GetDate("LitigationHoldDate");
        var password = p.GetSecret("Password") ?? p.GetSecret("RoomMailboxPassword");

        Mailbox Change(Mailbox m)
        {
            var before = m;
            m = Apply(m, p, forwardingAddress, type, sendOnBehalfNames, addresses, holdDate);
            m = m with { Stored = ParameterStore.Apply(m.Stored, p, MailboxType, name => MailboxProperties.Get(name)(m), Applied) };
            return Unchanged(before, m) ? before : m with { WhenChangedUtc = DateTime.UtcNow };
        }

        // Validate now, against the mailbox as it is, so the Confirm=true probe fails as the change would.
        _ = Change(target);
        return new PlannedChange(Confirmations.Of(context, target.Name), () =>
        {
            var before = context.Tenant.Mailboxes[target.Ordinal];
            var after = context.Tenant.State.UpdateMailbox(target.Ordinal, Change);
            if (password is not null)
            {
                directory.SetPassword(context.Tenant, after.UserPrincipalName, after.DisplayName, password);
            }

            return ReferenceEquals(before, after) && password is null
                ? CmdletResult.Of([], CmdletSupport.NoChangeWarning(target.Name))
                : CmdletResult.Of([]);
        });
    }

    private static Mailbox Apply(
        Mailbox m, CmdletParameters p, string? forwardingAddress, string? type, MultiValuedUpdate? sendOnBehalfNames, MultiValuedUpdate? addresses, DateTime? holdDate)
    {
        if (p.Has("ForwardingSmtpAddress"))
        {
            m = m with { ForwardingSmtpAddress = p.GetString("ForwardingSmtpAddress", ProxyAddressCollection) is { Length: > 0 } smtp ? SmtpProxy(smtp) : null };
        }

        if (p.Has("ForwardingAddress"))
        {
            m = m with { ForwardingAddress = forwardingAddress };
        }

        if (p.GetBool("DeliverToMailboxAndForward") is { } deliver)
        {
            m = m with { DeliverToMailboxAndForward = deliver };
        }

        if (p.GetBool("HiddenFromAddressListsEnabled") is { } hidden)
        {
            m = m with { HiddenFromAddressListsEnabled = hidden };
        }

        if (p.GetString("DisplayName", "System.String") is { Length: > 0 } displayName)
        {
            m = m with { DisplayName = displayName };
        }

        if (p.GetString("Alias", "System.String") is { Length: > 0 } alias)
        {
            m = m with { Alias = alias };
        }

        if (p.Has("Office"))
        {
            m = m with { Office = p.GetString("Office", "System.String") is { Length: > 0 } office ? office : null };
        }

        if (p.Has("ResourceCapacity"))
        {
            m = m with { ResourceCapacity = p.GetString("ResourceCapacity", "System.Int32") is { } capacity ? int.Parse(capacity, System.Globalization.CultureInfo.InvariantCulture) : null };
        }

        // Litigation hold is dated when it starts (or when -LitigationHoldDate says); turning it off clears the date.
        if (p.GetBool("LitigationHoldEnabled") is { } hold)
        {
            m = m with { LitigationHoldDateUtc = hold ? holdDate ?? m.LitigationHoldDateUtc ?? DateTime.UtcNow : null };
        }
        else if (holdDate is not null && m.LitigationHoldDateUtc is not null)
        {
            m = m with { LitigationHoldDateUtc = holdDate };
        }

        if (type is not null)
        {
            m = Convert(m, type);
        }

        if (sendOnBehalfNames is not null)
        {
            m = m with { GrantSendOnBehalfTo = sendOnBehalfNames.Apply(m.GrantSendOnBehalfTo, StringComparer.OrdinalIgnoreCase) };
        }

        if (addresses is not null)
        {
            m = m with { EmailAddresses = ApplyAddresses(m, addresses) };
        }

        return m;
    }

    private static bool Unchanged(Mailbox before, Mailbox after) =>
        before.ForwardingSmtpAddress == after.ForwardingSmtpAddress && before.ForwardingAddress == after.ForwardingAddress
        && before.DeliverToMailboxAndForward == after.DeliverToMailboxAndForward && before.HiddenFromAddressListsEnabled == after.HiddenFromAddressListsEnabled
        && before.RecipientTypeDetails == after.RecipientTypeDetails && before.DisplayName == after.DisplayName && before.Alias == after.Alias
        && before.Office == after.Office && before.ResourceCapacity == after.ResourceCapacity && before.LitigationHoldDateUtc == after.LitigationHoldDateUtc
        && before.GrantSendOnBehalfTo.SequenceEqual(after.GrantSendOnBehalfTo) && before.EmailAddresses.SequenceEqual(after.EmailAddresses)
        && before.Stored.SameAs(after.Stored);

    private static Mailbox Convert(Mailbox m, string type)
    {
        var details = type switch
        {
            "Shared" => RecipientTypes.SharedMailbox,
            "Room" => RecipientTypes.RoomMailbox,
            "Equipment" => RecipientTypes.EquipmentMailbox,
            _ => RecipientTypes.UserMailbox,
        };
        return m with
        {
            RecipientTypeDetails = details,
            ResourceCapacity = details == RecipientTypes.RoomMailbox ? m.ResourceCapacity : null,
        };
    }

    /// <summary>Names of the recipients an update adds or removes, resolved to mailboxes first.</summary>
    private static MultiValuedUpdate Resolve(CmdletContext context, MultiValuedUpdate update)
    {
        string[]? Names(IReadOnlyList<string>? identities) =>
            identities?.Select(i => MailboxLookup.Resolve(context.Tenant, i).Name).ToArray();
        return new MultiValuedUpdate(Names(update.Replace), Names(update.Add), Names(update.Remove));
    }

    /// <summary>
    /// Proxy addresses: a bare address is "smtp:"; an added "SMTP:" one becomes primary (the old primary turns
    /// secondary); the primary cannot be removed.
    /// </summary>
    private static string[] ApplyAddresses(Mailbox m, MultiValuedUpdate update)
    {
        static string Normalize(string a) => a.Contains(':') ? a : "smtp:" + a;
        var normalized = new MultiValuedUpdate(update.Replace?.Select(Normalize).ToArray(), update.Add?.Select(Normalize).ToArray(), update.Remove?.Select(Normalize).ToArray());
        var primary = "SMTP:" + m.PrimarySmtpAddress;
        if (normalized.Remove?.Any(r => string.Equals(r, primary, StringComparison.Ordinal)) == true)
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidOperation(
                $"The primary SMTP address '{m.PrimarySmtpAddress}' of '{m.Name}' can't be removed.", m.Name));
        }

        var result = normalized.Apply(m.EmailAddresses, StringComparer.OrdinalIgnoreCase);
        return result.Any(a => a.StartsWith("SMTP:", StringComparison.Ordinal)) ? result : [primary, .. result.Where(a => !a.Equals(primary, StringComparison.OrdinalIgnoreCase))];
    }

    private static string SmtpProxy(string address) =>
        address.StartsWith("smtp:", StringComparison.OrdinalIgnoreCase) ? "smtp:" + address[5..] : "smtp:" + address;
}
