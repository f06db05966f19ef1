using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-Mailbox with -Identity, -ResultSize and -RecipientTypeDetails.</summary>
internal sealed class GetMailboxCmdlet(MailboxPropertySets propertySets) : ICmdlet
{
    private const string Identity = "Identity";
    private const string RecipientTypeDetails = "RecipientTypeDetails";
    private const string RecipientTypeDetailsType = "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]";

    public string Name => "Get-Mailbox";

    public IReadOnlyCollection<string> ParameterNames { get; } = [Identity, "ResultSize", RecipientTypeDetails];

    public CmdletResult Invoke(CmdletContext context)
    {
        var resultSize = context.Parameters.GetResultSize();
        var wanted = MailboxLookup.RecipientTypeFilter(
            context.Parameters.GetStrings(RecipientTypeDetails, RecipientTypeDetailsType),
            type => ExchangeErrors.InvalidParameterValue(RecipientTypeDetails, type, RecipientTypeDetailsType));

        IEnumerable<Mailbox> mailboxes;
        if (context.Parameters.GetString(Identity, "Microsoft.Exchange.Configuration.Tasks.MailboxIdParameter") is { } identity)
        {
            var mailbox = MailboxLookup.Resolve(context.Tenant, identity);
            if (!wanted(mailbox))
            {
                throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
            }

            mailboxes = mailbox.Ordinal >= context.Continuation.NextOrdinal ? [mailbox] : [];
        }
        else
        {
            mailboxes = context.Tenant.Mailboxes.From(context.Continuation.NextOrdinal).Where(wanted);
        }

        var output = mailboxes.Select(m => new MailboxOutput(m, propertySets.AllProperties));
        return CmdletResult.Limited(output, resultSize, context.Continuation.Returned);
    }
}
