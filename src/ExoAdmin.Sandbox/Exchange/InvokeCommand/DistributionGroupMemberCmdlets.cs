using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-DistributionGroupMember -Identity [-ResultSize]: the members in the order they joined.</summary>
internal sealed class GetDistributionGroupMemberCmdlet : IReadCmdlet
{
    public string Name => "Get-DistributionGroupMember";

    public CmdletResult Invoke(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var output = group.Members.Select((ordinal, i) => ObjectShapes.Recipient(context.Tenant.Mailboxes[ordinal], i)).FromContinuation(context);
        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Add-DistributionGroupMember -Identity -Member: an existing member is an error, as in Exchange.</summary>
internal sealed class AddDistributionGroupMemberCmdlet : IChangeCmdlet
{
    public string Name => "Add-DistributionGroupMember";

    public PlannedChange Plan(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var member = CmdletSupport.Mailbox(context, "Member", CmdletSupport.RecipientIdType);
        if (group.Members.Contains(member.Ordinal))
        {
            throw new ExchangeErrorException(ExchangeErrors.MemberAlreadyExists(member.Name, group.Name));
        }

        return new PlannedChange($"Adding distribution group member \"{member.Name}\" to distribution group \"{group.Name}\".", () =>
            context.Tenant.State.SetMembership(group.Ordinal, member.Ordinal, member: true)
                ? CmdletResult.Of([])
                : throw new ExchangeErrorException(ExchangeErrors.MemberAlreadyExists(member.Name, group.Name)));
    }
}

/// <summary>Remove-DistributionGroupMember -Identity -Member.</summary>
internal sealed class RemoveDistributionGroupMemberCmdlet : IChangeCmdlet
{
    public string Name => "Remove-DistributionGroupMember";

    public PlannedChange Plan(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var member = CmdletSupport.Mailbox(context, "Member", CmdletSupport.RecipientIdType);
        if (!group.Members.Contains(member.Ordinal))
        {
            throw new ExchangeErrorException(ExchangeErrors.MemberNotFound(member.Name, group.Name));
        }

        return new PlannedChange($"Removing distribution group member \"{member.Name}\" from distribution group \"{group.Name}\".", () =>
            context.Tenant.State.SetMembership(group.Ordinal, member.Ordinal, member: false)
                ? CmdletResult.Of([])
                : throw new ExchangeErrorException(ExchangeErrors.MemberNotFound(member.Name, group.Name)));
    }
}

/// <summary>Update-DistributionGroupMember -Identity -Members: the members become exactly those named.</summary>
internal sealed class UpdateDistributionGroupMemberCmdlet : IChangeCmdlet
{
    public string Name => "Update-DistributionGroupMember";

    public PlannedChange Plan(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var members = GroupCmdletSupport.Members(context, context.Parameters.GetStrings("Members", "Microsoft.Exchange.Data.MultiValuedProperty"));
        return new PlannedChange(Confirmations.Of(context, group.Name), () =>
        {
            context.Tenant.State.UpdateGroup(group.Ordinal, g => g with { Members = members });
            return CmdletResult.Of([]);
        });
    }
}
