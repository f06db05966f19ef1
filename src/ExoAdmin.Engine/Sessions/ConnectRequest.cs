using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;

namespace ExoAdmin.Engine.Sessions;

/// <summary>Everything Connect-ExchangeOnline or Connect-IPPSSession collected; the Connector validates it.</summary>
public sealed class ConnectRequest
{
    public ConnectRequest(Uri connectionUri, Uri authorityUri)
    {
        ConnectionUri = connectionUri;
        AuthorityUri = authorityUri;
    }

    /// <summary>The service (Exchange, or the compliance endpoint for IPPS); its scheme://host[:port] is also the token's resource.</summary>
    public Uri ConnectionUri { get; }

    /// <summary>Ends in /organizations (or a tenant); app-only flows and -DelegatedOrganization replace that segment.</summary>
    public Uri AuthorityUri { get; }

    /// <summary>Security &amp; Compliance (Connect-IPPSSession): regional discovery, its own connection slot.</summary>
    public bool IsCompliance { get; set; }

    public string? AppId { get; set; }

    public string? Organization { get; set; }

    public string? DelegatedOrganization { get; set; }

    /// <summary>Login hint for interactive sign-in; the user of -AccessToken.</summary>
    public string? UserPrincipalName { get; set; }

    /// <summary>-Certificate, -CertificateFilePath or -CertificateThumbprint, already loaded.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>-AccessToken as plain text (a SecureString is unwrapped by the cmdlet just before the call).</summary>
    public string? AccessToken { get; set; }

    public bool ManagedIdentity { get; set; }

    public string? ManagedIdentityAccountId { get; set; }

    public bool Device { get; set; }

    public string? CredentialUserName { get; set; }

    public SecureString? CredentialPassword { get; set; }

    public string Prefix { get; set; } = string.Empty;

    /// <summary>-CommandName: the service cmdlets to make available (sent with the module-file request); null for all.</summary>
    public System.Collections.Generic.IReadOnlyCollection<string>? CommandName { get; set; }

    /// <summary>-BypassMailboxAnchoring: no connection-wide X-AnchorMailbox; a request that names a mailbox still routes by it.</summary>
    public bool BypassMailboxAnchoring { get; set; }

    /// <summary>-SkipLoadingFormatData: the module-file request asks the service to leave its format data out (§3.2).</summary>
    public bool SkipLoadingFormatData { get; set; }

    /// <summary>The connection's log file (-LogDirectoryPath, -EnableErrorReporting); null for none.</summary>
    public ConnectionLogSettings? Log { get; set; }

    public int PageSize { get; set; } = 1000;

    /// <summary>How many requests of one pipeline (per-identity items, a page read ahead) may be in flight at once.</summary>
    public int MaxConcurrency { get; set; } = ExoConnection.DefaultMaxConcurrency;

    public bool ShowBanner { get; set; } = true;

    /// <summary>Progress bars for this connection's long reads and pipelined changes (interactive hosts only).</summary>
    public bool ShowProgress { get; set; } = true;

    public string ModuleVersion { get; set; } = "0.0.0";

    public string PowerShellVersion { get; set; } = string.Empty;
}
