using ExoAdmin.Sandbox.Identity;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Everything the sandbox holds for one tenant: what never changes while it runs (names, ids, the app and its
/// certificate) and the seeded data admins change (<see cref="State"/>, which holds the mailboxes too). The sandbox
/// reset replaces the data whole with a freshly seeded one (<see cref="Reseed"/>); anything added to a tenant that
/// admins can change belongs in <see cref="TenantState"/>, never in a field here, so that a reset cannot miss it.
/// </summary>
internal sealed class SandboxTenant(Tenant tenant, MailboxStore mailboxes, AppRegistration app)
{
    private TenantState _state = new(tenant, mailboxes);

    public Tenant Tenant => tenant;

    public AppRegistration App => app;

    /// <summary>What admins change beside the mailboxes (permissions, groups, auto-replies…), seeded on start.</summary>
    public TenantState State => Volatile.Read(ref _state);

    /// <summary>The current mailboxes (those of <see cref="State"/>: read both from one State when they must agree).</summary>
    public MailboxStore Mailboxes => State.Mailboxes;

    public Guid TenantId => Tenant.TenantId;

    public string Domain => Tenant.Domain;

    /// <summary>
    /// Replaces the tenant's data with a new seed, all at once: a request that already holds the old <see cref="State"/>
    /// finishes on it, every later one sees only the new.
    /// </summary>
    public void Reseed(MailboxStore seeded) => Volatile.Write(ref _state, new TenantState(tenant, seeded));
}

/// <summary>The seeded tenants, found by domain or tenant id as either appears in URLs.</summary>
internal sealed class TenantStore : IDisposable
{
    private readonly Func<Tenant, int, Mailbox[]> _seedMailboxes;

    public TenantStore(IReadOnlyList<SandboxTenant> tenants, int mailboxesPerTenant = 0, Func<Tenant, int, Mailbox[]>? seedMailboxes = null)
    {
        Tenants = tenants;
        StartingMailboxesPerTenant = mailboxesPerTenant;
        MailboxesPerTenant = mailboxesPerTenant;
        _seedMailboxes = seedMailboxes ?? ((tenant, count) => MailboxSeeder.Seed(tenant, count, seed: 1));
    }

    public IReadOnlyList<SandboxTenant> Tenants { get; }

    /// <summary>How many mailboxes each generated tenant had at start (--mailboxes).</summary>
    public int StartingMailboxesPerTenant { get; }

    /// <summary>How many mailboxes each generated tenant has now (the start's, or the last reset's).</summary>
    public int MailboxesPerTenant { get; private set; }

    /// <summary>
    /// Seeds every tenant and registers its app, writing the app certificates to <paramref name="certificateDirectory"/>.
    /// With a <see cref="SeedFile.Current"/>, the first tenant's mailboxes are the file's instead of generated ones.
    /// </summary>
    public static TenantStore Seed(IEnumerable<string> domains, int mailboxesPerTenant, int seed, string certificateDirectory)
    {
        var tenants = domains.Select(Tenant.FromDomain).ToArray();
        var fromFile = SeedFile.Current;
        var firstTenant = tenants.FirstOrDefault();
        Mailbox[] SeedMailboxes(Tenant tenant, int count) =>
            fromFile is not null && ReferenceEquals(tenant, firstTenant) ? fromFile.Build(tenant) : MailboxSeeder.Seed(tenant, count, seed);

        return new TenantStore(
            tenants.AsParallel().AsOrdered()
                .Select(t => new SandboxTenant(t, new MailboxStore(SeedMailboxes(t, mailboxesPerTenant)), AppRegistration.Create(t, certificateDirectory)))
                .ToArray(),
            mailboxesPerTenant,
            SeedMailboxes);
    }

    /// <summary>
    /// Seeds every tenant's data anew, as at start, with <paramref name="mailboxesPerTenant"/> generated mailboxes
    /// (the seed file's tenant keeps the file's); names, ids and apps stay, so signing in works as before.
    /// </summary>
    public void Reseed(int mailboxesPerTenant)
    {
        Tenants.AsParallel().ForAll(t => t.Reseed(new MailboxStore(_seedMailboxes(t.Tenant, mailboxesPerTenant))));
        MailboxesPerTenant = mailboxesPerTenant;
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
