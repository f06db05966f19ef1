using ExoAdmin.Sandbox.Identity;

namespace ExoAdmin.Sandbox.Data;

/// <summary>Everything the sandbox holds for one tenant.</summary>
internal sealed record SandboxTenant(Tenant Tenant, MailboxStore Mailboxes, AppRegistration App)
{
    /// <summary>What admins change beside the mailboxes (permissions, groups, auto-replies…), seeded on start.</summary>
    public TenantState State { get; } = new(Tenant, Mailboxes);

    public Guid TenantId => Tenant.TenantId;

    public string Domain => Tenant.Domain;
}

/// <summary>The seeded tenants, found by domain or tenant id as either appears in URLs.</summary>
internal sealed class TenantStore : IDisposable
{
    public TenantStore(IReadOnlyList<SandboxTenant> tenants) => Tenants = tenants;

    public IReadOnlyList<SandboxTenant> Tenants { get; }

    /// <summary>Seeds every tenant and registers its app, writing the app certificates to <paramref name="certificateDirectory"/>.</summary>
    public static TenantStore Seed(IEnumerable<string> domains, int mailboxesPerTenant, int seed, string certificateDirectory) =>
        new(domains
            .Select(Tenant.FromDomain)
            .AsParallel().AsOrdered()
            .Select(tenant => new SandboxTenant(
                tenant,
                new MailboxStore(MailboxSeeder.Seed(tenant, mailboxesPerTenant, seed)),
                AppRegistration.Create(tenant, certificateDirectory)))
            .ToArray());

    /// <summary>The tenant a URL segment names: its domain or its tenant id (case-insensitive).</summary>
    public SandboxTenant? Find(string segment) =>
        Guid.TryParse(segment, out var tenantId)
            ? Tenants.FirstOrDefault(t => t.TenantId == tenantId)
            : Tenants.FirstOrDefault(t => string.Equals(t.Domain, segment, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        foreach (var tenant in Tenants)
        {
            tenant.App.Dispose();
        }
    }
}
