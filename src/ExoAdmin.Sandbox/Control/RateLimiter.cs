using System.Globalization;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>A request budget: <see cref="Limit"/> requests per <see cref="Window"/>.</summary>
internal sealed record RateBudget(int Limit, TimeSpan Window)
{
    /// <summary>Generous enough never to disturb tests or benchmarks, so only the headers show it.</summary>
    public static readonly RateBudget Default = new(1_000_000, TimeSpan.FromSeconds(60));

    /// <summary>"600/60": requests per seconds.</summary>
    /// <exception cref="FormatException">Not N/S with N and S positive whole numbers.</exception>
    public static RateBudget Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 86_400
            ? new RateBudget(limit, TimeSpan.FromSeconds(seconds))
            : throw new FormatException($"A rate limit is REQUESTS/SECONDS such as 600/60, not '{text}'.");
    }
}

/// <summary>What the limiter decided for one request: allowed or not, and what the Rate-Limit-* headers say.</summary>
internal readonly record struct RateDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset Reset)
{
    public const string ExhaustedReason = "TenantRequestBudgetExceeded";

    /// <summary>Whole seconds until the window ends, at least 1: the Retry-After of a refusal.</summary>
    public int RetryAfterSeconds(DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((Reset - now).TotalSeconds));

    public void WriteHeaders(HttpResponse response)
    {
        response.Headers["Rate-Limit-Limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["Rate-Limit-Remaining"] = Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["Rate-Limit-Reset"] = Reset.ToString("o", CultureInfo.InvariantCulture);
        if (!Allowed)
        {
            response.Headers["Rate-Limit-Reason"] = ExhaustedReason;
        }
    }
}

/// <summary>
/// The per-tenant request budget Exchange Online enforces: each tenant may make a number of requests per fixed
/// window (the window starts with the first request after the previous one ended); beyond it requests are refused
/// with 429 until the window ends. Every tenant has its own bucket with its own small lock, held for a few
/// instructions, so tenants never wait on each other and no request waits on a slow one.
/// </summary>
internal sealed class RateLimiter : IResettable
{
    private readonly Dictionary<Guid, Bucket> _buckets;
    private readonly RateBudget _configured;
    private readonly TimeProvider _time;
    private volatile RateBudget _default;
    private long _refused;

    public RateLimiter(TenantStore tenants, SandboxOptions options, TimeProvider? time = null)
    {
        _configured = options.RateLimit ?? RateBudget.Default;
        _default = _configured;
        _time = time ?? TimeProvider.System;
        _buckets = tenants.Tenants.ToDictionary(t => t.TenantId, _ => new Bucket());
    }

    /// <summary>The budget of tenants without their own.</summary>
    public RateBudget DefaultBudget => _default;

    /// <summary>Tenants with a budget of their own.</summary>
    public IEnumerable<(Guid TenantId, RateBudget Budget)> TenantBudgets =>
        _buckets.Where(b => b.Value.Own is not null).Select(b => (b.Key, b.Value.Own!));

    /// <summary>Requests refused since start (or the last stats reset).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Takes one request from the tenant's budget.</summary>
    public RateDecision Take(SandboxTenant tenant)
    {
        var decision = _buckets[tenant.TenantId].Take(this, _time.GetUtcNow(), take: true);
        if (!decision.Allowed)
        {
            Interlocked.Increment(ref _refused);
        }

        return decision;
    }

    public void ResetStats() => Interlocked.Exchange(ref _refused, 0);

    /// <summary>The tenant's budget as it stands, without spending any (for answers to requests that are refused anyway).</summary>
    public RateDecision Peek(SandboxTenant tenant) => _buckets[tenant.TenantId].Take(this, _time.GetUtcNow(), take: false);

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Sets the budget of one tenant, or the default of all tenants without their own; their windows start over.</summary>
    public void Set(RateBudget budget, SandboxTenant? tenant)
    {
        if (tenant is not null)
        {
            _buckets[tenant.TenantId].Restart(budget);
            return;
        }

        _default = budget;
        foreach (var bucket in _buckets.Values)
        {
            bucket.Restart(bucket.Own);
        }
    }

    /// <summary>
    /// Back to the budget the sandbox was started with (--rate-limit, else the default) for every tenant, every window
    /// starting over; the refused count is kept (see <see cref="ResetStats"/>).
    /// </summary>
    public void Reset()
    {
        _default = _configured;
        foreach (var bucket in _buckets.Values)
        {
            bucket.Restart(null);
        }
    }

    /// <summary>The sandbox reset: budgets and windows as at start, and no request refused yet.</summary>
    void IResettable.Reset()
    {
        Reset();
        ResetStats();
    }

    private sealed class Bucket
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _windowEnd = DateTimeOffset.MinValue;
        private int _used;

        /// <summary>This tenant's own budget, or null for the default.</summary>
        public RateBudget? Own { get; private set; }

        public RateDecision Take(RateLimiter limiter, DateTimeOffset now, bool take)
        {
            var budget = Own ?? limiter._default;
            lock (_gate)
            {
                if (now >= _windowEnd)
                {
                    if (!take)
                    {
                        return new RateDecision(true, budget.Limit, budget.Limit, now + budget.Window);
                    }

                    _windowEnd = now + budget.Window;
                    _used = 0;
                }

                if (!take)
                {
                    return new RateDecision(_used < budget.Limit, budget.Limit, budget.Limit - _used, _windowEnd);
                }

                if (_used >= budget.Limit)
                {
                    return new RateDecision(false, budget.Limit, 0, _windowEnd);
                }

                _used++;
                return new RateDecision(true, budget.Limit, budget.Limit - _used, _windowEnd);
            }
        }

        public void Restart(RateBudget? own)
        {
            lock (_gate)
            {
                Own = own;
                _windowEnd = DateTimeOffset.MinValue;
                _used = 0;
            }
        }
    }
}
