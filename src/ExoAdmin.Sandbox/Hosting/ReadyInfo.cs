using System.Text.Json;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>The one JSON line the sandbox prints on stdout once it serves: everything a client needs to connect.</summary>
internal sealed record ReadyInfo(
    string ConnectionUri,
    string AzureADAuthorizationEndpointUri,
    string CaCertificatePath,
    IReadOnlyList<TenantReadyInfo> Tenants,
    string ComplianceConnectionUri,
    ManagedIdentityReadyInfo ManagedIdentity,
    ControlReadyInfo Control,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    InstanceDiscoveryReadyInfo? InstanceDiscovery)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public string ToJsonLine() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>One tenant of the ready line: its ids and the app certificate to sign in with.</summary>
internal sealed record TenantReadyInfo(
    string Organization,
    Guid TenantId,
    Guid AppId,
    string CertificatePath,
    string CertificatePassword,
    int MailboxCount,
    Guid ManagedIdentityClientId,
    IReadOnlyList<UserReadyInfo> Users);

/// <summary>
/// A user to sign in as: password, and for MFA users the TOTP secret (base32) an authenticator app would hold.
/// Roles are directory role names.
/// </summary>
internal sealed record UserReadyInfo(string UserPrincipalName, string Password, string? MfaSecret, IReadOnlyList<string> Roles);

/// <summary>
/// The managed-identity endpoints: App Service style (IDENTITY_ENDPOINT + IDENTITY_HEADER) and the IMDS host
/// (for AZURE_POD_IDENTITY_AUTHORITY_HOST); the system-assigned identity belongs to the first tenant.
/// </summary>
internal sealed record ManagedIdentityReadyInfo(string IdentityEndpoint, string IdentityHeader, string ImdsEndpoint, Guid? SystemAssignedClientId);

/// <summary>
/// The sandbox's control endpoint (<c>Control/ControlEndpoints</c>): its base URI and the run's key, sent as
/// X-Sandbox-Control-Key. For the tests and benchmarks that started the sandbox; never an Exchange credential.
/// </summary>
internal sealed record ControlReadyInfo(string Uri, string Key);

/// <summary>
/// With --instance-discovery: the authority MSAL clients that discover their instance are given, and the hosts-file
/// line (or resolver entry) that sends its name to the sandbox.
/// </summary>
internal sealed record InstanceDiscoveryReadyInfo(string AzureADAuthorizationEndpointUri, string HostsEntry);
