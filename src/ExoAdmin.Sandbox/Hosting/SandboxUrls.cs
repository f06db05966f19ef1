using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>Which service a request reached: chosen by listener port, or by host name on a single port.</summary>
internal enum SandboxSide
{
    /// <summary>Entra ID, Exchange Online, managed identity and the control endpoint, on 127.0.0.1.</summary>
    Main,

    /// <summary>The compliance endpoint clients are given, which only redirects to the tenant's region (§15).</summary>
    ComplianceDiscovery,

    /// <summary>Security &amp; Compliance: the Exchange pipeline with the compliance audience.</summary>
    Compliance,

    /// <summary>Entra ID under login.microsoftonline.com (--instance-discovery), for MSAL clients that discover their authority.</summary>
    Login,
}

/// <summary>
/// The sandbox's public addresses and which side of it a request is for. Ports are only known once Kestrel
/// listens (--port 0 picks a free one), so they are set once right after start, before the ready line announces them.
/// Two layouts: three listeners (the main one; the compliance endpoint, which answers with redirects to the
/// tenant's region as ps.compliance.protection.outlook.com does; the regional one that serves the API), or, with
/// --single-port (and always on 443), one listener that routes by host name: 127.0.0.1 is Exchange and Entra,
/// localhost is Security &amp; Compliance, for clients that keep only scheme and host of a URI (§18.5). With
/// --instance-discovery, login.microsoftonline.com is Entra ID on either layout.
/// </summary>
internal sealed class SandboxUrls(SandboxOptions options)
{
    /// <summary>The host name of Exchange Online and Entra ID in every address the sandbox hands out.</summary>
    public const string Host = "127.0.0.1";

    /// <summary>Security &amp; Compliance's host name on a single port.</summary>
    public const string ComplianceHost = "localhost";

    /// <summary>The authority host MSAL discovers instances on (§18.5), answered with --instance-discovery.</summary>
    public const string LoginHost = "login.microsoftonline.com";

    private const string LoginRoot = "https://" + LoginHost;

    private string? _root;
    private int _port;

    /// <summary>Whether Security &amp; Compliance shares the one port, told apart by host name.</summary>
    public bool SinglePort => options.SinglePort;

    /// <summary>https://127.0.0.1:PORT (no port for 443), without a trailing slash.</summary>
    public string ConnectionUri => _root ?? throw new InvalidOperationException("The sandbox is not listening yet.");

    /// <summary>What clients pass as -AzureADAuthorizationEndpointUri.</summary>
    public string AuthorizationEndpoint => ConnectionUri + "/organizations";

    /// <summary>What an MSAL client that discovers its authority is given (--instance-discovery), else null.</summary>
    public string? DiscoveredAuthorizationEndpoint => options.InstanceDiscovery ? LoginRoot + "/organizations" : null;

    /// <summary>What Connect-IPPSSession is given as -ConnectionUri; also the compliance tokens' audience.</summary>
    public string ComplianceConnectionUri { get; private set; } = string.Empty;

    /// <summary>Where the compliance discovery redirects to: the "regional" host that serves the API.</summary>
    public string ComplianceRegionalUri { get; private set; } = string.Empty;

    private int CompliancePort { get; set; }

    private int ComplianceRegionalPort { get; set; }

    /// <summary>The listeners to open: one, or the main one and two for compliance (0 = a free port).</summary>
    public int[] ListenerPorts => SinglePort ? [options.Port] : [options.Port, 0, 0];

    /// <param name="ports">The ports Kestrel listens on, in the order of <see cref="ListenerPorts"/>.</param>
    public void SetPorts(IReadOnlyList<int> ports)
    {
        _port = ports[0];
        _root = Root(Host, _port);
        if (SinglePort)
        {
            ComplianceConnectionUri = ComplianceRegionalUri = Root(ComplianceHost, _port);
            return;
        }

        (CompliancePort, ComplianceRegionalPort) = (ports[1], ports[2]);
        ComplianceConnectionUri = Root(Host, CompliancePort);
        ComplianceRegionalUri = Root(Host, ComplianceRegionalPort);
    }

    /// <summary>Which side a request is for: by listener port, or by host name on a single port; the login host either way.</summary>
    public SandboxSide SideOf(HttpContext context)
    {
        var host = context.Request.Host.Host;
        if (options.InstanceDiscovery && host.Equals(LoginHost, StringComparison.OrdinalIgnoreCase))
        {
            return SandboxSide.Login;
        }

        if (SinglePort)
        {
            return host.Equals(ComplianceHost, StringComparison.OrdinalIgnoreCase) ? SandboxSide.Compliance : SandboxSide.Main;
        }

        var port = context.Connection.LocalPort;
        return port == CompliancePort ? SandboxSide.ComplianceDiscovery : port == ComplianceRegionalPort ? SandboxSide.Compliance : SandboxSide.Main;
    }

    /// <summary>Whether the sandbox hands out addresses on this host name (a token sent elsewhere followed a foreign link).</summary>
    public bool IsAnnouncedHost(string host) =>
        host.Equals(Host, StringComparison.Ordinal) || (SinglePort && host.Equals(ComplianceHost, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether Entra ID answers on this host name (what instance discovery calls a known instance).</summary>
    public bool ServesEntraOn(string host) =>
        host.Equals(Host, StringComparison.Ordinal) || (options.InstanceDiscovery && host.Equals(LoginHost, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The root of Entra ID's URLs as the caller reached it: https://login.microsoftonline.com for a client that came
    /// by the login host, else the connection URI. Discovery documents, device-code pages and token issuers use it,
    /// so a client never meets an address on the other name.
    /// </summary>
    public string AuthorityRoot(HttpContext? context) =>
        context is not null && SideOf(context) == SandboxSide.Login ? LoginRoot : ConnectionUri;

    /// <summary>The issuer of tokens for a tenant, as its discovery document under <paramref name="authorityRoot"/> states it.</summary>
    public static string Issuer(string authorityRoot, Guid tenantId) => $"{authorityRoot}/{tenantId}/v2.0";

    /// <summary>Every issuer the sandbox's tokens for a tenant may carry: one per name Entra ID answers on.</summary>
    public IEnumerable<string> Issuers(Guid tenantId) =>
        options.InstanceDiscovery ? [Issuer(ConnectionUri, tenantId), Issuer(LoginRoot, tenantId)] : [Issuer(ConnectionUri, tenantId)];

    /// <summary>The audience a token must carry on the side this request reached.</summary>
    public string AudienceFor(HttpContext? context) =>
        context is not null && SideOf(context) == SandboxSide.Compliance ? ComplianceConnectionUri : ConnectionUri;

    private static string Root(string host, int port) =>
        port == 443 ? "https://" + host : $"https://{host}:" + port.ToString(CultureInfo.InvariantCulture);
}
