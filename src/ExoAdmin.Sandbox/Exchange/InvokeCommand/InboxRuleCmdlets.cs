using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Inbox rules by identity: "mailbox\rule name" or "mailbox\priority", or the rule's name with -Mailbox; the
/// mailbox's rules are those derived from its activity until an admin changes them (<see cref="TenantState.InboxRules"/>).
/// </summary>
internal static class InboxRules
{
    private const string RuleIdType = "Microsoft.Exchange.Management.Tasks.InboxRuleIdParameter";

    public static Mailbox MailboxOf(CmdletContext context)
    {
        if (context.Parameters.Has("Mailbox"))
        {
            return CmdletSupport.Mailbox(context, "Mailbox");
        }

        var identity = context.Parameters.GetString("Identity", RuleIdType) ?? throw new ExchangeErrorException(ExchangeErrors.MissingMandatoryParameters(["Mailbox"]));
        var slash = identity.LastIndexOf('\\');
        return slash > 0
            ? MailboxLookup.Resolve(context.Tenant, identity[..slash])
            : throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
    }

    public static (Mailbox Mailbox, InboxRule Rule) Resolve(CmdletContext context)
    {
        var mailbox = MailboxOf(context);
        var identity = context.Parameters.GetString("Identity", RuleIdType)!;
        var name = identity[(identity.LastIndexOf('\\') + 1)..];
        var rule = context.Tenant.State.InboxRules(mailbox).FirstOrDefault(r => Names(r, name))
            ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
        return (mailbox, rule);
    }

    public static bool Names(InboxRule rule, string name) =>
        rule.Name.Equals(name, StringComparison.OrdinalIgnoreCase) || rule.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture) == name;

    /// <summary>The rules with one replaced (or added, or removed when null), renumbered 1, 2, 3… in priority order.</summary>
    public static IReadOnlyList<InboxRule> With(IReadOnlyList<InboxRule> rules, InboxRule? old, InboxRule? updated)
    {
        var list = rules.Where(r => !ReferenceEquals(r, old)).OrderBy(r => r.Priority).ToList();
        if (updated is not null)
        {
            list.Insert(Math.Clamp(updated.Priority - 1, 0, list.Count), updated);
        }

        return list.Select((r, i) => r with { Priority = i + 1 }).ToArray();
    }
}

/// <summary>Get-InboxRule [-Mailbox] [-Identity] [-ResultSize].</summary>
internal sealed class GetInboxRuleCmdlet : IReadCmdlet
{
    public string Name => "Get-InboxRule";

    public CmdletResult Invoke(CmdletContext context)
    {
        if (context.Parameters.Has("Identity"))
        {
            var (mailbox, rule) = InboxRules.Resolve(context);
            return CmdletResult.Of([ObjectShapes.InboxRule(mailbox, rule)]);
        }

        var owner = InboxRules.MailboxOf(context);
        var output = context.Tenant.State.InboxRules(owner).Select(r => ObjectShapes.InboxRule(owner, r)).FromContinuation(context);
        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>New-InboxRule -Mailbox -Name [-Priority] and any conditions and actions (stored); returns the rule.</summary>
internal sealed class NewInboxRuleCmdlet : IChangeCmdlet
{
    public string Name => "New-InboxRule";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledSet(context, "Identity");
        var mailbox = InboxRules.MailboxOf(context);
        var name = context.Parameters.GetString("Name", "System.String")!;
        if (context.Tenant.State.InboxRules(mailbox).Any(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ExchangeErrorException(ExchangeErrors.NameInUse(name));
        }

        return new PlannedChange(Confirmations.Of(context, $"{mailbox.Name}\\{name}", "Mailbox", "Name"), () =>
        {
            InboxRule? created = null;
            context.Tenant.State.ChangeInboxRules(mailbox, rules =>
            {
                var priority = context.Parameters.GetString("Priority", "System.Int32") is { } given ? int.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : rules.Count + 1;
                var rule = new InboxRule(priority, name, Enabled: true, string.Empty, null, null, null)
                    { Stored = ParameterStore.Apply(StoredProperties.Empty, context.Parameters, null, _ => PropertyValue.Null, "Mailbox", "Name", "Priority") };
                var renumbered = InboxRules.With(rules, null, rule);
                created = renumbered.First(r => r.Name == name);
                return renumbered;
            });
            return CmdletResult.Of([ObjectShapes.InboxRule(mailbox, created!)]);
        });
    }
}

/// <summary>Set-InboxRule -Identity: -Name and -Priority applied, every condition and action stored.</summary>
internal sealed class SetInboxRuleCmdlet : IChangeCmdlet
{
    public string Name => "Set-InboxRule";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var (mailbox, rule) = InboxRules.Resolve(context);
        return new PlannedChange(Confirmations.Of(context, $"{mailbox.Name}\\{rule.Name}", "Mailbox"), () =>
        {
            context.Tenant.State.ChangeInboxRules(mailbox, rules =>
            {
                var current = rules.First(r => r.Name == rule.Name);
                var updated = current with
                {
                    Name = p.GetString("Name", "System.String") ?? current.Name,
                    Priority = p.GetString("Priority", "System.Int32") is { } priority ? int.Parse(priority, System.Globalization.CultureInfo.InvariantCulture) : current.Priority,
                    Stored = ParameterStore.Apply(current.Stored, p, null, n => ObjectShapes.InboxRule(mailbox, current).ValueOf(n), "Mailbox", "Name", "Priority"),
                };
                return InboxRules.With(rules, current, updated);
            });
            return CmdletResult.Of([]);
        });
    }
}

/// <summary>Remove-, Enable- and Disable-InboxRule -Identity [-Mailbox].</summary>
internal sealed class InboxRuleStateCmdlet(string name, bool? enable) : IChangeCmdlet
{
    public string Name { get; } = name;

    public PlannedChange Plan(CmdletContext context)
    {
        var (mailbox, rule) = InboxRules.Resolve(context);
        return new PlannedChange(Confirmations.Of(context, $"{mailbox.Name}\\{rule.Name}", "Mailbox"), () =>
        {
            context.Tenant.State.ChangeInboxRules(mailbox, rules =>
            {
                var current = rules.First(r => r.Name == rule.Name);
                return InboxRules.With(rules, current, enable is { } enabled ? current with { Enabled = enabled } : null);
            });
            return CmdletResult.Of([]);
        });
    }
}
