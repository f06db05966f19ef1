using System.Text.Json;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>The one JSON line the sandbox prints on stdout once it serves: everything a client needs to connect.</summary>
internal sealed record ReadyInfo(
    string ConnectionUri,
    string AzureADAuthorizationEndpointUri,
    string CaCertificatePath,
    IReadOnlyList<TenantReadyInfo> Tenants)
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
    int MailboxCount);
