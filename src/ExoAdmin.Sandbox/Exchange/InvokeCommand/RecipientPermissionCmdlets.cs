namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-RecipientPermission: SendAs entries of a recipient; -Trustee narrows.</summary>
internal sealed class GetRecipientPermissionCmdlet : IReadCmdlet
{
    public string Name => "Get-RecipientPermission";

    public CmdletResult Invoke(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context, typeName: CmdletSupport.RecipientIdType);
        var trustee = context.Parameters.Has("Trustee") ? CmdletSupport.Trustee(context, "Trustee") : null;
        var output = ObjectShapes.RecipientPermissions(context.Tenant, mailbox, trustee);
        return CmdletResult.Limited(output.FromContinuation(context), context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Add-RecipientPermission -Trustee -AccessRights SendAs: returns the entry.</summary>
internal sealed class AddRecipientPermissionCmdlet : IChangeCmdlet
{
    public string Name => "Add-RecipientPermission";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledParameters(context, "Trustee", "AccessRights");
        var mailbox = CmdletSupport.Mailbox(context, typeName: CmdletSupport.RecipientIdType);
        var trustee = CmdletSupport.Trustee(context, "Trustee");
        RequireSendAs(context);
        return new PlannedChange($"Adding recipient permission 'SendAs' for user or group '{trustee}' on recipient '{mailbox.Name}'.", () =>
        {
            var added = context.Tenant.State.AddRecipientPermission(new Data.RecipientPermissionGrant(mailbox.Ordinal, trustee, "Allow"));
            var output = ObjectShapes.RecipientPermission(mailbox, 0, trustee, "Allow");
            return added ? CmdletResult.Of([output]) : CmdletResult.Of([output], CmdletSupport.NoChangeWarning(mailbox.Name));
        });
    }

    public static void RequireSendAs(CmdletContext context)
    {
        const string type = "Microsoft.Exchange.Management.RecipientTasks.RecipientAccessRight[]";
        var rights = context.Parameters.GetStrings("AccessRights", type);
        if (rights.Count == 0 || rights.Any(r => !r.Equals("SendAs", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue("AccessRights", string.Join(",", rights), type));
        }
    }
}

/// <summary>Remove-RecipientPermission -Trustee -AccessRights SendAs.</summary>
internal sealed class RemoveRecipientPermissionCmdlet : IChangeCmdlet
{
    public string Name => "Remove-RecipientPermission";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledParameters(context, "Trustee", "AccessRights");
        var mailbox = CmdletSupport.Mailbox(context, typeName: CmdletSupport.RecipientIdType);
        var trustee = CmdletSupport.Trustee(context, "Trustee");
        AddRecipientPermissionCmdlet.RequireSendAs(context);
        return new PlannedChange($"Removing recipient permission 'SendAs' for user or group '{trustee}' on recipient '{mailbox.Name}'.", () =>
            context.Tenant.State.RemoveRecipientPermission(mailbox.Ordinal, trustee)
                ? CmdletResult.Of([])
                : CmdletResult.Of([], $"Can't remove the access control entry on the object \"{mailbox.Name}\" for account \"{trustee}\" because the ACE doesn't exist on the object."));
    }
}
