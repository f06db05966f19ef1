using System.Collections.Concurrent;
using System.Security.Cryptography;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// A sign-in in progress, started by GET /authorize or by a device-code request, finished on the sign-in page.
/// <see cref="ResourceSegment"/> is the authority's tenant segment (organizations, a domain or a tenant id).
/// </summary>
internal sealed class SignInFlow
{
    public required string Id { get; init; }

    public required string ResourceSegment { get; init; }

    public required string ClientId { get; init; }

    public required string Scope { get; init; }

    public string? RedirectUri { get; init; }

    public string? State { get; init; }

    public string? CodeChallenge { get; init; }

    public string? CodeChallengeMethod { get; init; }

    public string? Nonce { get; init; }

    public string? LoginHint { get; init; }

    /// <summary>"query" (a 302 with the code in the URL) or "form_post" (a page that POSTs it), as the client asked.</summary>
    public string ResponseMode { get; init; } = "query";

    /// <summary>Set for device-code flows: the device code this sign-in approves.</summary>
    public DeviceAuthorization? Device { get; init; }

    /// <summary>Set once the password was right, while the second factor is asked.</summary>
    public DirectoryUser? PasswordVerified { get; set; }

    public DateTimeOffset ExpiresOn { get; init; } = DateTimeOffset.UtcNow.AddMinutes(15);
}

/// <summary>What a finished sign-in grants: a user, acting in a tenant, for a client and scope.</summary>
internal sealed record Grant(DirectoryUser User, SandboxTenant ResourceTenant, string ClientId, string Scope, string? Nonce);

/// <summary>An authorization code waiting to be redeemed, with its PKCE challenge.</summary>
internal sealed record AuthorizationCode(Grant Grant, string RedirectUri, string? CodeChallenge, string? CodeChallengeMethod, DateTimeOffset ExpiresOn);

/// <summary>A device-code request: pending until the user signs in on the verification page.</summary>
internal sealed class DeviceAuthorization
{
    public required string DeviceCode { get; init; }

    public required string UserCode { get; init; }

    public required string ResourceSegment { get; init; }

    public required string ClientId { get; init; }

    public required string Scope { get; init; }

    public required DateTimeOffset ExpiresOn { get; init; }

    public Grant? Approved { get; set; }

    public string? DeniedReason { get; set; }

    public bool Redeemed { get; set; }
}

/// <summary>In-memory state of delegated sign-ins: flows, codes, device codes and refresh tokens.</summary>
internal sealed class SignInStore : Control.IResettable
{
    private const string UserCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private readonly ConcurrentDictionary<string, SignInFlow> _flows = new();
    private readonly ConcurrentDictionary<string, AuthorizationCode> _codes = new();
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _devices = new();
    private readonly ConcurrentDictionary<string, DeviceAuthorization> _devicesByUserCode = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Grant> _refreshTokens = new();

    public static string NewSecret(int bytes = 32) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(bytes));

    public SignInFlow AddFlow(SignInFlow flow) => _flows[flow.Id] = flow;

    public SignInFlow? FindFlow(string? id) =>
        id is not null && _flows.TryGetValue(id, out var flow) && flow.ExpiresOn > DateTimeOffset.UtcNow ? flow : null;

    public void RemoveFlow(SignInFlow flow) => _flows.TryRemove(flow.Id, out _);

    public string IssueCode(AuthorizationCode code)
    {
        var value = NewSecret();
        _codes[value] = code;
        return value;
    }

    /// <summary>Codes are single use: redeeming removes it whether or not the rest of the request is right.</summary>
    public AuthorizationCode? RedeemCode(string code) =>
        _codes.TryRemove(code, out var found) && found.ExpiresOn > DateTimeOffset.UtcNow ? found : null;

    public DeviceAuthorization AddDevice(string resourceSegment, string clientId, string scope, TimeSpan lifetime)
    {
        var device = new DeviceAuthorization
        {
            DeviceCode = NewSecret(),
            UserCode = RandomNumberGenerator.GetString(UserCodeAlphabet, 9),
            ResourceSegment = resourceSegment,
            ClientId = clientId,
            Scope = scope,
            ExpiresOn = DateTimeOffset.UtcNow + lifetime,
        };
        _devices[device.DeviceCode] = device;
        _devicesByUserCode[device.UserCode] = device;
        return device;
    }

    public DeviceAuthorization? FindDevice(string deviceCode) => _devices.GetValueOrDefault(deviceCode);

    public DeviceAuthorization? FindDeviceByUserCode(string? userCode) =>
        userCode is not null && _devicesByUserCode.TryGetValue(userCode.Trim().Replace("-", string.Empty, StringComparison.Ordinal), out var device)
        && device.ExpiresOn > DateTimeOffset.UtcNow && device.Approved is null && device.DeniedReason is null
            ? device
            : null;

    public string IssueRefreshToken(Grant grant)
    {
        var value = NewSecret(48);
        _refreshTokens[value] = grant;
        return value;
    }

    /// <summary>Refresh tokens rotate: the old one is spent when a new one is issued.</summary>
    public Grant? RedeemRefreshToken(string token) => _refreshTokens.TryRemove(token, out var grant) ? grant : null;

    /// <summary>The sandbox reset: every sign-in in progress, code, device code and refresh token is forgotten.</summary>
    public void Reset()
    {
        _flows.Clear();
        _codes.Clear();
        _devices.Clear();
        _devicesByUserCode.Clear();
        _refreshTokens.Clear();
    }
}
