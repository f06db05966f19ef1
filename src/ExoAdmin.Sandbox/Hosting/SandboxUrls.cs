using System.Globalization;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>
/// The sandbox's public addresses. Ports are only known once Kestrel listens (--port 0 picks a free one), so
/// they are set once right after start, before the ready line announces them. Three listeners:
/// the main one (Entra ID and Exchange Online), the compliance endpoint clients are given (it only answers
/// with redirects to the tenant's region, as ps.compliance.protection.outlook.com does), and the regional
/// compliance endpoint that serves the API.
/// </summary>
internal sealed class SandboxUrls
{
    /// <summary>The host name of every address the sandbox hands out.</summary>
    public const string Host = "127.0.0.1";

    private string? _root;
    private int _port;

    /// <summary>https://127.0.0.1:PORT (no port for 443), without a trailing slash.</summary>
    public string ConnectionUri => _root ?? throw new InvalidOperationException("The sandbox is not listening yet.");

    /// <summary>What clients pass as -AzureADAuthorizationEndpointUri.</summary>
    public string AuthorizationEndpoint => ConnectionUri + "/organizations";

    /// <summary>What Connect-IPPSSession is given as -ConnectionUri; also the compliance tokens' audience.</summary>
    public string ComplianceConnectionUri { get; private set; } = string.Empty;

    /// <summary>Where the compliance discovery redirects to: the "regional" host that serves the API.</summary>
    public string ComplianceRegionalUri { get; private set; } = string.Empty;

    public int CompliancePort { get; private set; }

    public int ComplianceRegionalPort { get; private set; }

    /// <summary>The issuer of tokens for a tenant, as its discovery document states it.</summary>
    public string Issuer(Guid tenantId) => $"{ConnectionUri}/{tenantId}/v2.0";

    /// <summary>The audience a token must carry on the listener of this local port.</summary>
    public string AudienceFor(int localPort) => localPort != 0 && localPort == ComplianceRegionalPort ? ComplianceConnectionUri : ConnectionUri;

    public void SetPorts(int port, int compliancePort, int complianceRegionalPort)
    {
        _port = port;
        _root = Root(port);
        CompliancePort = compliancePort;
        ComplianceRegionalPort = complianceRegionalPort;
        ComplianceConnectionUri = Root(compliancePort);
        ComplianceRegionalUri = Root(complianceRegionalPort);
    }

    public bool IsMainPort(int localPort) => localPort == _port;

    private static string Root(int port) =>
        port == 443 ? "https://" + Host : $"https://{Host}:" + port.ToString(CultureInfo.InvariantCulture);
}
