using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Remoting;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// The parameters Connect-ExchangeOnline and Connect-IPPSSession share, named and typed as in ExchangeOnlineManagement.
/// Which way of signing in is used follows from the parameters given: a certificate, -AccessToken, -ManagedIdentity,
/// -Credential or -InlineCredential, -Device, and otherwise the system browser (interactive, with MFA). Giving two of
/// them is refused with an error that names both, rather than with PowerShell's "parameter set cannot be resolved".
/// The positional parameters are declared by each cmdlet, because Microsoft's two cmdlets order them differently.
/// </summary>
public abstract class ConnectCommandBase : ExoCmdlet
{
    /// <summary>The service endpoint. Unlike the original, a port given here is kept. Default: per -ExchangeEnvironmentName.</summary>
    public abstract string? ConnectionUri { get; set; }

    /// <summary>The Entra ID authority. Default: per -ExchangeEnvironmentName, ending in /organizations.</summary>
    public abstract string? AzureADAuthorizationEndpointUri { get; set; }

    /// <summary>The Microsoft 365 cloud whose hosts -ConnectionUri and -AzureADAuthorizationEndpointUri default to.</summary>
    public abstract ExchangeEnvironment ExchangeEnvironmentName { get; set; }

    /// <summary>Remote PowerShell (WinRM) session options: accepted, without effect (see <see cref="WithoutEffect"/>).</summary>
    public abstract PSSessionOption? PSSessionOption { get; set; }

    /// <summary>A customer tenant a partner's admin manages (delegated administration).</summary>
    public abstract string? DelegatedOrganization { get; set; }

    /// <summary>Noun prefix for this connection's service cmdlets; each prefix is its own connection.</summary>
    public abstract string? Prefix { get; set; }

    /// <summary>Only these service cmdlets (wildcards allowed) are made available; all the caller's role allows by default.</summary>
    public abstract string[]? CommandName { get; set; }

    /// <summary>Remote PowerShell's format type names: accepted, without effect.</summary>
    public abstract string[]? FormatTypeName { get; set; }

    /// <summary>A token obtained elsewhere (a string, or a SecureString unwrapped on binding); used as given, never renewed.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [PlainTextAccessToken]
    public string? AccessToken { get; set; }

    /// <summary>The application (client) id: required for certificates; for user sign-in it replaces the default public client.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AppId { get; set; }

    /// <summary>Sends no X-AnchorMailbox routing hint of the connection's own; requests that name a mailbox still route by it.</summary>
    [Parameter]
    public SwitchParameter BypassMailboxAnchoring { get; set; }

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

    /// <summary>Web Account Manager is never used (the system browser is), so there is nothing to disable.</summary>
    [Parameter]
    public SwitchParameter DisableWAM { get; set; }

    /// <summary>Writes the connection's log (requests' ids and errors) to -LogDirectoryPath, or to the default folder.</summary>
    [Parameter]
    public SwitchParameter EnableErrorReporting { get; set; }

    /// <summary>Where Microsoft's module writes its temporary module: accepted, without effect (nothing is written).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EXOModuleBasePath { get; set; }

    /// <summary>A folder for the connection's log file: every request with its request-id, retries and errors, redacted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogDirectoryPath { get; set; }

    /// <summary>Sign in as the host's managed identity (system-assigned unless -ManagedIdentityAccountId).</summary>
    [Parameter]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>The client id (or resource id) of a user-assigned managed identity.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityAccountId { get; set; }

    /// <summary>The tenant's domain, e.g. contoso.onmicrosoft.com (certificates, managed identity, -AccessToken).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Organization { get; set; }

    /// <summary>Shows the service's banner after connecting (on by default, as in the original).</summary>
    [Parameter]
    public SwitchParameter ShowBanner { get; set; } = true;

    /// <summary>The account to sign in as (login hint), or the user of -AccessToken.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    /// <summary>Remote PowerShell is retired: refused with an error saying so.</summary>
    [Parameter]
    public SwitchParameter UseRPSSession { get; set; }

    /// <summary>Whether this is Connect-IPPSSession.</summary>
    private protected abstract bool IsCompliance { get; }

    /// <summary>The connection's log detail (-LogLevel), as each cmdlet types it.</summary>
    private protected abstract ConnectionLogLevel RequestedLogLevel { get; }

