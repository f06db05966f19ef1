using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// App-only sign-in with a certificate: MSAL's confidential client signs the client assertion
/// and talks to the token endpoint; this class decides when to renew.
/// </summary>
internal sealed class MsalClientCredentialTokenProvider : ITokenProvider
{
    private readonly IConfidentialClientApplication _app;
    private readonly string[] _scopes;
    private readonly string _authority;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TokenCacheVault _cache = new();
    private readonly TimeProvider _time;
    private AccessToken? _current;

    /// <param name="time">The clock renewal is decided by (the system clock unless a test gives a virtual one).</param>
    public MsalClientCredentialTokenProvider(string appId, X509Certificate2 certificate, Uri authority, string resource, IMsalHttpClientFactory? httpClientFactory = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var builder = ConfidentialClientApplicationBuilder.Create(appId)
            .WithCertificate(certificate)
            // The authority is given explicitly (and may be a sandbox): no discovery round trip.
            .WithAuthority(authority.AbsoluteUri, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithLogging((_, _, _) => { }, LogLevel.Error, enablePiiLogging: false, enableDefaultPlatformLogging: false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        _app = builder.Build();
        _cache.Bind(_app.AppTokenCache); // client credentials use the app cache only
        _scopes = new[] { resource.TrimEnd('/') + "/.default" };
        _authority = authority.AbsoluteUri;
    }

    public bool CanRenew => true;

    public AccessToken? Current => _current;

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = _current;
        if (token is not null && !token.NeedsRenewal(_time.GetUtcNow()))
        {
            return token;
        }

        return await AcquireAsync(null, token, cancellationToken).ConfigureAwait(false);
    }

    public Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken) =>
        AcquireAsync(claims, refused ?? _current, cancellationToken, force: refused is null || claims is not null);

    /// <summary>Entries in this connection's MSAL cache (for tests of Forget).</summary>
    internal int CachedEntries => _cache.EntryCount;

    public void Forget()
    {
        // The app's token cache lives only in the vault (no shared cache is configured): clearing it and the last
        // token forgets everything; the certificate stays with whoever passed it.
        _current = null;
        _cache.Clear();
    }

    private async Task<AccessToken> AcquireAsync(string? claims, AccessToken? seen, CancellationToken cancellationToken, bool force = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have renewed while this one waited.
            if (!force && AccessToken.RenewedSince(_current, seen, _time.GetUtcNow()) is { } renewed)
            {
                return renewed;
            }

            var request = _app.AcquireTokenForClient(_scopes).WithForceRefresh(true);
            if (!string.IsNullOrEmpty(claims))
            {
                request = request.WithClaims(claims);
            }

            var result = await request.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            _current = AccessToken.Acquired(result.AccessToken, result.ExpiresOn, result.TenantId, _time);
            return _current;
        }
        catch (Exception ex) when (ex is MsalException or System.Net.Http.HttpRequestException)
        {
            throw MsalFailures.Translate(ex, _authority, _app.AppConfig.ClientId);
        }
        finally
        {
            _gate.Release();
        }
    }
}
