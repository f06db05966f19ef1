using System;
using System.Security.Cryptography.X509Certificates;

namespace ExoAdmin.Engine.Sessions;

/// <summary>Everything Connect-ExchangeOnline collected, validated by the cmdlet's parameter binding.</summary>
public sealed class ConnectRequest
{
    public ConnectRequest(Uri connectionUri, Uri authorityUri)
    {
        ConnectionUri = connectionUri;
        AuthorityUri = authorityUri;
    }

    public Uri ConnectionUri { get; }

    /// <summary>Ends in /organizations (or a tenant); app-only flows replace that segment with the organization.</summary>
    public Uri AuthorityUri { get; }

    public string? AppId { get; set; }

    public string? Organization { get; set; }

    public X509Certificate2? Certificate { get; set; }

    public string Prefix { get; set; } = string.Empty;

    public int PageSize { get; set; } = 1000;

    public bool ShowBanner { get; set; } = true;

    /// <summary>Progress bars for this connection's long reads and pipelined changes (interactive hosts only).</summary>
    public bool ShowProgress { get; set; } = true;

    public string ModuleVersion { get; set; } = "0.0.0";

    public string PowerShellVersion { get; set; } = string.Empty;
}
