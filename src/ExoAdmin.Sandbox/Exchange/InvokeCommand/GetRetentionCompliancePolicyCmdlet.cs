using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Get-RetentionCompliancePolicy (Security &amp; Compliance): the tenant's retention policies, three per tenant,
/// derived from the tenant so they are the same on every run. -Identity matches the name or the GUID.
/// </summary>
internal sealed class GetRetentionCompliancePolicyCmdlet : ICmdlet
{
    private static readonly (string Name, string Workload, string[] Exchange, string[] SharePoint, string Comment)[] Policies =
    [
        ("Default Mailbox Retention", "Exchange", ["All"], [], "Keeps mailbox content for seven years."),
        ("Finance Records", "Exchange, SharePoint, OneDriveForBusiness", ["All"], ["All"], "Financial records: ten years, then delete."),
        ("Teams Chat 1 Year", "Teams", [], [], "Teams chats are deleted after one year."),
    ];

    public string Name => "Get-RetentionCompliancePolicy";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity", "DistributionDetail", "ExcludeTeamsPolicy", "RetentionRuleTypes"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var tenant = context.Tenant.Tenant;
        var identity = context.Parameters.GetString("Identity", "Microsoft.Office.CompliancePolicy.Tasks.PolicyIdParameter");
        var excludeTeams = context.Parameters.GetBool("ExcludeTeamsPolicy") ?? false;
        var withDetail = context.Parameters.GetBool("DistributionDetail") ?? false;

        var output = new List<ICmdletOutput>();
        for (var i = 0; i < Policies.Length; i++)
        {
            var policy = Policies[i];
            var guid = NameBasedGuid.Create($"retention-policy:{tenant.Domain}:{policy.Name}");
            if (excludeTeams && policy.Workload == "Teams")
            {
                continue;
            }

            if (identity is not null && !identity.Equals(policy.Name, StringComparison.OrdinalIgnoreCase) && !identity.Equals(guid.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            output.Add(new PropertyBag(i)
                .Add("Name", policy.Name)
                .Add("Identity", guid)
                .Add("Guid", guid)
                .Add("Enabled", true)
                .Add("Mode", "Enforce")
                .Add("Workload", policy.Workload)
                .Add("ExchangeLocation", policy.Exchange)
                .Add("SharePointLocation", policy.SharePoint)
                .Add("TeamsChatLocation", policy.Workload == "Teams" ? ["All"] : Array.Empty<string>())
                .Add("Comment", policy.Comment)
                .Add("DistributionStatus", "Success")
                .Add("DistributionResults", withDetail ? ["Exchange: Success"] : Array.Empty<string>())
                .Add("WhenCreatedUTC", "2024-02-01T09:30:00Z"));
        }

        if (identity is not null && output.Count == 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, tenant));
        }

        return CmdletResult.Of(output);
    }
}
