using System.Text.Json;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Retention policies by name or GUID, and how Security &amp; Compliance shows them.</summary>
internal static class RetentionPolicies
{
    public static RetentionCompliancePolicy? Find(SandboxTenant tenant, string identity) =>
        tenant.State.RetentionPolicies.FirstOrDefault(p => p.Name.Equals(identity, StringComparison.OrdinalIgnoreCase) || p.Guid.ToString().Equals(identity, StringComparison.OrdinalIgnoreCase));

    public static RetentionCompliancePolicy Resolve(CmdletContext context)
    {
        var identity = context.Parameters.GetString("Identity", "Microsoft.Office.CompliancePolicy.Tasks.PolicyIdParameter")!;
        return Find(context.Tenant, identity) ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
    }

    public static PropertyBag Shape(RetentionCompliancePolicy policy, bool withDetail) =>
        new PropertyBag(policy.Ordinal)
            .Add("Name", policy.Name)
            .Add("Identity", policy.Guid)
            .Add("Guid", policy.Guid)
            .Add("Enabled", policy.Enabled)
            .Add("Mode", "Enforce")
            .Add("Workload", policy.Workload)
            .Add("ExchangeLocation", policy.ExchangeLocation)
            .Add("SharePointLocation", policy.SharePointLocation)
            .Add("TeamsChatLocation", policy.Workload == "Teams" ? ["All"] : Array.Empty<string>())
            .Add("Comment", policy.Comment)
            .Add("DistributionStatus", "Success")
            .Add("DistributionResults", withDetail ? ["Exchange: Success"] : Array.Empty<string>())
            .Add("WhenCreatedUTC", MailboxProperties.UtcTime(policy.WhenCreatedUtc))
            .Overlay(policy.Stored);

    /// <summary>
    /// Set-RetentionCompliancePolicy's Add&lt;Location&gt; and Remove&lt;Location&gt; parameters change the &lt;Location&gt;
    /// list; every other parameter is stored as given.
    /// </summary>
    public static StoredProperties Apply(RetentionCompliancePolicy policy, CmdletParameters parameters, params string[] handled)
    {
        var stored = ParameterStore.Apply(policy.Stored, parameters, null, name => Current(policy, name),
            [.. handled, .. parameters.Bound.Select(b => b.Parameter.Name).Where(IsListEdit)]);
        foreach (var (parameter, value) in parameters.Bound.Where(b => IsListEdit(b.Parameter.Name)))
        {
            var add = parameter.Name.StartsWith("Add", StringComparison.Ordinal);
            var target = parameter.Name[(add ? 3 : 6)..];
            var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(i => i.ToString()).ToArray() : [value.ToString()];
            var list = (Current(policy with { Stored = stored }, target).ToObject() as string[] ?? []).ToList();
            if (add)
            {
                list.AddRange(items.Where(i => !list.Contains(i, StringComparer.OrdinalIgnoreCase)));
            }
            else
            {
                list.RemoveAll(i => items.Contains(i, StringComparer.OrdinalIgnoreCase));
            }

            stored = stored.With(target, list.ToArray());
        }

        return stored;
    }

    private static bool IsListEdit(string name) =>
        (name.StartsWith("Add", StringComparison.Ordinal) || name.StartsWith("Remove", StringComparison.Ordinal)) && name.Contains("Location", StringComparison.Ordinal);

    private static PropertyValue Current(RetentionCompliancePolicy policy, string name) => Shape(policy, false).ValueOf(name);
}

