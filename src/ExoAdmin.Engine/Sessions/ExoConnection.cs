using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// One signed-in tenant connection: its identity, its token provider and its HTTP client. Every
/// request of every cmdlet that uses this connection goes through <see cref="Client"/>.
/// </summary>
public sealed class ExoConnection : IDisposable
{
    /// <summary>Items a pipelined per-identity cmdlet keeps in flight unless Connect-ExchangeOnline -MaxConcurrency says otherwise.</summary>
    public const int DefaultMaxConcurrency = 8;

    internal ExoConnection(
        int id,
        ConnectRequest request,
        Uri serviceRoot,
        string? organization,
        string tenantId,
        string? userPrincipalName,
        bool certificateAuthentication,
        ExoRestClient client,
        ConnectionLog? log = null)
    {
        Id = id;
        ConnectionId = client.Headers.ConnectionId;
        Prefix = request.Prefix;
        Organization = organization;
        DelegatedOrganization = request.DelegatedOrganization;
        AppId = request.AppId;
        PageSize = request.PageSize;
        MaxConcurrency = Math.Max(1, request.MaxConcurrency);
        ConnectionUri = serviceRoot;
        IsEopSession = request.IsCompliance;
        ShowProgress = request.ShowProgress;
        AuthorityUri = request.AuthorityUri;
        TenantId = tenantId;
        UserPrincipalName = userPrincipalName;
        CertificateAuthentication = certificateAuthentication;
        Client = client;
        Log = log;
    }

    public int Id { get; }

    /// <summary>
    /// What the service's module file offers this connection (§3.2): the cmdlets its role (and -CommandName) allows, each
    /// with its parameters, and the key for SecureString values; null when the service did not say (Security &amp;
    /// Compliance connections before they read one), in which case the service alone decides.
    /// </summary>
    public ModuleFile.ServiceModule? Module { get; set; }

    public string ConnectionId { get; }

    /// <summary>ExchangeOnline_N, or ExchangeOnlineProtection_N for Security &amp; Compliance, as Microsoft's module names them.</summary>
    public string Name => $"{(IsEopSession ? "ExchangeOnlineProtection" : "ExchangeOnline")}_{Id}";

    /// <summary>Empty for the unprefixed connection.</summary>
    public string Prefix { get; }

    public string? Organization { get; }

    /// <summary>The customer tenant a partner's admin connected to (-DelegatedOrganization); null otherwise.</summary>
    public string? DelegatedOrganization { get; }

    /// <summary>
    /// Whether the compiled Get-EXO* and classic cmdlets use this connection when they are given no -ConnectionId or
    /// -ModulePrefix: the unprefixed Exchange connection (Microsoft's module: the last one connected).
    /// </summary>
    public bool UsedForInbuiltCmdlets => Prefix.Length == 0 && !IsEopSession;

    /// <summary>The connection's log file (-LogDirectoryPath, -EnableErrorReporting); null when it has none.</summary>
    public ConnectionLog? Log { get; }

    public string? AppId { get; }

    public int PageSize { get; }

    /// <summary>Pipelined per-identity items in flight at once (their output is still written in input order).</summary>
    public int MaxConcurrency { get; }

    /// <summary>Connect-ExchangeOnline -ShowProgress; the cmdlet layer also requires an interactive host.</summary>
    public bool ShowProgress { get; }

    /// <summary>The service every request goes to: the Exchange endpoint, or the tenant's regional compliance host.</summary>
    public Uri ConnectionUri { get; }

    /// <summary>A Security &amp; Compliance connection (Connect-IPPSSession).</summary>
    public bool IsEopSession { get; }

    /// <summary>Where the session manager keeps it: Exchange and compliance connections of one prefix live side by side.</summary>
    internal string SlotKey => (IsEopSession ? "ipps:" : "exo:") + Prefix;

    public Uri AuthorityUri { get; }

    /// <summary>The {tenant} segment of every URL.</summary>
    public string TenantId { get; }

    public string? UserPrincipalName { get; }

    public bool CertificateAuthentication { get; }

    internal ExoRestClient Client { get; }

    internal bool IsDisposed { get; private set; }

    /// <summary>{CU}/adminapi/beta/{tenant}/ — the base of Get-EXO* and InvokeCommand URLs.</summary>
    internal Uri ApiBase => new(ConnectionUri, $"/adminapi/beta/{Uri.EscapeDataString(TenantId)}/");

