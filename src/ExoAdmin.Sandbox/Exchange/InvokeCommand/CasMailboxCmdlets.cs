using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-CASMailbox [-Identity] [-Filter] [-RecipientTypeDetails] [-ResultSize].</summary>
internal sealed class GetCasMailboxCmdlet : IReadCmdlet
{
    private const string RecipientTypeDetailsType = "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]";

    public string Name => "Get-CASMailbox";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var filter = p.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "CasMailbox") : null;
        var wanted = MailboxLookup.RecipientTypeFilter(
            p.GetStrings("RecipientTypeDetails", RecipientTypeDetailsType), type => ExchangeErrors.InvalidParameterValue("RecipientTypeDetails", type, RecipientTypeDetailsType));
        var mailboxes = p.Has("Identity")
            ? [CmdletSupport.Mailbox(context)]
            : context.Tenant.Mailboxes.From(context.Continuation.NextOrdinal).Where(wanted);
        var output = mailboxes.Select(m => ObjectShapes.Cas(m, context.Tenant.State.Cas(m.Ordinal))).FromContinuation(context)
            .Where(bag => filter is null || filter.Matches(bag.Get));
        return CmdletResult.Limited(output, p.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Set-CASMailbox: every parameter (OWAEnabled, PopEnabled, ActiveSyncAllowedDeviceIDs…) stored as the CasMailbox property of its name.</summary>
internal sealed class SetCasMailboxCmdlet : IChangeCmdlet
{
    private static readonly EdmStructuredType SchemaType = EdmSchema.Instance.GetType("CasMailbox");

    public string Name => "Set-CASMailbox";

    public PlannedChange Plan(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context);
        CasSettings Change(CasSettings before) =>
            new(ParameterStore.Apply(before.Stored, context.Parameters, SchemaType, name => Current(mailbox, before, name)));
        _ = Change(context.Tenant.State.Cas(mailbox.Ordinal));
        return new PlannedChange(Confirmations.Of(context, mailbox.Name), () =>
        {
            var same = false;
            context.Tenant.State.SetCas(mailbox.Ordinal, before =>
            {
                var after = Change(before);
                same = after.Stored.SameAs(before.Stored);
                return after;
            });
            return same ? CmdletResult.Of([], CmdletSupport.NoChangeWarning(mailbox.Name)) : CmdletResult.Of([]);
        });
    }

    /// <summary>A property's value as Get-CASMailbox shows it now (for @{Add=…;Remove=…}).</summary>
    private static PropertyValue Current(Mailbox mailbox, CasSettings settings, string name) => ObjectShapes.Cas(mailbox, settings).ValueOf(name);
}
