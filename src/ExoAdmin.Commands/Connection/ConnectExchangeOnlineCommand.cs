using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// Signs in to Exchange Online and registers the connection for this runspace, under -Prefix
/// when given. Parameter names and defaults follow ExchangeOnlineManagement.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ExchangeOnline", DefaultParameterSetName = CertificateFileSet)]
public sealed class ConnectExchangeOnlineCommand : ExoCmdlet
{
    private const string CertificateFileSet = "CertificateFile";
    private const string CertificateObjectSet = "CertificateObject";

    /// <summary>The Exchange endpoint. Unlike the original, a port given here is kept.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ConnectionUri { get; set; } = "https://outlook.office365.com";

    /// <summary>The Entra ID authority; app-only sign-in uses its host with the organization as tenant.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string AzureADAuthorizationEndpointUri { get; set; } = "https://login.microsoftonline.com/organizations";

    /// <summary>The application (client) id of the app registration.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateObjectSet)]
    [ValidateNotNullOrEmpty]
    public string? AppId { get; set; }

    /// <summary>The tenant's domain, e.g. contoso.onmicrosoft.com.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [Parameter(Mandatory = true, ParameterSetName = CertificateObjectSet)]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CertificateObjectSet)]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CertificateFileSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificateFilePath { get; set; }

    [Parameter(ParameterSetName = CertificateFileSet)]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>Noun prefix for this connection's cmdlets; each prefix is its own connection.</summary>
    [Parameter]
    [AllowEmptyString]
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Objects per page for bulk reads, 1 to 1000.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>Shows the service's banner after connecting (on by default, as in the original).</summary>
    [Parameter]
    public SwitchParameter ShowBanner { get; set; } = true;

    /// <summary>Progress bars for long reads and pipelined changes; only ever shown in interactive hosts.</summary>
    [Parameter]
    public SwitchParameter ShowProgress { get; set; } = true;

    protected override void EndProcessing()
    {
        var request = new ConnectRequest(ParseHttpsUri(ConnectionUri, nameof(ConnectionUri)), ParseHttpsUri(AzureADAuthorizationEndpointUri, nameof(AzureADAuthorizationEndpointUri)))
        {
            AppId = AppId,
            Organization = Organization,
            Certificate = Guard(LoadCertificate),
            Prefix = Prefix ?? string.Empty,
            PageSize = PageSize,
            ShowBanner = ShowBanner.IsPresent,
            ShowProgress = ShowProgress.IsPresent,
            ModuleVersion = ModuleVersion,
            PowerShellVersion = Host.Version.ToString(),
        };

        // Read on the pipeline thread: the runspace (and so the session manager) is thread-bound.
        var sessions = Sessions;
        RunEngine((sink, cancellation) => Connector.ConnectAsync(sessions, request, sink, cancellation));
    }

    private X509Certificate2 LoadCertificate()
    {
        if (Certificate is not null)
        {
            return CertificateLoader.RequirePrivateKey(Certificate);
        }

        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificateFilePath);
        return CertificateLoader.FromFile(path, CertificatePassword);
    }

    private Uri ParseHttpsUri(string value, string parameter)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            return uri;
        }

        ThrowTerminatingError(Failures.InvalidArgument($"-{parameter} must be an absolute https URI; '{value}' is not.", "UriNotHttps", value).ToErrorRecord());
        return null!; // not reached
    }
}
