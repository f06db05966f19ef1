using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-Mailbox with -Identity, -ResultSize and -RecipientTypeDetails.</summary>
internal sealed class GetMailboxCmdlet(MailboxPropertySets propertySets) : ICmdlet
{
    private const string Identity = "Identity";
    private const string RecipientTypeDetails = "RecipientTypeDetails";
    private const string RecipientTypeDetailsType = "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]";

    public string Name => "Get-Mailbox";

    public IReadOnlyCollection<string> ParameterNames { get; } = [Identity, "ResultSize", RecipientTypeDetails, "Filter"];

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
            var filter = context.Parameters.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "Mailbox") : null;
            mailboxes = context.Tenant.Mailboxes.From(context.Continuation.NextOrdinal).Where(wanted)
                .Where(m => filter is null || filter.Matches(name => MailboxProperties.Get(name)(m).ToObject()));
        }

        var output = mailboxes.Select(m => new MailboxOutput(m, propertySets.AllProperties));
        return CmdletResult.Limited(output, resultSize, context.Continuation.Returned);
    }
}
