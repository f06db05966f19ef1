using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-DistributionGroup [-Identity] [-Filter] [-ResultSize].</summary>
internal sealed class GetDistributionGroupCmdlet : IReadCmdlet
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

/// <summary>
/// New-DistributionGroup -Name [-Alias] [-DisplayName] [-PrimarySmtpAddress] [-ManagedBy] [-Members]: members and
/// owners must resolve; every other parameter (Type, MemberJoinRestriction, Notes…) is stored. Returns the group.
/// </summary>
internal sealed class NewDistributionGroupCmdlet : IChangeCmdlet
{
    private static readonly string[] Applied = ["Name", "Alias", "DisplayName", "PrimarySmtpAddress", "Members"];

    public string Name => "New-DistributionGroup";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var tenant = context.Tenant.Tenant;
        var name = p.GetString("Name", "System.String")!;
        var alias = p.GetString("Alias", "System.String") is { Length: > 0 } given ? given : CmdletSupport.AliasOf(name);
        var address = p.GetString("PrimarySmtpAddress", "Microsoft.Exchange.Data.SmtpAddress") ?? $"{alias}@{tenant.VanityDomain}";
        CmdletSupport.RequireUnusedNames(context.Tenant, name, alias, address);
        var members = GroupCmdletSupport.Members(context, p.GetStrings("Members", "Microsoft.Exchange.Data.MultiValuedProperty"));
        var owners = p.GetStrings("ManagedBy", "Microsoft.Exchange.Data.MultiValuedProperty").Select(o => MailboxLookup.Resolve(context.Tenant, o).Name).ToArray();
        return new PlannedChange(Confirmations.Of(context, name, "Name"), () =>
        {
            var group = context.Tenant.State.AddGroup(ordinal =>
            {
                var created = new DistributionGroup(ordinal, alias, p.GetString("DisplayName", "System.String") ?? name, address,
                    NameBasedGuid.Create($"group:{tenant.Domain}:{alias}"), owners.FirstOrDefault() ?? "admin", members);
                var stored = owners.Length > 0 ? created.Stored.With("ManagedBy", owners) : created.Stored;
                return created with { Stored = ParameterStore.Apply(stored, p, GroupCmdletSupport.SchemaType, n => GroupCmdletSupport.Current(context.Tenant, created, n), [.. Applied, "ManagedBy"]) };
            });
            return CmdletResult.Of([ObjectShapes.DistributionGroup(tenant, group)]);
        });
    }
}

/// <summary>Set-DistributionGroup -Identity: -DisplayName applied, -ManagedBy resolved, every other parameter stored.</summary>
internal sealed class SetDistributionGroupCmdlet : IChangeCmdlet
{
    public string Name => "Set-DistributionGroup";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var group = GroupCmdletSupport.Group(context);
        var owners = p.Has("ManagedBy")
            ? p.GetStrings("ManagedBy", "Microsoft.Exchange.Data.MultiValuedProperty").Select(o => MailboxLookup.Resolve(context.Tenant, o).Name).ToArray()
            : null;
        return new PlannedChange(Confirmations.Of(context, group.Name), () =>
        {
            context.Tenant.State.UpdateGroup(group.Ordinal, g =>
            {
                g = p.GetString("DisplayName", "System.String") is { Length: > 0 } display ? g with { DisplayName = display } : g;
                var stored = owners is null ? g.Stored : g.Stored.With("ManagedBy", owners);
                return g with { Stored = ParameterStore.Apply(stored, p, GroupCmdletSupport.SchemaType, n => GroupCmdletSupport.Current(context.Tenant, g, n), "DisplayName", "ManagedBy") };
            });
            return CmdletResult.Of([]);
        });
    }
}

/// <summary>Remove-DistributionGroup -Identity: the group leaves every list.</summary>
internal sealed class RemoveDistributionGroupCmdlet : IChangeCmdlet
{
    public string Name => "Remove-DistributionGroup";

    public PlannedChange Plan(CmdletContext context)
    {
        var group = GroupCmdletSupport.Group(context);
        return new PlannedChange(Confirmations.Of(context, group.Name), () =>
        {
            context.Tenant.State.UpdateGroup(group.Ordinal, g => g with { Removed = true });
            return CmdletResult.Of([]);
        });
    }
}

internal static class GroupCmdletSupport
{
    /// <summary>The schema type group values are stored as, so Get-EXORecipient reads them with the right Edm types.</summary>
    public static readonly EdmStructuredType SchemaType = EdmSchema.Instance.GetType("Recipient");

    /// <summary>Mailbox ordinals of the members an identity list names (each must resolve to one mailbox).</summary>
    public static int[] Members(CmdletContext context, IEnumerable<string> identities) =>
        identities.Select(i => MailboxLookup.Resolve(context.Tenant, i).Ordinal).Distinct().ToArray();

    public static PropertyValue Current(SandboxTenant tenant, DistributionGroup group, string name) =>
        ObjectShapes.DistributionGroup(tenant.Tenant, group).ValueOf(name);

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
