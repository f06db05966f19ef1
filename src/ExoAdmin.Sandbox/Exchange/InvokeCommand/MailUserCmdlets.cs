using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;
using ExoAdmin.Sandbox.Identity;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>The mail users an identity names (alias, name, display name, UPN, address or GUID), and how they look.</summary>
internal static class MailUsers
{
    public static readonly EdmStructuredType SchemaType = EdmSchema.Instance.GetType("Recipient");

    /// <summary>Where mail users come in Get-Recipient's order: after every mailbox and group.</summary>
    public const int RecipientOrdinalOffset = 1 << 24;

    public static IReadOnlyList<MailUser> Find(SandboxTenant tenant, string identity)
    {
        identity = identity.Trim();
        return tenant.State.MailUsers.Where(u =>
            new[] { u.Alias, u.Name, u.DisplayName, u.UserPrincipalName, u.PrimarySmtpAddress, u.DistinguishedName }.Contains(identity, StringComparer.OrdinalIgnoreCase)
            || (Guid.TryParse(identity, out var guid) && u.Guid == guid)).ToArray();
    }

    public static MailUser Resolve(CmdletContext context)
    {
        var identity = context.Parameters.GetString("Identity", "Microsoft.Exchange.Configuration.Tasks.MailUserIdParameter")!;
        var matches = Find(context.Tenant, identity);
        return matches.Count == 1 ? matches[0] : throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
    }

    public static PropertyBag Shape(MailUser u, int ordinal) =>
        new PropertyBag(ordinal)
            .Add("Identity", u.Name)
            .Add("Name", u.Name)
            .Add("Alias", u.Alias)
            .Add("DisplayName", u.DisplayName)
            .Add("ExternalEmailAddress", "SMTP:" + u.ExternalEmailAddress)
            .Add("PrimarySmtpAddress", u.PrimarySmtpAddress)
            .Add("UserPrincipalName", u.UserPrincipalName)
            .Add("MicrosoftOnlineServicesID", u.UserPrincipalName)
            .Add("EmailAddresses", new[] { "SMTP:" + u.PrimarySmtpAddress, "smtp:" + u.ExternalEmailAddress })
            .Add("RecipientType", "MailUser")
            .Add("RecipientTypeDetails", "MailUser")
            .Add("Guid", u.Guid)
            .Add("ExternalDirectoryObjectId", u.Guid.ToString())
            .Add("DistinguishedName", u.DistinguishedName)
            .Add("OrganizationalUnit", u.Tenant.OrganizationalUnit)
            .Add("WhenCreated", MailboxProperties.LocalTime(u.WhenCreatedUtc))
            .Add("WhenCreatedUTC", MailboxProperties.UtcTime(u.WhenCreatedUtc))
            .Overlay(u.Stored);

    public static PropertyValue Current(MailUser u, string name) => Shape(u, 0).ValueOf(name);
}

/// <summary>Get-MailUser [-Identity] [-Anr] [-Filter] [-ResultSize].</summary>
internal sealed class GetMailUserCmdlet : IReadCmdlet
{
    public string Name => "Get-MailUser";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        if (p.GetBool("SoftDeletedMailUser") == true || p.GetBool("HVEAccount") == true)
        {
            return CmdletResult.Of([]);
        }

