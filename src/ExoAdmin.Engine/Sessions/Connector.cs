using System;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Http.Transport;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// Connect-ExchangeOnline's and Connect-IPPSSession's work: pick the one sign-in method the parameters name, sign in,
/// find the compliance region (IPPS), check the service answers, register the connection.
/// </summary>
public static class Connector
{
    private static readonly Regex ValidPrefix = new("^[A-Za-z0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>How the connection signs in; exactly one per Connect.</summary>
    internal enum SignInMethod
    {
        Interactive,
        DeviceCode,
        Credential,
        Certificate,
        ManagedIdentity,
        AccessToken,
    }

    /// <param name="alongside">
    /// Work on the new connection that needs only its token (Connect-ExchangeOnline reads EXOModuleFile here): run at the
    /// same time as the ping and the banner, so connecting costs one round trip after sign-in instead of three. The
    /// connection is registered only if both succeed.
    /// </param>
    public static async Task<ExoConnection> ConnectAsync(SessionManager sessions, ConnectRequest request, IOperationSink sink, CancellationToken cancellationToken, Func<ExoConnection, IOperationSink, CancellationToken, Task>? alongside = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var method = Validate(request);
        var retrySettings = RetrySettings.FromEnvironment();
        var resourceRoot = new Uri(request.ConnectionUri.GetLeftPart(UriPartial.Authority));
        // Read at connect, so $env:EXOADMIN_SANDBOX_CA_FILE set in a running session applies to the next connection.
        var trust = SandboxTrust.FromEnvironment();
        if (trust is not null)
        {
            sink.WriteVerbose(trust.Describe());
        }

        // The system clock, except for a test's connection to a sandbox that asks for a movable one.
        var time = SandboxTestClock.For(request.ConnectionUri, request.AuthorityUri, trust);
        var connectionId = Guid.NewGuid().ToString();
        // Opened before signing in, so a sign-in that fails is in the log too.
        var log = request.Log is null ? null : ConnectionLog.Open(request.Log, connectionId, DateTimeOffset.UtcNow);
        log?.Write($"{(request.IsCompliance ? "Connect-IPPSSession" : "Connect-ExchangeOnline")} (ExoAdmin {request.ModuleVersion}): signing in ({method}) at {request.AuthorityUri} for {request.ConnectionUri.GetLeftPart(UriPartial.Authority)}, connection-id {connectionId}.");
        if (log is not null)
        {
            sink.WriteVerbose($"This connection's log: {log.Path}");
        }

        var tokens = CreateTokenProvider(request, method, resourceRoot.AbsoluteUri.TrimEnd('/'), sink, trust, time);
        ExoRestClient? client = null;
        Task<string?>? banner = null;
        Task? side = null;
        try
        {
            var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            sink.WriteDebug($"Connect: signed in ({method}) after {clock.ElapsedMilliseconds} ms.");
            var userPrincipalName = method switch
            {
                SignInMethod.Interactive or SignInMethod.DeviceCode or SignInMethod.Credential => ((MsalPublicClientTokenProvider)tokens).UserName ?? request.UserPrincipalName,
                SignInMethod.AccessToken => request.UserPrincipalName ?? $"OAuthUser@{request.Organization ?? request.DelegatedOrganization}",
                _ => null,
            };
            var tenantId = JwtPayload.ReadClaim(token.Value, "tid") ?? token.TenantId ?? request.Organization ?? request.DelegatedOrganization ?? DomainOf(userPrincipalName)
                ?? throw Failures.Protocol("The token names no tenant (tid), and no -Organization was given to name one.", null);
            var organization = request.Organization ?? request.DelegatedOrganization ?? DomainOf(userPrincipalName);

            var serviceRoot = request.IsCompliance
                ? await ComplianceDiscovery.FindRegionalEndpointAsync(resourceRoot, tenantId, tokens, trust, sink, cancellationToken).ConfigureAwait(false)
                : resourceRoot;

            // §6.2 and §15: app-only and unnamed callers anchor on the system mailbox (APP: where the ConnectionContext hint
            // goes, UPN: on Get-EXO*); users on themselves. -BypassMailboxAnchoring sends none.
            var actsAs = method == SignInMethod.AccessToken ? request.UserPrincipalName : userPrincipalName;
            var (contextAnchor, odataAnchor) = request.BypassMailboxAnchoring ? (null, null) : RoutingHints.For(request.IsCompliance, actsAs, tenantId, organization);
            var headers = new ConnectionHeaders(connectionId, contextAnchor, odataAnchor, request.PowerShellVersion, request.ModuleVersion);
            client = new ExoRestClient(serviceRoot, tokens, headers, HttpTransport.Create(trust), retrySettings, time, request.MaxConcurrency) { Tenant = organization ?? tenantId, TraceLog = log };
            var connection = new ExoConnection(sessions.NextId(), request, serviceRoot, organization, tenantId, userPrincipalName, method == SignInMethod.Certificate, client, log);

            // §1 orders the banner before the module file, but neither depends on the other, nor on the ping: all go at once.
            banner = request.ShowBanner ? ReadBannerAsync(connection, sink, cancellationToken) : Task.FromResult<string?>(null);
            side = alongside is null ? Task.CompletedTask : Task.Run(() => alongside(connection, sink, cancellationToken), cancellationToken);
            await connection.EnsureRunningAsync(sink, cancellationToken, RefusalHint(method)).ConfigureAwait(false);
            await side.ConfigureAwait(false);
            if (await banner.ConfigureAwait(false) is { } text)
            {
                sink.WriteHost(text);
            }

            sink.WriteDebug($"Connect: service checked{(alongside is null ? string.Empty : " and module file read")} after {clock.ElapsedMilliseconds} ms.");

            sessions.Add(connection);
            log?.Write($"Connected to {organization} (tenant {tenantId}){(userPrincipalName is null ? string.Empty : " as " + userPrincipalName)} at {serviceRoot.GetLeftPart(UriPartial.Authority)}: {connection.Name}{(connection.Prefix.Length > 0 ? $" with prefix {connection.Prefix}" : string.Empty)}.");
            sink.WriteVerbose($"Connected to {organization} (tenant {tenantId}){(userPrincipalName is null ? string.Empty : " as " + userPrincipalName)}: {connection.Name}{(connection.Prefix.Length > 0 ? $" with prefix {connection.Prefix}" : string.Empty)}.");
            return connection;
        }
        catch (Exception failure)
        {
            log?.Write($"Connect failed: {failure.Message}");
            // Let the banner and side requests finish before their client goes and the cmdlet ends; the first failure is the one reported.
            foreach (var pending in new Task?[] { banner, side })
            {
                if (pending is null)
                {
                    continue;
                }

                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                }
            }

            tokens.Forget();
            client?.Dispose();
            log?.Dispose();
            throw;
        }
    }

