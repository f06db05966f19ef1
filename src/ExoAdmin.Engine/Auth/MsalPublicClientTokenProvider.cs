using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>How a user signs in the first time; later tokens come silently from the refresh token.</summary>
internal enum UserSignIn
{
    /// <summary>The system browser, with a loopback redirect and PKCE.</summary>
    Interactive,

    /// <summary>A code the user enters on another device's browser.</summary>
    DeviceCode,

    /// <summary>User name and password (ROPC): no MFA possible, kept for old service accounts.</summary>
    Password,
}

/// <summary>
/// Delegated sign-in through MSAL's public client: interactive, device code or user name and password the first
/// time, then AcquireTokenSilent (the refresh token) whenever the token is due for renewal or a claims challenge
/// comes. The token cache is this instance's own, so nothing outlives the connection.
/// </summary>
internal sealed class MsalPublicClientTokenProvider : ITokenProvider
{
    private readonly IPublicClientApplication _app;
    private readonly string[] _scopes;
    private readonly string _authority;
    private readonly UserSignIn _method;
    private readonly string? _loginHint;
    private string? _password;
    private readonly Action<string> _tell;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TokenCacheVault _cache = new();
    private readonly TimeProvider _time;
    private IAccount? _account;
    private AccessToken? _current;

    public MsalPublicClientTokenProvider(
        string clientId,
        Uri authority,
        string resource,
        UserSignIn method,
        string? loginHint,
        string? password,
        Action<string> tell,
        IMsalHttpClientFactory? httpClientFactory = null,
        TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var builder = PublicClientApplicationBuilder.Create(clientId)
            .WithAuthority(authority.AbsoluteUri, validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithRedirectUri("http://localhost") // MSAL listens on a free loopback port for the system browser's redirect
            .WithLogging((_, _, _) => { }, LogLevel.Error, enablePiiLogging: false, enableDefaultPlatformLogging: false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }

        _app = builder.Build();
        _cache.Bind(_app.UserTokenCache);
        _scopes = new[] { resource.TrimEnd('/') + "/.default" };
        _authority = authority.AbsoluteUri;
        _method = method;
        _loginHint = loginHint;
        _password = password;
        _tell = tell;
    }

    public bool CanRenew => true;

    public AccessToken? Current => _current;

    /// <summary>The signed-in user's name, once signed in.</summary>
    public string? UserName => _account?.Username;

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = _current;
        if (token is not null && !token.NeedsRenewal(_time.GetUtcNow()))
        {
            return token;
        }

        return await AcquireAsync(null, token, force: false, cancellationToken).ConfigureAwait(false);
    }

    public Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken) =>
        AcquireAsync(claims, refused ?? _current, force: refused is null || claims is not null, cancellationToken);

    /// <summary>Entries in this connection's MSAL cache (for tests of Forget).</summary>
    internal int CachedEntries => _cache.EntryCount;

    /// <summary>Drops the token, the refresh token and account (the whole MSAL cache) and the -Credential password.</summary>
    public void Forget()
    {
        _current = null;
        _account = null;
        _password = null;
        _cache.Clear();
    }

    private async Task<AccessToken> AcquireAsync(string? claims, AccessToken? seen, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!force && AccessToken.RenewedSince(_current, seen, _time.GetUtcNow()) is { } renewed)
            {
                return renewed;
            }

            var result = _account is null
                ? await SignInAsync(cancellationToken).ConfigureAwait(false)
                : await RefreshAsync(claims, cancellationToken).ConfigureAwait(false);
            _account = result.Account;
            _current = AccessToken.Acquired(result.AccessToken, result.ExpiresOn, result.TenantId, _time);
            return _current;
        }
        catch (MsalUiRequiredException ex) when (_account is not null)
        {
            // Only a sign-in that once succeeded can fail to renew; a first sign-in's refusal is reported as what it is.
            throw Failures.Authentication(
                $"The sign-in of {_account.Username} can no longer be renewed silently ({ex.ErrorCode}): {MsalFailures.Describe(ex)} Run Connect-ExchangeOnline again.",
                _account.Username, ex);
        }
        catch (Exception ex) when (ex is MsalException or System.Net.Http.HttpRequestException)
        {
            throw MsalFailures.Translate(ex, _authority, _loginHint ?? _app.AppConfig.ClientId, _method == UserSignIn.Password ? PasswordHint(ex) : null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What to do instead when a user name and password cannot sign this account in.</summary>
    private static string? PasswordHint(Exception ex) =>
        ex is MsalServiceException service && MsalFailures.RequiresMfa(service)
            ? "This account must use multi-factor authentication, which a user name and password cannot satisfy: leave out -Credential (or -InlineCredential) to sign in in the browser, or use -Device."
            : null;

    private Task<AuthenticationResult> SignInAsync(CancellationToken cancellationToken)
    {
        switch (_method)
        {
            case UserSignIn.DeviceCode:
                return _app.AcquireTokenWithDeviceCode(_scopes, code =>
                {
                    _tell(code.Message);
                    return Task.CompletedTask;
                }).ExecuteAsync(cancellationToken);
            case UserSignIn.Password:
#pragma warning disable CS0618 // ROPC is deprecated by Microsoft; -Credential exists for old service accounts and warns.
                return _app.AcquireTokenByUsernamePassword(_scopes, _loginHint, _password).ExecuteAsync(cancellationToken);
#pragma warning restore CS0618
            default:
                var interactive = _app.AcquireTokenInteractive(_scopes)
                    .WithUseEmbeddedWebView(false)
                    .WithSystemWebViewOptions(SystemBrowser.Options(_tell));
                if (!string.IsNullOrEmpty(_loginHint))
                {
                    interactive = interactive.WithLoginHint(_loginHint);
                }

                return interactive.ExecuteAsync(cancellationToken);
        }
    }

    private Task<AuthenticationResult> RefreshAsync(string? claims, CancellationToken cancellationToken)
    {
        var silent = _app.AcquireTokenSilent(_scopes, _account).WithForceRefresh(true);
        if (!string.IsNullOrEmpty(claims))
        {
            silent = silent.WithClaims(claims);
        }

        return silent.ExecuteAsync(cancellationToken);
    }
}
