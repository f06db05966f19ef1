using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-Recipient [-Identity] [-Anr] [-RecipientTypeDetails] [-Filter] [-ResultSize]: mailboxes, then distribution groups, then mail users.</summary>
internal sealed class GetRecipientCmdlet : IReadCmdlet
{
    public string Name => "Get-Recipient";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var types = p.GetStrings("RecipientTypeDetails", "Microsoft.Exchange.Data.Directory.Recipient.RecipientTypeDetails[]")
            .SelectMany(t => t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        IEnumerable<PropertyBag> output;
        if (p.GetString("Identity", CmdletSupport.RecipientIdType) is { } identity)
        {
            output = [MailboxLookup.ResolveRecipient(
                context.Tenant, identity, g => ObjectShapes.DistributionGroup(context.Tenant.Tenant, g), m => ObjectShapes.Recipient(m, 0), u => MailUsers.Shape(u, 0))];
        }
        else
        {
            var filter = p.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "Recipient") : null;
            var anr = p.GetString("Anr", "System.String");
            var from = context.Continuation.NextOrdinal;
            output = MailboxLookup.Recipients(
                    context.Tenant, from, ObjectShapes.Recipient, (g, ordinal) => ObjectShapes.DistributionGroup(context.Tenant.Tenant, g).WithOrdinal(ordinal), MailUsers.Shape)
                .Where(r => types.Count == 0 || types.Contains((string)r.Get("RecipientTypeDetails")!))
                .Where(r => anr is null || new[] { "Name", "Alias", "DisplayName", "PrimarySmtpAddress" }.Any(n => r.Get(n) is string s && s.StartsWith(anr, StringComparison.OrdinalIgnoreCase)))
                .Where(r => filter is null || filter.Matches(r.Get));
        }

        return CmdletResult.Limited(output, p.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>
/// Get-User: the account side of each mailbox (every property of the schema's User type, read as the mailbox
/// reads it, so what Set-User stored shows), then the mail users.
/// </summary>
internal sealed class GetUserCmdlet : IReadCmdlet
{
    public static readonly EdmStructuredType SchemaType = EdmSchema.Instance.GetType("User");

    public string Name => "Get-User";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        IEnumerable<PropertyBag> output;
        if (p.GetString("Identity", "Microsoft.Exchange.Configuration.Tasks.UserIdParameter") is { } identity)
        {
            output = MailUsers.Find(context.Tenant, identity) is [var user] ? [MailUsers.Shape(user, 0)] : [Shape(MailboxLookup.Resolve(context.Tenant, identity), 0)];
        }
        else
        {
            var from = context.Continuation.NextOrdinal;
            output = context.Tenant.Mailboxes.From(from).Select(m => Shape(m, m.Ordinal))
                .Concat(context.Tenant.State.MailUsers.Select(u => MailUsers.Shape(u, MailUsers.RecipientOrdinalOffset + u.Ordinal)).Where(u => u.Ordinal >= from));
        }

        return CmdletResult.Limited(output, p.GetResultSize(), context.Continuation.Returned);
    }

    public static PropertyBag Shape(Mailbox m, int ordinal)
    {
        var bag = new PropertyBag(ordinal);
        foreach (var property in SchemaType.Properties)
        {
            bag.Add(property.Name, property.Name switch
            {
                "RecipientType" => "UserMailbox",
                var name => MailboxProperties.Get(name)(m),
            });
        }

        return bag;
    }
}

/// <summary>Set-User: -DisplayName applied to the mailbox, every other parameter stored as the User property of its name.</summary>
internal sealed class SetUserCmdlet : IChangeCmdlet
{
    public string Name => "Set-User";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var identity = p.GetString("Identity", "Microsoft.Exchange.Configuration.Tasks.UserIdParameter")!;
        if (MailUsers.Find(context.Tenant, identity) is [var user])
        {
            return new PlannedChange(Confirmations.Of(context, user.Name), () =>
            {
                context.Tenant.State.UpdateMailUser(user.Ordinal, u => u with { Stored = ParameterStore.Apply(u.Stored, p, GetUserCmdlet.SchemaType, n => MailUsers.Current(u, n)) });
                return CmdletResult.Of([]);
            });
        }

        var mailbox = MailboxLookup.Resolve(context.Tenant, identity);
        Mailbox Change(Mailbox m)
        {
            m = p.GetString("DisplayName", "System.String") is { Length: > 0 } display ? m with { DisplayName = display } : m;
            return m with { Stored = ParameterStore.Apply(m.Stored, p, GetUserCmdlet.SchemaType, name => MailboxProperties.Get(name)(m), "DisplayName") };
        }

        _ = Change(mailbox);
        return new PlannedChange(Confirmations.Of(context, mailbox.Name), () =>
        {
            context.Tenant.State.UpdateMailbox(mailbox.Ordinal, Change);
            return CmdletResult.Of([]);
        });
    }
}
