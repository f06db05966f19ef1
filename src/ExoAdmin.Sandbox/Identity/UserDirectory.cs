using System.Security.Cryptography;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>Entra directory role template ids the sandbox knows (the wids claim of user tokens).</summary>
internal static class DirectoryRoles
{
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string ExchangeAdministrator = "29232cdf-9323-42fd-ade2-1d097af3e4de";
    public const string ComplianceAdministrator = "17315797-102d-40b4-93e0-432062caca18";

    /// <summary>Roles that may use Exchange's admin API (and the compliance one).</summary>
    public static readonly string[] ExchangeAdminRoles = [GlobalAdministrator, ExchangeAdministrator, ComplianceAdministrator];

    public static string NameOf(string templateId) => templateId switch
    {
        GlobalAdministrator => "Global Administrator",
        ExchangeAdministrator => "Exchange Administrator",
        ComplianceAdministrator => "Compliance Administrator",
        _ => templateId,
    };
}

/// <summary>
/// A user of a sandbox tenant: password, an optional per-user MFA secret (a TOTP seed, RFC 6238, as an
/// authenticator app holds it) and directory roles.
/// </summary>
internal sealed record DirectoryUser(
    SandboxTenant Home,
    string UserPrincipalName,
    string DisplayName,
    Guid ObjectId,
    string Password,
    byte[]? MfaSecret,
    IReadOnlyList<string> Roles)
{
    public bool RequiresMfa => MfaSecret is not null;

    public bool IsExchangeAdmin => Roles.Any(r => DirectoryRoles.ExchangeAdminRoles.Contains(r));
}

/// <summary>A managed identity whose tokens are issued for a tenant: system-assigned (no client id asked) or user-assigned.</summary>
internal sealed record ManagedIdentity(SandboxTenant Tenant, Guid ClientId, Guid PrincipalId, bool SystemAssigned);

/// <summary>
/// The sandbox's directory beyond app registrations: each tenant's users, its managed identities, and partner
/// (delegated administration) relationships. Seeded per run; passwords and MFA secrets are new each run.
/// Each tenant has three users:
///   admin@    Exchange Administrator, MFA required (interactive and device code sign-in)
///   legacy@   Exchange Administrator, no MFA (the old service account that -Credential is for)
///   helpdesk@ no admin role (signs in, but Exchange refuses it)
/// </summary>
internal sealed class UserDirectory
{
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    // Guarded by _usersLock: New-MailUser and Set-Mailbox -Password add and change accounts while sign-ins read them.
    private readonly Dictionary<string, DirectoryUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _usersLock = new();
    private readonly Dictionary<Guid, ManagedIdentity> _identities = [];
    private readonly HashSet<(Guid Partner, Guid Customer)> _partners = [];

    public UserDirectory(TenantStore tenants, IEnumerable<(string Partner, string Customer)> partnerships)
    {
        foreach (var tenant in tenants.Tenants)
        {
            Add(tenant, "admin", "Exchange Admin", mfa: true, DirectoryRoles.ExchangeAdministrator);
            Add(tenant, "legacy", "Legacy Service Account", mfa: false, DirectoryRoles.ExchangeAdministrator);
            Add(tenant, "helpdesk", "Helpdesk Operator", mfa: false);
            var user = new ManagedIdentity(tenant, NameBasedGuid.Create("user-assigned-identity:" + tenant.Domain), NameBasedGuid.Create("user-assigned-principal:" + tenant.Domain), false);
            _identities[user.ClientId] = user;
        }

        if (tenants.Tenants.Count > 0)
        {
            var first = tenants.Tenants[0];
            SystemIdentity = new ManagedIdentity(first, NameBasedGuid.Create("system-assigned-identity:" + first.Domain), NameBasedGuid.Create("system-assigned-principal:" + first.Domain), true);
        }

        foreach (var (partner, customer) in partnerships)
        {
            var p = tenants.Find(partner) ?? throw new InvalidOperationException($"--partner names an unknown tenant '{partner}'.");
            var c = tenants.Find(customer) ?? throw new InvalidOperationException($"--partner names an unknown tenant '{customer}'.");
            _partners.Add((p.TenantId, c.TenantId));
        }

        IdentityHeader = RandomNumberGenerator.GetHexString(32, lowercase: true);
    }

    public IEnumerable<DirectoryUser> Users
    {
        get
        {
            lock (_usersLock)
            {
                return _users.Values.ToArray();
            }
        }
    }

    public ManagedIdentity? SystemIdentity { get; }

    /// <summary>The secret that App Service style managed-identity callers send as X-IDENTITY-HEADER.</summary>
    public string IdentityHeader { get; }

    public DirectoryUser? FindUser(string userPrincipalName)
    {
        lock (_usersLock)
        {
            return _users.GetValueOrDefault(userPrincipalName.Trim());
        }
    }

    public IEnumerable<DirectoryUser> UsersOf(SandboxTenant tenant) => Users.Where(u => u.Home.TenantId == tenant.TenantId);

    public ManagedIdentity? UserAssignedIdentityOf(SandboxTenant tenant) => _identities.Values.FirstOrDefault(i => i.Tenant.TenantId == tenant.TenantId);

    /// <summary>The identity a managed-identity request names; null client id means the system-assigned one.</summary>
    public ManagedIdentity? FindIdentity(string? clientId) =>
        string.IsNullOrEmpty(clientId) ? SystemIdentity
        : Guid.TryParse(clientId, out var id) ? _identities.GetValueOrDefault(id) ?? (SystemIdentity?.ClientId == id ? SystemIdentity : null)
        : null;

    /// <summary>
    /// Gives an account the password an admin set (New-MailUser -Password, Set-Mailbox -Password), creating the
    /// account without roles or MFA when the tenant has none by that name; it signs in like any other user.
    /// </summary>
    public void SetPassword(SandboxTenant tenant, string userPrincipalName, string displayName, string password)
    {
        lock (_usersLock)
        {
            _users[userPrincipalName] = _users.TryGetValue(userPrincipalName, out var user)
                ? user with { Password = password }
                : new DirectoryUser(tenant, userPrincipalName, displayName, NameBasedGuid.Create("user:" + userPrincipalName), password, null, []);
        }
    }

    /// <summary>Removes an account (Remove-MailUser): it no longer signs in.</summary>
    public void RemoveUser(string userPrincipalName)
    {
        lock (_usersLock)
        {
            _users.Remove(userPrincipalName);
        }
    }

    /// <summary>True when a user of <paramref name="home"/> may act in <paramref name="resource"/>: its own tenant, or a customer of its partner tenant.</summary>
    public bool MayActIn(DirectoryUser user, SandboxTenant resource) =>
        user.Home.TenantId == resource.TenantId || _partners.Contains((user.Home.TenantId, resource.TenantId));

    private void Add(SandboxTenant tenant, string alias, string name, bool mfa, params string[] roles)
    {
        var upn = $"{alias}@{tenant.Domain}";
        _users[upn] = new DirectoryUser(
            tenant,
            upn,
            name,
            NameBasedGuid.Create("user:" + upn),
            RandomNumberGenerator.GetString(PasswordAlphabet, 20),
            mfa ? RandomNumberGenerator.GetBytes(20) : null,
            roles);
    }
}