    /// <summary>State as Get-ConnectionInformation reports it: the basicinfo('AdminApiState') ping (§3.4).</summary>
    public async Task<ConnectionInformation> DescribeAsync(CancellationToken cancellationToken, IOperationSink? log = null)
    {
        // Ping first: it renews a token that is due, so the expiry reported is the one the connection now holds.
        var state = await PingAsync(log, cancellationToken).ConfigureAwait(false);
        var token = Client.Tokens.Current;
        return new ConnectionInformation
        {
            ConnectionId = ConnectionId,
            State = state,
            Id = Id,
            Name = Name,
            UserPrincipalName = UserPrincipalName,
            ConnectionUri = ConnectionUri.GetLeftPart(UriPartial.Authority),
            AzureAdAuthorizationEndpointUri = AuthorityUri.AbsoluteUri.TrimEnd('/'),
            TokenExpiryTimeUTC = token?.ExpiresOn.UtcDateTime,
            CertificateAuthentication = CertificateAuthentication,
            ModulePrefix = Prefix,
            Organization = Organization,
            DelegatedOrganization = DelegatedOrganization,
            AppId = AppId,
            PageSize = PageSize,
            TenantID = TenantId,
            TokenStatus = token is null ? "Unavailable" : token.ExpiresOn > Client.Time.GetUtcNow() ? "Active" : "Expired",
            ConnectionUsedForInbuiltCmdlets = UsedForInbuiltCmdlets,
            IsEopSession = IsEopSession,
            LogFilePath = Log?.Path,
        };
    }

    /// <summary>The ping at connect: anything but "Running" fails the connect with the service's own reason.</summary>
    /// <param name="refusalHint">What to check when the service refuses this caller (app-only sign-ins: permission and role).</param>
    internal async Task EnsureRunningAsync(IOperationSink? log, CancellationToken cancellationToken, string? refusalHint = null)
    {
        if (await PingAsync(log, cancellationToken, surfaceErrors: true, refusalHint).ConfigureAwait(false) != ConnectionState.Connected)
        {
            throw Failures.Connection($"Signed in, but the service at {ConnectionUri} did not report itself running for tenant {TenantId}.", ConnectionUri.AbsoluteUri);
        }
    }

    private async Task<ConnectionState> PingAsync(IOperationSink? log, CancellationToken cancellationToken, bool surfaceErrors = false, string? refusalHint = null)
    {
        var uri = new Uri(ConnectionUri, $"/AdminApi/beta/{Uri.EscapeDataString(TenantId)}/basicinfo('AdminApiState')");
        try
        {
            var call = new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString()) { Kind = RequestKind.AuthorizationOnly };
            using var document = await EntityReader.ReadJsonAsync(Client, call, log, BodyLimits.EntityBytes, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            var isRunning =
                root.TryGetProperty("PropertyName", out var name) && string.Equals(name.GetString(), "AdminApiState", StringComparison.OrdinalIgnoreCase) &&
                root.TryGetProperty("PropertyValue", out var value) && string.Equals(value.GetString(), "Running", StringComparison.OrdinalIgnoreCase);
            return isRunning ? ConnectionState.Connected : ConnectionState.Broken;
        }
        catch (ExoServiceException ex) when (surfaceErrors)
        {
            throw new ExoException(
                $"Signed in{(UserPrincipalName is null ? string.Empty : " as " + UserPrincipalName)}, but the service refused the connection: {ex.Message}{(refusalHint is null || ex.StatusCode is not (401 or 403) ? string.Empty : " " + refusalHint)}",
                "ConnectionRefused", ex.Category, UserPrincipalName ?? Organization, ex);
        }
        catch (Exception ex) when (ex is ExoException or JsonException or InvalidOperationException)
        {
            if (surfaceErrors && ex is ExoException)
            {
                throw;
            }

            return ConnectionState.Broken;
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _cleanups = new();

    /// <summary>
    /// Work to do when the connection goes (Disconnect-ExchangeOnline, a connect that replaces it, Remove-Module): what the
    /// cmdlet layer made for it outside memory, such as the service's help files of -LoadCmdletHelp.
    /// </summary>
    public void WhenDisposed(Action cleanup) => _cleanups.Enqueue(cleanup);

    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        while (_cleanups.TryDequeue(out var cleanup))
        {
            cleanup();
        }

        Client.Tokens.Forget();
        Client.Dispose();
        Log?.Write($"Disconnected {Name}; its tokens are forgotten.");
        Log?.Dispose();
    }
}
