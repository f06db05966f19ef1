namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// A mail user (New-MailUser): a recipient with a sign-in account in the tenant and mail delivered to an outside
/// address. Its directory account (and password) lives in the <see cref="Identity.UserDirectory"/>.
/// </summary>
internal sealed record MailUser(int Ordinal, Tenant Tenant, string Alias, string Name, string DisplayName, string ExternalEmailAddress, string UserPrincipalName, Guid Guid, DateTime WhenCreatedUtc)
{
    /// <summary>What New- and Set-MailUser set beyond the facts above.</summary>
    public StoredProperties Stored { get; init; } = StoredProperties.Empty;

    public bool Removed { get; init; }

    public string PrimarySmtpAddress => UserPrincipalName;

    public string DistinguishedName => "CN=" + Name + Tenant.DistinguishedNameSuffix;
}
