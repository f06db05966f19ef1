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

    /// <summary>Skips what earlier pages already returned.</summary>
    public static IEnumerable<T> FromContinuation<T>(this IEnumerable<T> output, CmdletContext context)
        where T : ICmdletOutput =>
        output.Where(o => o.Ordinal >= context.Continuation.NextOrdinal);

    public static string NoChangeWarning(string identity) =>
        $"The command completed successfully but no settings of '{identity}' have been modified.";
}
