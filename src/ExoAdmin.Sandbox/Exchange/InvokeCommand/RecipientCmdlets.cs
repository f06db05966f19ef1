using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-Recipient [-Identity] [-RecipientTypeDetails] [-ResultSize]: mailboxes, then distribution groups.</summary>
internal sealed class GetRecipientCmdlet : ICmdlet
{
    public string Name => "Get-Recipient";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "RecipientTypeDetails", "ResultSize", "Filter"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var types = context.Parameters.GetStrings("RecipientTypeDetails", "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]")
            .SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        IEnumerable<ICmdletOutput> output;
        if (context.Parameters.GetString("Identity", CmdletSupport.RecipientIdType) is { } identity)
        {
            output = [MailboxLookup.ResolveRecipient(context.Tenant, identity, g => ObjectShapes.DistributionGroup(context.Tenant.Tenant, g), m => ObjectShapes.Recipient(m, 0))];
        }
        else
        {
            var filter = context.Parameters.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "Recipient") : null;
            output = MailboxLookup.Recipients(
                    context.Tenant, context.Continuation.NextOrdinal, ObjectShapes.Recipient, (g, ordinal) => ObjectShapes.DistributionGroup(context.Tenant.Tenant, g).WithOrdinal(ordinal))
                .Where(r => types.Count == 0 || types.Contains((string)r.Get("RecipientTypeDetails")!))
                .Where(r => filter is null || filter.Matches(r.Get));
        }

        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Get-InboxRule -Mailbox [-Identity].</summary>
internal sealed class GetInboxRuleCmdlet : ICmdlet
{
    public string Name => "Get-InboxRule";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Mailbox", "Identity"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context, "Mailbox");
        var name = context.Parameters.GetString("Identity", "Microsoft.Exchange.Management.Tasks.InboxRuleIdParameter");
        var rules = MailboxActivity.InboxRules(mailbox)
            .Where(r => name is null || r.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || $"{mailbox.Name}\\{r.Priority}".Equals(name, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        if (name is not null && rules.Length == 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(name, context.Tenant.Tenant));
        }

        return CmdletResult.Of(rules.Select(r => ObjectShapes.InboxRule(mailbox, r)).FromContinuation(context));
    }
}

/// <summary>Get-CASMailbox [-Identity] [-ResultSize].</summary>
internal sealed class GetCasMailboxCmdlet : ICmdlet
{
    public string Name => "Get-CASMailbox";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "ResultSize", "Filter"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var filter = context.Parameters.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "CasMailbox") : null;
        var mailboxes = context.Parameters.Has("Identity")
            ? [CmdletSupport.Mailbox(context)]
            : context.Tenant.Mailboxes.From(context.Continuation.NextOrdinal);
        var output = mailboxes.Select(m => ObjectShapes.Cas(m, context.Tenant.State.Cas(m.Ordinal))).FromContinuation(context)
            .Where(bag => filter is null || filter.Matches(bag.Get));
        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Set-CASMailbox -OWAEnabled/-ActiveSyncEnabled/-PopEnabled/-ImapEnabled/-MAPIEnabled/-EwsEnabled.</summary>
internal sealed class SetCasMailboxCmdlet : ICmdlet
{
    public string Name => "Set-CASMailbox";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "OWAEnabled", "ActiveSyncEnabled", "PopEnabled", "ImapEnabled", "MAPIEnabled", "EwsEnabled"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var mailbox = CmdletSupport.Mailbox(context);
        var before = context.Tenant.State.Cas(mailbox.Ordinal);
        var after = new CasSettings(
            p.GetBool("OWAEnabled") ?? before.OwaEnabled,
            p.GetBool("ActiveSyncEnabled") ?? before.ActiveSyncEnabled,
            p.GetBool("PopEnabled") ?? before.PopEnabled,
            p.GetBool("ImapEnabled") ?? before.ImapEnabled,
            p.GetBool("MAPIEnabled") ?? before.MapiEnabled,
            p.GetBool("EwsEnabled") ?? before.EwsEnabled);
        if (after == before)
        {
            return CmdletResult.Of([], CmdletSupport.NoChangeWarning(mailbox.Name));
        }

        context.Tenant.State.SetCas(mailbox.Ordinal, _ => after);
        return CmdletResult.Of([]);
    }
}