    /// <summary>
    /// Parameters Microsoft's module has that change nothing here, each with the reason: accepted so scripts run
    /// unchanged, and named in one warning each so nobody believes they took effect.
    /// </summary>
    private protected static readonly IReadOnlyDictionary<string, string> SharedWithoutEffect = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(PSSessionOption)] = "it sets options of remote PowerShell (WinRM) sessions, and ExoAdmin connects over the REST API only, where Microsoft's module ignores it too",
        [nameof(FormatTypeName)] = "it selects format data of remote PowerShell sessions, and ExoAdmin connects over the REST API only; its own views ship with the module",
        [nameof(EXOModuleBasePath)] = "ExoAdmin writes no temporary module to disk: the service's cmdlets become commands in memory",
    };

    /// <summary>This cmdlet's parameters without effect: the shared ones, and its own.</summary>
    private protected virtual IReadOnlyDictionary<string, string> WithoutEffect => SharedWithoutEffect;

    private protected ConnectRequest BuildRequest()
    {
        if (UseRPSSession.IsPresent)
        {
            ThrowTerminatingError(Failures.InvalidArgument(
                "Remote PowerShell (-UseRPSSession) is retired in Exchange Online and Security & Compliance: Microsoft turned it off, and ExoAdmin connects over the REST API only. Remove -UseRPSSession; every cmdlet works over REST.",
                "RemotePowerShellRetired", nameof(UseRPSSession)).ToErrorRecord());
        }

        foreach (var unused in WithoutEffect)
        {
            if (MyInvocation.BoundParameters.ContainsKey(unused.Key))
            {
                WriteWarning($"-{unused.Key} has no effect in ExoAdmin: {unused.Value}.");
            }
        }

        if (DisableWAM.IsPresent)
        {
            WriteVerbose("-DisableWAM: ExoAdmin never uses Web Account Manager; interactive sign-in opens the system browser.");
        }

        var connectionUri = ConnectionUri ?? ExchangeClouds.ConnectionUri(ExchangeEnvironmentName.ToString(), IsCompliance);
        var authorityUri = AzureADAuthorizationEndpointUri ?? ExchangeClouds.AuthorityUri(ExchangeEnvironmentName.ToString());
        var request = new ConnectRequest(ParseHttpsUri(connectionUri, nameof(ConnectionUri)), ParseHttpsUri(authorityUri, nameof(AzureADAuthorizationEndpointUri)))
        {
            IsCompliance = IsCompliance,
            AppId = AppId,
            Organization = Organization,
            DelegatedOrganization = DelegatedOrganization,
            UserPrincipalName = UserPrincipalName,
            Certificate = Guard(LoadCertificate),
            AccessToken = AccessToken,
            ManagedIdentity = ManagedIdentity.IsPresent,
            ManagedIdentityAccountId = ManagedIdentityAccountId,
            CredentialUserName = Credential?.UserName,
            CredentialPassword = Credential?.Password,
            Prefix = Prefix ?? string.Empty,
            CommandName = CommandName,
            BypassMailboxAnchoring = BypassMailboxAnchoring.IsPresent,
            ShowBanner = ShowBanner.IsPresent,
            Log = LogSettings(),
            ModuleVersion = ModuleVersion,
            PowerShellVersion = Host.Version.ToString(),
        };

        if (Credential is not null)
        {
            WriteWarning("Signing in with a user name and password (-Credential, -InlineCredential) is discouraged: it cannot satisfy multi-factor authentication and Microsoft is retiring it. Sign in interactively, with -Device, a certificate or a managed identity instead.");
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

    /// <summary>
    /// -LogDirectoryPath or -EnableErrorReporting turn the connection's log file on (in Microsoft's default folder when
    /// no path is given); -LogLevel and -TrackPerformance shape it and, like Microsoft's, need logging to be on.
    /// </summary>
    private ConnectionLogSettings? LogSettings()
    {
        var bound = MyInvocation.BoundParameters;
        if (LogDirectoryPath is null && !EnableErrorReporting.IsPresent)
        {
            // -TrackPerformance $false asks for nothing, so it is not worth a warning.
            foreach (var needsLog in new[] { "LogLevel", "TrackPerformance" })
            {
                if (bound.TryGetValue(needsLog, out var value) && !Equals(value, false))
                {
                    WriteWarning($"-{needsLog} has no effect without a log: add -LogDirectoryPath <folder> (or -EnableErrorReporting for the default folder).");
                }
            }

            return null;
        }

        var folder = LogDirectoryPath is null
            ? ConnectionLogSettings.DefaultDirectory
            : SessionState.Path.GetUnresolvedProviderPathFromPSPath(LogDirectoryPath);
        return new ConnectionLogSettings(folder, RequestedLogLevel, TracksPerformance);
    }

    /// <summary>-TrackPerformance, where the cmdlet has it.</summary>
    private protected virtual bool TracksPerformance => false;

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
