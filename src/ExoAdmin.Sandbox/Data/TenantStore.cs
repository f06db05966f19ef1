using ExoAdmin.Sandbox.Identity;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Everything the sandbox holds for one tenant: what never changes while it runs (names, ids, the app and its
/// certificate) and its seeded data (<see cref="State"/> with the mailboxes, and the group mailboxes that follow
/// them). The sandbox reset replaces the seeded data whole (<see cref="Reseed"/>); anything added to a tenant that is
/// seeded or that admins change belongs in <see cref="Seeded"/> or <see cref="TenantState"/>, never in a field of its
/// own here, so that a reset cannot miss it (ResetTests.A_reseeded_tenant_keeps_only_its_identity checks).
/// </summary>
internal sealed class SandboxTenant
{
    private Seeded _seeded;

    public SandboxTenant(Tenant tenant, MailboxStore mailboxes, AppRegistration app, TenantSeed? seed = null, Action<string>? warn = null)
    {
        Tenant = tenant;
        App = app;
        _seeded = Seed(tenant, mailboxes, seed, warn);
    }

    public Tenant Tenant { get; }

    public AppRegistration App { get; }

    /// <summary>What admins change beside the mailboxes (permissions, groups, auto-replies…), seeded on start.</summary>
    public TenantState State => Volatile.Read(ref _seeded).State;

    /// <summary>The current mailboxes (those of <see cref="State"/>: read both from one State when they must agree).</summary>
    public MailboxStore Mailboxes => State.Mailboxes;

    /// <summary>
    /// Microsoft 365 groups' mailboxes. The service leaves them out of mailbox lists unless RecipientTypeDetails names
    /// GroupMailbox (Get-EXOMailbox -GroupMailbox); they follow the other mailboxes in paging order.
    /// </summary>
    public IReadOnlyList<Mailbox> GroupMailboxes => Volatile.Read(ref _seeded).GroupMailboxes;

    public Guid TenantId => Tenant.TenantId;

    public string Domain => Tenant.Domain;

    /// <summary>
    /// Replaces the tenant's seeded data with a new seed, all at once: a request that already holds the old
    /// <see cref="State"/> finishes on it, every later one sees only the new.
    /// </summary>
    public void Reseed(MailboxStore mailboxes, TenantSeed? seed = null) => Volatile.Write(ref _seeded, Seed(Tenant, mailboxes, seed, warn: null));

    /// <summary>The state made from the mailboxes and, for a tenant seeded from a real one's exports, what else they hold.</summary>
    private static Seeded Seed(Tenant tenant, MailboxStore mailboxes, TenantSeed? seed, Action<string>? warn)
    {
        var state = new TenantState(tenant, mailboxes);
        if (seed is not null)
        {
            foreach (var line in state.Import(tenant, seed))
            {
                warn?.Invoke(line);
            }
        }

        return new Seeded(state, MailboxSeeder.SeedGroupMailboxes(tenant, mailboxes));
    }

    /// <summary>A tenant's seeded data, replaced as one.</summary>
    private sealed record Seeded(TenantState State, IReadOnlyList<Mailbox> GroupMailboxes);
}

/// <summary>The seeded tenants, found by domain or tenant id as either appears in URLs.</summary>
internal sealed class TenantStore : IDisposable
{
    private readonly int _seed;
    private readonly TenantSeed? _firstTenantSeed;

    public TenantStore(IReadOnlyList<SandboxTenant> tenants, int mailboxesPerTenant = 0, int seed = 1, TenantSeed? firstTenantSeed = null)
    {
        Tenants = tenants;
        StartingMailboxesPerTenant = mailboxesPerTenant;
        MailboxesPerTenant = mailboxesPerTenant;
        _seed = seed;
        _firstTenantSeed = firstTenantSeed;
    }

    public IReadOnlyList<SandboxTenant> Tenants { get; }

    /// <summary>How many mailboxes each generated tenant had at start (--mailboxes).</summary>
    public int StartingMailboxesPerTenant { get; }

    /// <summary>How many mailboxes each generated tenant the last reset asked for has now (the start's if none was made).</summary>
    public int MailboxesPerTenant { get; private set; }

    /// <summary>
    /// Seeds every tenant and registers its app on its key from <paramref name="keys"/>, writing the app certificates to <paramref name="certificateDirectory"/>.
    /// The first tenant takes what <paramref name="firstTenant"/> gives (mailboxes, permissions, groups from a real
    /// tenant's exports) instead of generated ones; what it had to leave out is told to <paramref name="warn"/>.
    /// </summary>
    public static TenantStore Seed(
        IEnumerable<string> domains, int mailboxesPerTenant, int seed, string certificateDirectory, SandboxKeys keys, TenantSeed? firstTenant = null, Action<string>? warn = null)
    {
        var tenants = domains
            .Select((domain, index) => (Tenant: Tenant.FromDomain(domain), Seed: index == 0 ? firstTenant : null))
            .AsParallel().AsOrdered()
            .Select(x => new SandboxTenant(
                x.Tenant, Mailboxes(x.Tenant, x.Seed, mailboxesPerTenant, seed), AppRegistration.Create(x.Tenant, certificateDirectory, keys), x.Seed, warn))
            .ToArray();
        return new TenantStore(tenants, mailboxesPerTenant, seed, firstTenant);
    }

    /// <summary>
    /// Seeds every tenant's data anew, as at start: the <paramref name="asked"/> ones (all when null) with
    /// <paramref name="mailboxesPerTenant"/> generated mailboxes, the others with as many as at start, so a big tenant
    /// asked for costs no big tenants nobody reads (a tenant seeded from exports gets theirs again); names, ids and apps
    /// stay, so signing in works as before.
    /// </summary>
    public void Reseed(int mailboxesPerTenant, IReadOnlyCollection<SandboxTenant>? asked = null)
    {
        Tenants.Select((tenant, index) => (Tenant: tenant, Seed: index == 0 ? _firstTenantSeed : null)).AsParallel()
            .ForAll(x => x.Tenant.Reseed(
                Mailboxes(x.Tenant.Tenant, x.Seed, asked is null || asked.Contains(x.Tenant) ? mailboxesPerTenant : StartingMailboxesPerTenant, _seed), x.Seed));
        MailboxesPerTenant = mailboxesPerTenant;
    }

    private static MailboxStore Mailboxes(Tenant tenant, TenantSeed? seed, int count, int randomSeed) =>
        new(seed?.Mailboxes?.Build(tenant) ?? MailboxSeeder.Seed(tenant, count, randomSeed));

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
