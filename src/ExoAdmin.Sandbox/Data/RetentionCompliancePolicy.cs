namespace ExoAdmin.Sandbox.Data;

/// <summary>A Security &amp; Compliance retention policy (Get-/New-/Set-/Remove-RetentionCompliancePolicy).</summary>
internal sealed record RetentionCompliancePolicy(int Ordinal, string Name, Guid Guid, string Workload, string[] ExchangeLocation, string[] SharePointLocation, string Comment, DateTime WhenCreatedUtc)
{
    public bool Enabled { get; init; } = true;

    /// <summary>What New- and Set-RetentionCompliancePolicy set beyond the facts above.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;

    public bool Removed { get; init; }

    /// <summary>Every tenant starts with three, the same on every run.</summary>
    public static IEnumerable<RetentionCompliancePolicy> Seed(Tenant tenant)
    {
        var created = new DateTime(2024, 2, 1, 9, 30, 0, DateTimeKind.Utc);
        (string Name, string Workload, string[] Exchange, string[] SharePoint, string Comment)[] policies =
        [
            ("Default Mailbox Retention", "Exchange", ["All"], [], "Keeps mailbox content for seven years."),
            ("Finance Records", "Exchange, SharePoint, OneDriveForBusiness", ["All"], ["All"], "Financial records: ten years, then delete."),
            ("Teams Chat 1 Year", "Teams", [], [], "Teams chats are deleted after one year."),
        ];
        return policies.Select((p, i) => new RetentionCompliancePolicy(
            i, p.Name, NameBasedGuid.Create($"retention-policy:{tenant.Domain}:{p.Name}"), p.Workload, p.Exchange, p.SharePoint, p.Comment, created));
    }
}