    private static ITokenProvider CreateTokenProvider(ConnectRequest request, SignInMethod method, string resource, IOperationSink sink, SandboxTrust? trust, TimeProvider time)
    {
        var authorityRoot = new Uri(request.AuthorityUri.GetLeftPart(UriPartial.Authority));
        switch (method)
        {
            case SignInMethod.Certificate:
            {
                // App-only sign-in asks the organization's own authority: .../organizations becomes .../contoso.onmicrosoft.com.
                var authority = new Uri(authorityRoot, "/" + Uri.EscapeDataString(request.Organization!));
                sink.WriteVerbose($"Signing in to {authority} as application {request.AppId} with certificate {request.Certificate!.Thumbprint}.");
                return new MsalClientCredentialTokenProvider(request.AppId!, request.Certificate!, authority, resource, new MsalTransport(trust), time);
            }

            case SignInMethod.ManagedIdentity:
                sink.WriteVerbose(string.IsNullOrEmpty(request.ManagedIdentityAccountId)
                    ? "Signing in with the system-assigned managed identity."
                    : $"Signing in with the user-assigned managed identity {request.ManagedIdentityAccountId}.");
                return new ManagedIdentityTokenProvider(resource, request.ManagedIdentityAccountId, trust, time);

            case SignInMethod.AccessToken:
                sink.WriteVerbose("Using the access token given; it is never renewed.");
                return new StaticTokenProvider(request.AccessToken!, time);

            default:
            {
                // A partner's admin signs in at the customer's authority (notes §14).
                var authority = request.DelegatedOrganization is { } customer
                    ? new Uri(authorityRoot, "/" + Uri.EscapeDataString(customer))
                    : request.AuthorityUri;
                var userSignIn = method switch
                {
                    SignInMethod.DeviceCode => UserSignIn.DeviceCode,
                    SignInMethod.Credential => UserSignIn.Password,
                    _ => UserSignIn.Interactive,
                };
                var loginHint = method == SignInMethod.Credential ? request.CredentialUserName : request.UserPrincipalName;
                sink.WriteVerbose($"Signing in to {authority} ({userSignIn}{(loginHint is null ? string.Empty : " as " + loginHint)}).");
                return new MsalPublicClientTokenProvider(
                    request.AppId ?? DefaultPublicClientId,
                    authority,
                    resource,
                    userSignIn,
                    loginHint,
                    request.CredentialPassword is null ? null : Unprotect(request.CredentialPassword),
                    sink.WriteHost,
                    new MsalTransport(trust),
                    time);
            }
        }
    }

