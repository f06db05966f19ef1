using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Identity parameters shared by the classic cmdlets, resolved as Exchange resolves them.</summary>
internal static class CmdletSupport
{
    public const string MailboxIdType = "Microsoft.Exchange.Configuration.Tasks.MailboxIdParameter";
    public const string RecipientIdType = "Microsoft.Exchange.Configuration.Tasks.RecipientIdParameter";
    public const string SecurityPrincipalType = "Microsoft.Exchange.Configuration.Tasks.SecurityPrincipalIdParameter";

    /// <summary>The mailbox a mandatory identity parameter names (404 / 400 when none or several).</summary>
    public static Mailbox Mailbox(CmdletContext context, string parameter = "Identity", string typeName = MailboxIdType) =>
        MailboxLookup.Resolve(context.Tenant,
            context.Parameters.GetString(parameter, typeName)
            ?? throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The parameter '{parameter}' is mandatory.")));

    /// <summary>A trustee (-User, -Trustee) as permissions record it: a mailbox's UPN.</summary>
    public static string Trustee(CmdletContext context, string parameter) =>
        Mailbox(context, parameter, SecurityPrincipalType).UserPrincipalName;

    /// <summary>
    /// Refuses a call in a parameter set the cmdlet's class does not model (Add-MailboxPermission -Owner…): the
    /// change would otherwise succeed without doing what was asked.
    /// </summary>
    public static void RequireModelledSet(CmdletContext context, params string[] modelled)
    {
        var parameters = context.Parameters;
        if (parameters.Cmdlet.HasSeveralSets && !modelled.Contains(parameters.ParameterSetName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ExchangeErrorException(ExchangeErrors.NotModelled($"{parameters.Cmdlet.Name} (parameter set {parameters.ParameterSetName})"));
        }
    }

    /// <summary>
    /// Refuses a value parameter the cmdlet's class neither applies nor stores (switches only modify how a change is
    /// made): a change must never succeed while ignoring part of what it was asked.
    /// </summary>
    public static void RequireModelledParameters(CmdletContext context, params string[] modelled)
    {
        var ignored = context.Parameters.Bound.Select(b => b.Parameter)
            .FirstOrDefault(p => !p.IsSwitch && !p.Name.Equals("Identity", StringComparison.OrdinalIgnoreCase) && !modelled.Contains(p.Name, StringComparer.OrdinalIgnoreCase));
        if (ignored is not null)
        {
            throw new ExchangeErrorException(ExchangeErrors.NotModelled($"{context.Parameters.Cmdlet.Name} -{ignored.Name}"));
        }
    }

    /// <summary>The alias Exchange makes of a new recipient's name: its letters and digits, lower case.</summary>
    public static string AliasOf(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();

    /// <summary>Refuses a new recipient whose name, alias or address another recipient (mailbox, mail user, group) has.</summary>
    public static void RequireUnusedNames(SandboxTenant tenant, params string[] names)
    {
        foreach (var name in names)
        {
            if (tenant.Mailboxes.Find(name).Count > 0 || MailUsers.Find(tenant, name).Count > 0 || tenant.State.FindGroups(name).Count > 0)
            {
                throw new ExchangeErrorException(ExchangeErrors.NameInUse(name));
            }
        }
    }

    /// <summary>Skips what earlier pages already returned.</summary>
    public static IEnumerable<T> FromContinuation<T>(this IEnumerable<T> output, CmdletContext context)
        where T : ICmdletOutput =>
        output.Where(o => o.Ordinal >= context.Continuation.NextOrdinal);

    public static string NoChangeWarning(string identity) =>
        $"The command completed successfully but no settings of '{identity}' have been modified.";
}
