using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http.Transport;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// -ManagedIdentity: Azure.Identity's ManagedIdentityCredential, which finds the host's endpoint from the
/// environment (IDENTITY_ENDPOINT + IDENTITY_HEADER on App Service, Functions and Automation; IMDS on VMs)
/// and caches the token. -ManagedIdentityAccountId names a user-assigned identity by client id, or by resource
/// id when it starts with "/subscriptions/".
/// </summary>
internal sealed class ManagedIdentityTokenProvider : ITokenProvider
{
    private ManagedIdentityCredential? _credential;
    private readonly string[] _scopes;
    private readonly string? _accountId;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeProvider _time;
    private AccessToken? _current;

    /// <param name="time">The clock renewal is decided by (the system clock unless a test gives a virtual one).</param>
    public ManagedIdentityTokenProvider(string resource, string? accountId, SandboxTrust? trust = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        var id = string.IsNullOrEmpty(accountId) ? ManagedIdentityId.SystemAssigned
            : accountId!.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase) ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(accountId))
            : ManagedIdentityId.FromUserAssignedClientId(accountId);
        // The connection's transport, so a sandbox CA (EXOADMIN_SANDBOX_CA_FILE) applies to the identity endpoint too.
        _credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(id) { Transport = new HttpClientTransport(HttpTransport.Create(trust)) });
        _scopes = new[] { resource.TrimEnd('/') + "/.default" };
        _accountId = accountId;
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

        return await AcquireAsync(null, null, cancellationToken).ConfigureAwait(false);
    }

    public Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken) => AcquireAsync(claims, refused, cancellationToken);

    /// <summary>Drops the token and the credential with its own (MSAL) cache; a forgotten provider signs in no more.</summary>
    public void Forget()
    {
        _current = null;
        _credential = null;
    }

    private async Task<AccessToken> AcquireAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another request renewed the refused token while this one waited.
            if (claims is null && refused is not null && AccessToken.RenewedSince(_current, refused, _time.GetUtcNow()) is { } renewed)
            {
                return renewed;
            }

            var credential = _credential ?? throw Failures.NotConnected(null);
            var result = await credential.GetTokenAsync(new TokenRequestContext(_scopes, claims: claims), cancellationToken).ConfigureAwait(false);
            _current = AccessToken.Acquired(result.Token, result.ExpiresOn, JwtPayload.ReadClaim(result.Token, "tid"), _time);
            return _current;
        }
        catch (AuthenticationFailedException ex)
        {
            var who = string.IsNullOrEmpty(_accountId) ? "the system-assigned managed identity" : $"the managed identity {_accountId}";
            throw Failures.Authentication($"Sign-in with {who} failed: {FirstLine(ex.Message)} {Hint(ex is CredentialUnavailableException)}", _accountId, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What to check, most likely first: whether there is an identity here at all, which one was named, and what it may do.</summary>
    private string Hint(bool noIdentityHere)
    {
        var identity = string.IsNullOrEmpty(_accountId)
            ? "Check that this Automation account, VM or Function app has its system-assigned managed identity turned on (its Identity page, Status On) and that the script runs there: a computer outside Azure has none. For a user-assigned identity, name it with -ManagedIdentityAccountId."
            : "Check -ManagedIdentityAccountId: it must be the client id (or the resource id) of a user-assigned identity that is assigned to this Automation account, VM or Function app.";
        if (noIdentityHere && !string.IsNullOrEmpty(_accountId))
        {
            identity = "Check that a managed identity is available where the script runs (Azure Automation, a VM or a Function app; a computer outside Azure has none), and " + identity.Substring("Check ".Length);
        }

        return identity + " Once it signs in, the identity also needs the Exchange.ManageAsApp permission of Office 365 Exchange Online (admin consent granted) and an Exchange role (for example Exchange Administrator) assigned to it.";
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf("See the troubleshooting guide", StringComparison.Ordinal);
        return (cut > 0 ? message.Substring(0, cut) : message).Trim();
    }
}
