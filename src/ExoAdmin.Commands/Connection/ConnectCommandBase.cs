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
/// The sign-in parameters Connect-ExchangeOnline and Connect-IPPSSession share, named as in ExchangeOnlineManagement.
/// Which way of signing in is used follows from the parameters given: a certificate, -AccessToken,
/// -ManagedIdentity, -Credential or -Device, and otherwise the system browser (interactive, with MFA). Giving two
/// of them is refused with an error that names both, rather than with PowerShell's "parameter set cannot be
/// resolved".
/// </summary>
public abstract class ConnectCommandBase : ExoCmdlet
{
    /// <summary>The service endpoint. Unlike the original, a port given here is kept. Default: per -ExchangeEnvironmentName.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectionUri { get; set; }

    /// <summary>The Entra ID authority. Default: per -ExchangeEnvironmentName, ending in /organizations.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AzureADAuthorizationEndpointUri { get; set; }

    /// <summary>The Microsoft 365 cloud: O365Default, O365USGovGCCHigh, O365USGovDoD, O365China or O365GermanyCloud.</summary>
    [Parameter]
    [ValidateSet("O365Default", "O365USGovGCCHigh", "O365USGovDoD", "O365China", "O365GermanyCloud", IgnoreCase = true)]
    public string ExchangeEnvironmentName { get; set; } = ExchangeEnvironment.Default;

    /// <summary>The application (client) id: required for certificates; for user sign-in it replaces the default public client.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppId { get; set; }

    /// <summary>The tenant's domain, e.g. contoso.onmicrosoft.com (certificates, managed identity, -AccessToken).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>A customer tenant a partner's admin manages (delegated administration).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DelegatedOrganization { get; set; }

    /// <summary>The account to sign in as (login hint), or the user of -AccessToken.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    [Parameter]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateFilePath { get; set; }

    [Parameter]
    public SecureString? CertificatePassword { get; set; }

    /// <summary>A certificate with its private key in the CurrentUser\My store.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CertificateThumbprint { get; set; }

    /// <summary>User name and password, without MFA: discouraged, kept for old service accounts.</summary>
    [Parameter]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>A token obtained elsewhere (string or SecureString); used as given, never renewed.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? AccessToken { get; set; }

    /// <summary>Sign in as the host's managed identity (system-assigned unless -ManagedIdentityAccountId).</summary>
    [Parameter]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>The client id (or resource id) of a user-assigned managed identity.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityAccountId { get; set; }

    /// <summary>Noun prefix for this connection's cmdlets; each prefix is its own connection.</summary>
    [Parameter]
    [AllowEmptyString]
    public string Prefix { get; set; } = string.Empty;

    /// <summary>Whether this is Connect-IPPSSession.</summary>
    private protected abstract bool IsCompliance { get; }

    private protected ConnectRequest BuildRequest()
    {
        var connectionUri = ConnectionUri ?? Guard(() => ExchangeEnvironment.ConnectionUri(ExchangeEnvironmentName, IsCompliance));
        var authorityUri = AzureADAuthorizationEndpointUri ?? Guard(() => ExchangeEnvironment.AuthorityUri(ExchangeEnvironmentName));
        var request = new ConnectRequest(ParseHttpsUri(connectionUri, nameof(ConnectionUri)), ParseHttpsUri(authorityUri, nameof(AzureADAuthorizationEndpointUri)))
        {
            IsCompliance = IsCompliance,
            AppId = AppId,
            Organization = Organization,
            DelegatedOrganization = DelegatedOrganization,
            UserPrincipalName = UserPrincipalName,
            Certificate = Guard(LoadCertificate),
            AccessToken = ReadAccessToken(),
            ManagedIdentity = ManagedIdentity.IsPresent,
            ManagedIdentityAccountId = ManagedIdentityAccountId,
            CredentialUserName = Credential?.UserName,
            CredentialPassword = Credential?.Password,
            Prefix = Prefix ?? string.Empty,
            ModuleVersion = ModuleVersion,
            PowerShellVersion = Host.Version.ToString(),
        };

        if (Credential is not null)
        {
            WriteWarning("Signing in with -Credential (a user name and password) is discouraged: it cannot satisfy multi-factor authentication and Microsoft is retiring it. Sign in interactively, with -Device, a certificate or a managed identity instead.");
        }

        return request;
    }

    private protected ExoConnection Connect(ConnectRequest request, Func<ExoConnection, Engine.Operations.IOperationSink, System.Threading.CancellationToken, System.Threading.Tasks.Task>? alongside = null)
    {
        // Read on the pipeline thread: the runspace (and so the session manager) is thread-bound.
        var sessions = Sessions;
        ExoConnection? connection = null;
        RunEngine(async (sink, cancellation) => connection = await Connector.ConnectAsync(sessions, request, sink, cancellation, alongside).ConfigureAwait(false));
        return connection!;
    }

    private X509Certificate2? LoadCertificate()
    {
        var given = (Certificate is null ? 0 : 1) + (CertificateFilePath is null ? 0 : 1) + (CertificateThumbprint is null ? 0 : 1);
        if (given > 1)
        {
            throw Failures.InvalidArgument("Give the certificate one way only: -Certificate, -CertificateFilePath or -CertificateThumbprint.", "ConflictingSignInParameters", null);
        }

        if (CertificatePassword is not null && CertificateFilePath is null)
        {
            throw Failures.InvalidArgument("-CertificatePassword opens the file of -CertificateFilePath; give both.", "CertificatePasswordWithoutFile", null);
        }

        if (Certificate is not null)
        {
            return CertificateLoader.RequirePrivateKey(Certificate);
        }

        if (CertificateThumbprint is not null)
        {
            return CertificateLoader.FromStore(CertificateThumbprint);
        }

        if (CertificateFilePath is not null)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(CertificateFilePath);
            return CertificateLoader.FromFile(path, CertificatePassword);
        }

        return null;
    }

    private string? ReadAccessToken()
    {
        var value = AccessToken is PSObject wrapped ? wrapped.BaseObject : AccessToken;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return text.Trim();
            case SecureString secure:
                return new PSCredential("token", secure).GetNetworkCredential().Password.Trim();
            default:
                ThrowTerminatingError(Failures.InvalidArgument("-AccessToken takes the token as a string or a SecureString.", "AccessTokenType", null).ToErrorRecord());
                return null; // not reached
        }
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
