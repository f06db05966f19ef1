using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Get-Mailbox: by -Identity or -Anr, or the list narrowed by -RecipientTypeDetails, -Filter (OPATH), -MailboxPlan,
/// -OrganizationalUnit and -Archive (only mailboxes with an archive); -SoftDeletedMailbox reads the mailboxes
/// Remove-Mailbox soft-deleted instead, and -GroupMailbox (or RecipientTypeDetails GroupMailbox) the Microsoft 365
/// groups' mailboxes. The tenant has no public folder, migration or inactive mailboxes, so -PublicFolder, -Migration
/// and -InactiveMailboxOnly find none. -SortBy orders by any property.
/// </summary>
internal sealed class GetMailboxCmdlet(MailboxPropertySets propertySets) : IReadCmdlet
{
    private const string RecipientTypeDetails = "RecipientTypeDetails";
    private const string RecipientTypeDetailsType = "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]";

    public string Name => "Get-Mailbox";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var resultSize = p.GetResultSize();
        var wanted = MailboxLookup.RecipientTypeFilter(
            p.GetStrings(RecipientTypeDetails, RecipientTypeDetailsType),
            type => ExchangeErrors.InvalidParameterValue(RecipientTypeDetails, type, RecipientTypeDetailsType));
        var softDeleted = p.GetBool("SoftDeletedMailbox") == true;
        var groupMailboxes = p.GetBool("GroupMailbox") == true;
        var withGroups = groupMailboxes || p.GetStrings(RecipientTypeDetails, RecipientTypeDetailsType)
            .Any(t => t.Split(',', StringSplitOptions.TrimEntries).Contains(RecipientTypes.GroupMailbox, StringComparer.OrdinalIgnoreCase));
        if (p.GetBool("PublicFolder") == true || p.GetBool("Migration") == true || p.GetBool("InactiveMailboxOnly") == true)
        {
            return CmdletResult.Of([]);
        }

        if (p.GetString("OrganizationalUnit", "Microsoft.Exchange.Configuration.Tasks.OrganizationalUnitIdParameter") is { } unit && !context.Tenant.Tenant.IsOrganizationalUnit(unit))
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(unit, context.Tenant.Tenant));
        }

        var plan = p.GetString("MailboxPlan", "Microsoft.Exchange.Configuration.Tasks.MailboxPlanIdParameter") is { } planIdentity
            ? context.Tenant.Tenant.FindMailboxPlan(planIdentity) ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(planIdentity, context.Tenant.Tenant))
            : null;
        var archiveOnly = p.GetBool("Archive") == true;
        bool Keep(Mailbox m) => wanted(m) && (!archiveOnly || m.Archive is not null) && (plan is null || context.Tenant.Tenant.MailboxPlanOf(m) == plan);

        IEnumerable<Mailbox> mailboxes;
        if (p.GetString("Identity", CmdletSupport.MailboxIdType) is { } identity)
        {
            var mailbox = softDeleted ? SoftDeleted(context, identity)
                : groupMailboxes ? MailboxLookup.ResolveGroupMailbox(context.Tenant, identity)
                : MailboxLookup.Resolve(context.Tenant, identity);
            if (!Keep(mailbox))
            {
                throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
            }

            mailboxes = mailbox.Ordinal >= context.Continuation.NextOrdinal ? [mailbox] : [];
        }
        else
        {
            var filter = p.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "Mailbox") : null;
            var anr = p.GetString("Anr", "System.String");
            var from = context.Continuation.NextOrdinal;
            mailboxes = Listed(context, softDeleted, groupMailboxes, withGroups, from)
                .Where(Keep)
                .Where(m => anr is null || new[] { m.Name, m.Alias, m.DisplayName, m.PrimarySmtpAddress }.Any(n => n.StartsWith(anr, StringComparison.OrdinalIgnoreCase)))
                .Where(m => filter is null || filter.Matches(name => MailboxProperties.Get(name)(m).ToObject()));
            if (p.GetString("SortBy", "System.String") is { Length: > 0 } sortBy)
            {
                // Sorting needs the whole list; the continuation then counts positions in the sorted order.
                var read = MailboxProperties.Get(sortBy.TrimStart('-', '+'));
                var sorted = Listed(context, softDeleted, groupMailboxes, withGroups, 0).Where(Keep)
                    .OrderBy(m => read(m).ToObject()?.ToString(), StringComparer.OrdinalIgnoreCase).ToArray();
                var output = sorted.Select((m, i) => (ICmdletOutput)new MailboxOutput(m, propertySets.AllProperties, i)).Where(o => o.Ordinal >= from);
                return CmdletResult.Limited(output, resultSize, context.Continuation.Returned);
            }
        }

        return CmdletResult.Limited(mailboxes.Select(m => new MailboxOutput(m, propertySets.AllProperties)), resultSize, context.Continuation.Returned);
    }

    /// <summary>The list a call reads: soft-deleted mailboxes, only groups' mailboxes, or the tenant's with groups' ones when asked for by type.</summary>
    private static IEnumerable<Mailbox> Listed(CmdletContext context, bool softDeleted, bool groupMailboxes, bool withGroups, int from) =>
        softDeleted ? context.Tenant.Mailboxes.SoftDeleted(from)
        : groupMailboxes ? context.Tenant.GroupMailboxes.Where(g => g.Ordinal >= from)
        : withGroups ? context.Tenant.Mailboxes.From(from).Concat(context.Tenant.GroupMailboxes.Where(g => g.Ordinal >= from))
        : context.Tenant.Mailboxes.From(from);

    private static Mailbox SoftDeleted(CmdletContext context, string identity)
    {
        var matches = context.Tenant.Mailboxes.FindSoftDeleted(identity);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant)),
            _ => throw new ExchangeErrorException(ExchangeErrors.AmbiguousIdentity(identity, matches)),
        };
    }
}
