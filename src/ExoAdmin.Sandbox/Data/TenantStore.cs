using ExoAdmin.Sandbox.Identity;

namespace ExoAdmin.Sandbox.Data;

/// <summary>Everything the sandbox holds for one tenant.</summary>
internal sealed record SandboxTenant(Tenant Tenant, MailboxStore Mailboxes, AppRegistration App)
{
    /// <summary>What admins change beside the mailboxes (permissions, groups, auto-replies…), seeded on start.</summary>
    public TenantState State { get; } = new(Tenant, Mailboxes);

    /// <summary>
    /// Microsoft 365 groups' mailboxes. The service leaves them out of mailbox lists unless RecipientTypeDetails names
    /// GroupMailbox (Get-EXOMailbox -GroupMailbox); they follow the other mailboxes in paging order.
    /// </summary>
    public IReadOnlyList<Mailbox> GroupMailboxes { get; } = MailboxSeeder.SeedGroupMailboxes(Tenant, Mailboxes);

    public Guid TenantId => Tenant.TenantId;

    public string Domain => Tenant.Domain;
}

/// <summary>The seeded tenants, found by domain or tenant id as either appears in URLs.</summary>
internal sealed class TenantStore : IDisposable
{
    public TenantStore(IReadOnlyList<SandboxTenant> tenants) => Tenants = tenants;

    public IReadOnlyList<SandboxTenant> Tenants { get; }

    /// <summary>
    /// Seeds every tenant and registers its app, writing the app certificates to <paramref name="certificateDirectory"/>.
    /// The first tenant takes what <paramref name="firstTenant"/> gives (mailboxes, permissions, groups from a real
    /// tenant's exports) instead of generated ones; what it had to leave out is told to <paramref name="warn"/>.
    /// </summary>
    public static TenantStore Seed(
        IEnumerable<string> domains, int mailboxesPerTenant, int seed, string certificateDirectory, TenantSeed? firstTenant = null, Action<string>? warn = null)
    {
        var tenants = domains
            .Select((domain, index) => (Tenant: Tenant.FromDomain(domain), Seed: index == 0 ? firstTenant : null))
            .AsParallel().AsOrdered()
            .Select(x => new SandboxTenant(
                x.Tenant,
                new MailboxStore(x.Seed?.Mailboxes?.Build(x.Tenant) ?? MailboxSeeder.Seed(x.Tenant, mailboxesPerTenant, seed)),
                AppRegistration.Create(x.Tenant, certificateDirectory)))
            .ToArray();
        if (firstTenant is not null && tenants.Length > 0)
        {
            foreach (var line in tenants[0].State.Import(tenants[0].Tenant, firstTenant))
            {
                warn?.Invoke(line);
            }
        }

        return new TenantStore(tenants);
    }

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