    /// <summary>Why the service may refuse a caller that signed in: an app or identity lacks the permission or the role.</summary>
    private static string? RefusalHint(SignInMethod method) => method switch
    {
        SignInMethod.Certificate or SignInMethod.ManagedIdentity =>
            "An app or managed identity needs the Exchange.ManageAsApp application permission of Office 365 Exchange Online (admin consent granted) and an Exchange role (for example Exchange Administrator) assigned to its service principal.",
        SignInMethod.AccessToken => null,
        _ => "The account needs an Exchange role (for example Exchange Administrator, or membership of the Organization Management role group).",
    };

    /// <summary>ExchangeOnlineManagement's public client ("Microsoft Exchange REST API Based Powershell").</summary>
    public const string DefaultPublicClientId = "fb78d390-0c51-40cd-8e17-fdbfab77341b";

    private static string? DomainOf(string? userPrincipalName)
    {
        var at = userPrincipalName?.LastIndexOf('@') ?? -1;
        return at > 0 ? userPrincipalName!.Substring(at + 1) : null;
    }

    private static string Unprotect(System.Security.SecureString secure)
    {
        var pointer = System.Runtime.InteropServices.Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            System.Runtime.InteropServices.Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    internal static SignInMethod Validate(ConnectRequest request)
    {
        RequireHttps(request.ConnectionUri, "ConnectionUri");
        RequireHttps(request.AuthorityUri, "AzureADAuthorizationEndpointUri");
        if (request.PageSize is < 1 or > 1000)
        {
            throw Failures.InvalidArgument($"PageSize must be between 1 and 1000; {request.PageSize} was given.", "InvalidPageSize", request.PageSize);
        }

        if (request.Prefix.Length > 0 && (!ValidPrefix.IsMatch(request.Prefix) || string.Equals(request.Prefix, "EXO", StringComparison.OrdinalIgnoreCase)))
        {
            throw Failures.InvalidArgument($"The prefix '{request.Prefix}' is not valid: use letters and digits only, and not 'EXO', which the built-in Get-EXO* cmdlets already use.", "InvalidPrefix", request.Prefix);
        }

        var given = new System.Collections.Generic.List<(SignInMethod Method, string Parameter)>();
        if (request.Certificate is not null) given.Add((SignInMethod.Certificate, "a certificate"));
        if (request.AccessToken is not null) given.Add((SignInMethod.AccessToken, "-AccessToken"));
        if (request.ManagedIdentity) given.Add((SignInMethod.ManagedIdentity, "-ManagedIdentity"));
        if (request.CredentialUserName is not null) given.Add((SignInMethod.Credential, "-Credential"));
        if (request.Device) given.Add((SignInMethod.DeviceCode, "-Device"));
        if (given.Count > 1)
        {
            throw Failures.InvalidArgument(
                $"Use one way of signing in at a time; {string.Join(" and ", given.ConvertAll(g => g.Parameter))} were given together.",
                "ConflictingSignInParameters", null);
        }

        var method = given.Count == 1 ? given[0].Method : SignInMethod.Interactive;
        if (request.ManagedIdentityAccountId is not null && method != SignInMethod.ManagedIdentity)
        {
            throw Failures.InvalidArgument("-ManagedIdentityAccountId names a user-assigned managed identity; use it with -ManagedIdentity.", "ManagedIdentityAccountIdWithoutManagedIdentity", request.ManagedIdentityAccountId);
        }

        if (request.Organization is not null && Guid.TryParse(request.Organization, out _))
        {
            throw Failures.InvalidArgument("-Organization must be the tenant's domain (for example contoso.onmicrosoft.com), not a GUID.", "OrganizationIsGuid", request.Organization);
        }

        switch (method)
        {
            case SignInMethod.Certificate when string.IsNullOrWhiteSpace(request.AppId) || string.IsNullOrWhiteSpace(request.Organization):
                throw Failures.InvalidArgument("Certificate (app-only) sign-in needs -AppId and -Organization.", "IncompleteAppOnlySignIn", null);
            case SignInMethod.ManagedIdentity when string.IsNullOrWhiteSpace(request.Organization):
                throw Failures.InvalidArgument("Managed identity sign-in needs -Organization (the tenant's domain, for example contoso.onmicrosoft.com).", "IncompleteManagedIdentitySignIn", null);
            case SignInMethod.Certificate or SignInMethod.ManagedIdentity when request.DelegatedOrganization is not null:
                throw Failures.InvalidArgument("-DelegatedOrganization is for a partner's admin signing in as a user; app-only sign-in names the customer tenant with -Organization.", "DelegatedOrganizationWithAppOnly", request.DelegatedOrganization);
            case SignInMethod.AccessToken:
                var named = (request.Organization is null ? 0 : 1) + (request.DelegatedOrganization is null ? 0 : 1) + (request.UserPrincipalName is null ? 0 : 1);
                if (named != 1)
                {
                    throw Failures.InvalidArgument("-AccessToken needs exactly one of -Organization, -DelegatedOrganization or -UserPrincipalName.", "IncompleteAccessTokenSignIn", null);
                }

                if (!JwtPayload.LooksLikeJwt(request.AccessToken!))
                {
                    throw Failures.InvalidArgument("The value of -AccessToken is not a JSON Web Token.", "AccessTokenNotJwt", null);
                }

                break;
        }

        return method;
    }

    private static void RequireHttps(Uri uri, string parameter)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Failures.InvalidArgument($"-{parameter} must be an https URI; '{uri}' is not.", "UriNotHttps", uri.ToString());
        }
    }

    /// <summary>The connect banner; like the original, failures only reach the Verbose stream.</summary>
    private static async Task<string?> ReadBannerAsync(ExoConnection connection, IOperationSink sink, CancellationToken cancellationToken)
    {
        var uri = new Uri(connection.ConnectionUri, $"/AdminApi/v1.0/{Uri.EscapeDataString(connection.TenantId)}/EXOBanner('AutogenSession')?Version={ConnectionHeaders.ProtocolModuleVersion}");
        try
        {
            var call = new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString()) { Kind = RequestKind.AuthorizationOnly };
            using var document = await EntityReader.ReadJsonAsync(connection.Client, call, sink, BodyLimits.EntityBytes, cancellationToken).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.TryGetProperty("sessionType", out var type) && string.Equals(type.GetString(), "AutogenSession", StringComparison.OrdinalIgnoreCase) &&
                root.TryGetProperty("moduleBannerContent", out var content))
            {
                return content.GetString();
            }

            sink.WriteVerbose("No banner content returned by the service.");
            return null;
        }
        catch (Exception ex) when (ex is ExoException or JsonException or InvalidOperationException)
        {
            sink.WriteVerbose($"The banner could not be read: {ex.Message}");
            return null;
        }
    }
}
