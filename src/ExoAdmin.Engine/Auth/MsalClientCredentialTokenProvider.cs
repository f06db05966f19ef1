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
    private AccessToken? _current;

    public MsalClientCredentialTokenProvider(string appId, X509Certificate2 certificate, Uri authority, string resource)
    {
        _app = ConfidentialClientApplicationBuilder.Create(appId)
            .WithCertificate(certificate)
            // The authority is given explicitly (and may be a sandbox): no discovery round trip.
            .WithAuthority(authority.AbsoluteUri, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithLogging((_, _, _) => { }, LogLevel.Error, enablePiiLogging: false, enableDefaultPlatformLogging: false)
            .Build();
        _scopes = new[] { resource.TrimEnd('/') + "/.default" };
        _authority = authority.AbsoluteUri;
    }

    public AccessToken? Current => _current;

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = _current;
        if (token is not null && !token.NeedsRenewal(DateTimeOffset.UtcNow))
        {
            return token;
        }

        return await AcquireAsync(null, token, cancellationToken).ConfigureAwait(false);
    }

    public Task<AccessToken> RenewAsync(string? claims, CancellationToken cancellationToken) =>
        AcquireAsync(claims, _current, cancellationToken, force: true);

    public void Forget()
    {
        // The app's token cache is private to this instance (no shared cache is configured), so
        // dropping the last token and the provider itself forgets everything.
        _current = null;
    }

    private async Task<AccessToken> AcquireAsync(string? claims, AccessToken? seen, CancellationToken cancellationToken, bool force = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have renewed while this one waited.
            if (!force && _current is not null && !ReferenceEquals(_current, seen) && !_current.NeedsRenewal(DateTimeOffset.UtcNow))
            {
                return _current;
            }

            var request = _app.AcquireTokenForClient(_scopes).WithForceRefresh(true);
            if (!string.IsNullOrEmpty(claims))
            {
                request = request.WithClaims(claims);
            }

            var result = await request.ExecuteAsync(cancellationToken).ConfigureAwait(false);
            _current = new AccessToken(result.AccessToken, result.ExpiresOn, result.TenantId);
            return _current;
        }
        catch (MsalServiceException ex)
        {
            throw Failures.Authentication(DescribeServiceError(ex), _app.AppConfig.ClientId, ex);
        }
        catch (MsalClientException ex)
        {
            throw Failures.Authentication($"Sign-in failed: {ex.Message}", _app.AppConfig.ClientId, ex);
        }
        catch (System.Net.Http.HttpRequestException ex)
        {
            throw Failures.Connection($"Could not reach the sign-in endpoint: {ex.Message}", _authority, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string DescribeServiceError(MsalServiceException ex)
    {
        // Entra's description starts with the AADSTS code admins search for; drop its trace lines.
        var message = ex.Message;
        var cut = message.IndexOf("Trace ID:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message.Substring(0, cut).TrimEnd();
        }

        return $"Sign-in failed ({ex.ErrorCode}): {message}";
    }
}
