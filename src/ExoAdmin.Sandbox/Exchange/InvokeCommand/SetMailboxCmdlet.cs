using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Set-Mailbox: forwarding, type conversion (-Type Regular/Shared/Room/Equipment), hiding from address lists,
/// send-on-behalf delegates and proxy addresses (replace, or @{Add=…;Remove=…}). Writes no output; a call that
/// changes nothing earns Exchange's "no settings … have been modified" warning.
/// </summary>
internal sealed class SetMailboxCmdlet : ICmdlet
{
    private const string RecipientIdArray = "Microsoft.Exchange.Configuration.Tasks.RecipientWithAdUserGroupIdParameter`1[]";
    private const string ProxyAddressCollection = "Microsoft.Exchange.Data.ProxyAddressCollection";

    public string Name => "Set-Mailbox";

    public IReadOnlyCollection<string> ParameterNames { get; } =
    [
        "Identity", "ForwardingSmtpAddress", "ForwardingAddress", "DeliverToMailboxAndForward", "Type",
        "HiddenFromAddressListsEnabled", "GrantSendOnBehalfTo", "EmailAddresses", "DisplayName", "Force",
    ];

    public CmdletResult Invoke(CmdletContext context)
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

        var before = target;
        var after = context.Tenant.State.UpdateMailbox(target.Ordinal, m =>
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

            return m with { WhenChangedUtc = m == before ? m.WhenChangedUtc : DateTime.UtcNow };
        });

        return Unchanged(before, after)
            ? CmdletResult.Of([], CmdletSupport.NoChangeWarning(target.Name))
            : CmdletResult.Of([]);
    }

    private static bool Unchanged(Mailbox before, Mailbox after) =>
        before.ForwardingSmtpAddress == after.ForwardingSmtpAddress && before.ForwardingAddress == after.ForwardingAddress
        && before.DeliverToMailboxAndForward == after.DeliverToMailboxAndForward && before.HiddenFromAddressListsEnabled == after.HiddenFromAddressListsEnabled
        && before.RecipientTypeDetails == after.RecipientTypeDetails && before.DisplayName == after.DisplayName
        && before.GrantSendOnBehalfTo.SequenceEqual(after.GrantSendOnBehalfTo) && before.EmailAddresses.SequenceEqual(after.EmailAddresses);

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
