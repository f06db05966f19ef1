using System.Globalization;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>
/// The sandbox's public addresses. The port is only known once Kestrel listens (--port 0 picks a free one),
/// so this is set once right after start, before the ready line announces it.
/// </summary>
internal sealed class SandboxUrls
{
    private string? _root;

    /// <summary>https://127.0.0.1:PORT (no port for 443), without a trailing slash.</summary>
    public string ConnectionUri => _root ?? throw new InvalidOperationException("The sandbox is not listening yet.");

    /// <summary>What clients pass as -AzureADAuthorizationEndpointUri.</summary>
    public string AuthorizationEndpoint => ConnectionUri + "/organizations";

    /// <summary>The issuer of tokens for a tenant, as its discovery document states it.</summary>
    public string Issuer(Guid tenantId) => $"{ConnectionUri}/{tenantId}/v2.0";

    public void SetPort(int port) =>
        _root = port == 443 ? "https://127.0.0.1" : "https://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
