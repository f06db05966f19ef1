namespace ExoAdmin.Sandbox.Data;

/// <summary>A distribution group and its members (mailbox ordinals, in the order they were added).</summary>
internal sealed record DistributionGroup(int Ordinal, string Alias, string DisplayName, string PrimarySmtpAddress, Guid Guid, string ManagedBy, IReadOnlyList<int> Members)
{
    public string Name => Alias;

    /// <summary>What New- and Set-DistributionGroup set beyond the facts above.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;

    /// <summary>Removed by Remove-DistributionGroup: gone from every list, its ordinal kept so others do not move.</summary>
    public bool Removed { get; init; }
}