        IEnumerable<MailUser> users = p.Has("Identity") ? [MailUsers.Resolve(context)] : context.Tenant.State.MailUsers;
        var anr = p.GetString("Anr", "System.String");
        var filter = p.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, "Recipient") : null;
        var output = users
            .Where(u => anr is null || new[] { u.Name, u.Alias, u.DisplayName, u.PrimarySmtpAddress }.Any(n => n.StartsWith(anr, StringComparison.OrdinalIgnoreCase)))
            .Select(u => MailUsers.Shape(u, u.Ordinal))
            .Where(bag => filter is null || filter.Matches(bag.Get))
            .FromContinuation(context);
        return CmdletResult.Limited(output, p.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>
/// New-MailUser: a mail user with a sign-in account (its UPN is -MicrosoftOnlineServicesID, or the alias at the
/// tenant's initial domain) whose -Password is the account's password, so the new user can sign in. Every other
/// parameter is stored; the new mail user is the output.
/// </summary>
internal sealed class NewMailUserCmdlet(UserDirectory directory) : IChangeCmdlet
{
    private static readonly string[] Applied = ["Name", "Alias", "DisplayName", "ExternalEmailAddress", "MicrosoftOnlineServicesID", "PrimarySmtpAddress"];

    public string Name => "New-MailUser";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var tenant = context.Tenant.Tenant;
        var name = p.GetString("Name", "System.String")!;
        var alias = p.GetString("Alias", "System.String") is { Length: > 0 } given ? given : CmdletSupport.AliasOf(name);
        var upn = p.GetString("MicrosoftOnlineServicesID", "Microsoft.Exchange.Data.WindowsLiveId") ?? $"{alias}@{tenant.Domain}";
        var external = (p.GetString("ExternalEmailAddress", "Microsoft.Exchange.Data.ProxyAddress") ?? upn) is var address && address.Contains(':') ? address[(address.IndexOf(':') + 1)..] : address;
        CmdletSupport.RequireUnusedNames(context.Tenant, name, alias, upn);
        var password = p.GetSecret("Password");
        return new PlannedChange(Confirmations.Of(context, name, "Name"), () =>
        {
            var user = context.Tenant.State.AddMailUser(ordinal =>
            {
                var created = new MailUser(ordinal, tenant, alias, name, p.GetString("DisplayName", "System.String") ?? name, external, upn,
                    NameBasedGuid.Create($"mail-user:{tenant.Domain}:{upn}"), DateTime.UtcNow);
                return created with { Stored = ParameterStore.Apply(created.Stored, p, MailUsers.SchemaType, n => MailUsers.Current(created, n), Applied) };
            });
            if (password is not null)
            {
                directory.SetPassword(context.Tenant, upn, user.DisplayName, password);
            }

            return CmdletResult.Of([MailUsers.Shape(user, 0)]);
        });
    }
}

/// <summary>Set-MailUser: -DisplayName, -ExternalEmailAddress and -Password applied, every other parameter stored.</summary>
internal sealed class SetMailUserCmdlet(UserDirectory directory) : IChangeCmdlet
{
    private static readonly string[] Applied = ["DisplayName", "ExternalEmailAddress"];

    public string Name => "Set-MailUser";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var user = MailUsers.Resolve(context);
        var password = p.GetSecret("Password");
        MailUser Change(MailUser u)
        {
            u = u with
            {
                DisplayName = p.GetString("DisplayName", "System.String") is { Length: > 0 } display ? display : u.DisplayName,
                ExternalEmailAddress = p.GetString("ExternalEmailAddress", "Microsoft.Exchange.Data.ProxyAddress") is { Length: > 0 } external
                    ? external[(external.IndexOf(':') + 1)..] : u.ExternalEmailAddress,
            };
            return u with { Stored = ParameterStore.Apply(u.Stored, p, MailUsers.SchemaType, n => MailUsers.Current(u, n), Applied) };
        }

        return new PlannedChange(Confirmations.Of(context, user.Name), () =>
        {
            var after = context.Tenant.State.UpdateMailUser(user.Ordinal, Change);
            if (password is not null)
            {
                directory.SetPassword(context.Tenant, after.UserPrincipalName, after.DisplayName, password);
            }

            return CmdletResult.Of([]);
        });
    }
}

/// <summary>Remove-MailUser: the mail user and its sign-in account are gone.</summary>
internal sealed class RemoveMailUserCmdlet(UserDirectory directory) : IChangeCmdlet
{
    public string Name => "Remove-MailUser";

    public PlannedChange Plan(CmdletContext context)
    {
        var user = MailUsers.Resolve(context);
        return new PlannedChange(Confirmations.Of(context, user.Name), () =>
        {
            context.Tenant.State.UpdateMailUser(user.Ordinal, u => u with { Removed = true });
            directory.RemoveUser(user.UserPrincipalName);
            return CmdletResult.Of([]);
        });
    }
}
