using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-MailboxPermission: SELF first, then the grants; -User narrows to one trustee.</summary>
internal sealed class GetMailboxPermissionCmdlet : IReadCmdlet
{
    public string Name => "Get-MailboxPermission";

    public CmdletResult Invoke(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context);
        var user = context.Parameters.Has("User") ? CmdletSupport.Trustee(context, "User") : null;
        var output = ObjectShapes.MailboxPermissionEntries(context.Tenant, mailbox, user)
            .Select((e, i) => ObjectShapes.MailboxPermission(mailbox, i, e.User, e.Rights, e.Deny, e.Inheritance))
            .ToArray();
        return CmdletResult.Limited(output.FromContinuation(context), context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Add-MailboxPermission -User -AccessRights [-AutoMapping] [-Deny] [-InheritanceType]: returns the entry.</summary>
internal sealed class AddMailboxPermissionCmdlet : IChangeCmdlet
{
    public static readonly string[] Rights = ["ChangeOwner", "ChangePermission", "DeleteItem", "ExternalAccount", "FullAccess", "ReadPermission"];
    public static readonly string[] InheritanceTypes = ["None", "All", "Descendents", "SelfAndChildren", "Children"];
    public const string RightsType = "Microsoft.Exchange.Management.RecipientTasks.MailboxRights[]";

    public string Name => "Add-MailboxPermission";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledSet(context, "AccessRights");
        CmdletSupport.RequireModelledParameters(context, "User", "AccessRights", "AutoMapping", "InheritanceType");
        var mailbox = CmdletSupport.Mailbox(context);
        var user = CmdletSupport.Trustee(context, "User");
        var rights = ReadRights(context);
        var inheritance = context.Parameters.GetEnum("InheritanceType", "System.DirectoryServices.ActiveDirectorySecurityInheritance", InheritanceTypes) ?? "All";
        var deny = context.Parameters.GetBool("Deny") ?? false;
        var message = $"Adding mailbox permission \"{string.Join(", ", rights)}\" for user \"{user}\" on mailbox \"{mailbox.Name}\".";
        return new PlannedChange(message, () =>
        {
            var changed = context.Tenant.State.AddMailboxPermission(
                new MailboxPermissionGrant(mailbox.Ordinal, user, rights, deny, inheritance, context.Parameters.GetBool("AutoMapping") ?? true));
            var entry = context.Tenant.State.MailboxPermissions(mailbox.Ordinal).First(p => string.Equals(p.User, user, StringComparison.OrdinalIgnoreCase) && p.Deny == deny);
            var output = ObjectShapes.MailboxPermission(mailbox, 0, entry.User, entry.AccessRights, entry.Deny, entry.InheritanceType);
            return changed ? CmdletResult.Of([output]) : CmdletResult.Of([output], CmdletSupport.NoChangeWarning(mailbox.Name));
        });
    }

    public static string[] ReadRights(CmdletContext context) =>
        context.Parameters.GetStrings("AccessRights", RightsType)
            .SelectMany(g => g.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(g => Rights.FirstOrDefault(r => r.Equals(g, StringComparison.OrdinalIgnoreCase))
                ?? throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue("AccessRights", g, RightsType)))
            .Distinct().ToArray();
}

/// <summary>Remove-MailboxPermission -User -AccessRights [-Deny]: no output; removing what is not there is a warning.</summary>
internal sealed class RemoveMailboxPermissionCmdlet : IChangeCmdlet
{
    public string Name => "Remove-MailboxPermission";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledSet(context, "AccessRights");
        CmdletSupport.RequireModelledParameters(context, "User", "AccessRights", "InheritanceType");
        var mailbox = CmdletSupport.Mailbox(context);
        var user = CmdletSupport.Trustee(context, "User");
        var rights = AddMailboxPermissionCmdlet.ReadRights(context);
        var deny = context.Parameters.GetBool("Deny") ?? false;
        var message = $"Removing mailbox permission \"{string.Join(", ", rights)}\" for user \"{user}\" on mailbox \"{mailbox.Name}\".";
        return new PlannedChange(message, () =>
            context.Tenant.State.RemoveMailboxPermission(mailbox.Ordinal, user, rights, deny)
                ? CmdletResult.Of([])
                : CmdletResult.Of([], $"Can't remove the access control entry on the object \"{mailbox.Name}\" for account \"{user}\" because the ACE doesn't exist on the object."));
    }
}
