using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-DistributionGroup [-Identity] [-Filter] [-ResultSize].</summary>
internal sealed class GetDistributionGroupCmdlet : ICmdlet
{
    /// <summary>
    /// The group properties -Filter accepts: those of the output shape that Exchange lists as filterable for
    /// distribution groups. The schema has no DistributionGroup type (Get-DistributionGroup is classic-only).
    /// </summary>
    internal static readonly EdmStructuredType Filterable = new("DistributionGroup",
    [
        EdmProperty.Parse("Alias", "Edm.String"), EdmProperty.Parse("DisplayName", "Edm.String"), EdmProperty.Parse("Name", "Edm.String"),
        EdmProperty.Parse("PrimarySmtpAddress", "Edm.String"), EdmProperty.Parse("EmailAddresses", "Collection(Edm.String)"),
        EdmProperty.Parse("GroupType", "Edm.String"), EdmProperty.Parse("RecipientType", "Edm.String"),
        EdmProperty.Parse("RecipientTypeDetails", "Edm.String"), EdmProperty.Parse("ManagedBy", "Collection(Edm.String)"),
        EdmProperty.Parse("MemberJoinRestriction", "Edm.String"), EdmProperty.Parse("MemberDepartRestriction", "Edm.String"),
        EdmProperty.Parse("ExternalDirectoryObjectId", "Edm.String"), EdmProperty.Parse("DistinguishedName", "Edm.String"),
    ]);

    public string Name => "Get-DistributionGroup";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "ResultSize", "Filter"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var filter = context.Parameters.GetString("Filter", "System.String") is { Length: > 0 } opath ? OpathFilter.Parse(opath, Filterable) : null;
        var groups = context.Parameters.Has("Identity") ? [GroupCmdletSupport.Group(context)] : context.Tenant.State.Groups;
        var output = groups.Select(g => ObjectShapes.DistributionGroup(context.Tenant.Tenant, g))
            .Where(bag => filter is null || filter.Matches(bag.Get))
            .FromContinuation(context);
        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Get-DistributionGroupMember -Identity [-ResultSize]: the members in the order they joined.</summary>
internal sealed class GetDistributionGroupMemberCmdlet : ICmdlet
{
    public string Name => "Get-DistributionGroupMember";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "ResultSize"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var output = group.Members.Select((ordinal, i) => ObjectShapes.Recipient(context.Tenant.Mailboxes[ordinal], i)).FromContinuation(context);
        return CmdletResult.Limited(output, context.Parameters.GetResultSize(), context.Continuation.Returned);
    }
}

/// <summary>Add-DistributionGroupMember -Identity -Member: an existing member is an error, as in Exchange.</summary>
internal sealed class AddDistributionGroupMemberCmdlet : ICmdlet
{
    public string Name => "Add-DistributionGroupMember";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "Member", "BypassSecurityGroupManagerCheck", "Confirm"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var member = CmdletSupport.Mailbox(context, "Member", CmdletSupport.RecipientIdType);
        return context.Tenant.State.SetMembership(group.Ordinal, member.Ordinal, member: true)
            ? CmdletResult.Of([])
            : throw new ExchangeErrorException(ExchangeErrors.MemberAlreadyExists(member.Name, group.Name));
    }
}

/// <summary>Remove-DistributionGroupMember -Identity -Member.</summary>
internal sealed class RemoveDistributionGroupMemberCmdlet : ICmdlet
{
    public string Name => "Remove-DistributionGroupMember";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "Member", "BypassSecurityGroupManagerCheck", "Confirm"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        var member = CmdletSupport.Mailbox(context, "Member", CmdletSupport.RecipientIdType);
        return context.Tenant.State.SetMembership(group.Ordinal, member.Ordinal, member: false)
            ? CmdletResult.Of([])
            : throw new ExchangeErrorException(ExchangeErrors.MemberNotFound(member.Name, group.Name));
    }
}

internal static class GroupCmdletSupport
{
    public static DistributionGroup Group(CmdletContext context)
    {
        var identity = context.Parameters.GetString("Identity", "Microsoft.Exchange.Configuration.Tasks.DistributionGroupIdParameter")
            ?? throw new ExchangeErrorException(ExchangeErrors.BadRequest("The parameter 'Identity' is mandatory."));
        var matches = context.Tenant.State.FindGroups(identity);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant)),
            _ => throw new ExchangeErrorException(ExchangeErrors.BadRequest($"'{identity}' matches several groups.")),
        };
    }
}