/// <summary>Get-RetentionCompliancePolicy (Security &amp; Compliance) [-Identity] [-ExcludeTeamsPolicy] [-TeamsPolicyOnly] [-DistributionDetail].</summary>
internal sealed class GetRetentionCompliancePolicyCmdlet : IReadCmdlet
{
    public string Name => "Get-RetentionCompliancePolicy";

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var identity = p.GetString("Identity", "Microsoft.Office.CompliancePolicy.Tasks.PolicyIdParameter");
        var policies = identity is null ? context.Tenant.State.RetentionPolicies : [RetentionPolicies.Resolve(context)];
        var excludeTeams = p.GetBool("ExcludeTeamsPolicy") ?? false;
        var teamsOnly = p.GetBool("TeamsPolicyOnly") ?? false;
        var withDetail = p.GetBool("DistributionDetail") ?? false;
        var output = policies
            .Where(policy => !(excludeTeams && policy.Workload == "Teams") && !(teamsOnly && policy.Workload != "Teams"))
            .Select(policy => RetentionPolicies.Shape(policy, withDetail))
            .FromContinuation(context);
        return CmdletResult.Of(output);
    }
}

/// <summary>New-RetentionCompliancePolicy -Name and its locations (stored); the workload follows the locations given.</summary>
internal sealed class NewRetentionCompliancePolicyCmdlet : IChangeCmdlet
{
    public string Name => "New-RetentionCompliancePolicy";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var name = p.GetString("Name", "System.String")!;
        if (RetentionPolicies.Find(context.Tenant, name) is not null)
        {
            throw new ExchangeErrorException(ExchangeErrors.NameInUse(name));
        }

        var exchange = p.GetStrings("ExchangeLocation", "Microsoft.Exchange.Data.MultiValuedProperty").ToArray();
        var sharePoint = p.GetStrings("SharePointLocation", "Microsoft.Exchange.Data.MultiValuedProperty").ToArray();
        var workloads = new[] { (exchange.Length > 0, "Exchange"), (sharePoint.Length > 0, "SharePoint"), (p.Has("OneDriveLocation"), "OneDriveForBusiness"),
            (p.Has("TeamsChatLocation") || p.Has("TeamsChannelLocation"), "Teams"), (p.Has("ModernGroupLocation"), "ModernGroup") };
        var workload = string.Join(", ", workloads.Where(w => w.Item1).Select(w => w.Item2));
        return new PlannedChange(Confirmations.Of(context, name, "Name"), () =>
        {
            var policy = context.Tenant.State.AddRetentionPolicy(ordinal =>
            {
                var created = new RetentionCompliancePolicy(ordinal, name, NameBasedGuid.Create($"retention-policy:{context.Tenant.Domain}:{name}"), workload, exchange, sharePoint,
                    p.GetString("Comment", "System.String") ?? string.Empty, DateTime.UtcNow) { Enabled = p.GetBool("Enabled") ?? true };
                return created with { Stored = RetentionPolicies.Apply(created, p, "Name", "ExchangeLocation", "SharePointLocation", "Comment", "Enabled") };
            });
            return CmdletResult.Of([RetentionPolicies.Shape(policy, false)]);
        });
    }
}

/// <summary>Set-RetentionCompliancePolicy -Identity: -Enabled and -Comment applied, location edits and the rest stored.</summary>
internal sealed class SetRetentionCompliancePolicyCmdlet : IChangeCmdlet
{
    public string Name => "Set-RetentionCompliancePolicy";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var policy = RetentionPolicies.Resolve(context);
        return new PlannedChange(Confirmations.Of(context, policy.Name), () =>
        {
            context.Tenant.State.UpdateRetentionPolicy(policy.Ordinal, current => current with
            {
                Enabled = p.GetBool("Enabled") ?? current.Enabled,
                Comment = p.GetString("Comment", "System.String") ?? current.Comment,
                Stored = RetentionPolicies.Apply(current, p, "Enabled", "Comment"),
            });
            return CmdletResult.Of([]);
        });
    }
}

/// <summary>Remove-RetentionCompliancePolicy -Identity.</summary>
internal sealed class RemoveRetentionCompliancePolicyCmdlet : IChangeCmdlet
{
    public string Name => "Remove-RetentionCompliancePolicy";

    public PlannedChange Plan(CmdletContext context)
    {
        var policy = RetentionPolicies.Resolve(context);
        return new PlannedChange(Confirmations.Of(context, policy.Name), () =>
        {
            context.Tenant.State.UpdateRetentionPolicy(policy.Ordinal, current => current with { Removed = true });
            return CmdletResult.Of([]);
        });
    }
}
