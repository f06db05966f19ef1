using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// The options of how the service behaves that a reset may set anew, so that one running sandbox serves test files
/// that need them (a restart costs seconds each time): the delay before every Exchange response, the lifetime of the
/// tokens it issues, a claims challenge every N accepted requests, a throttled token endpoint, how long a next link
/// lives, how long device-code clients wait between polls, and the management role each tenant grants the caller. They start as the
/// command line set them; <c>POST /_sandbox/reset</c> sets them back to that, then applies the command-line options
/// its body names (<see cref="Parse"/>). The set is one immutable record swapped whole: a request never sees half of
/// a reset.
/// </summary>
internal sealed class ServiceBehaviour(SandboxOptions start) : IResettable
{
    /// <summary>The command-line options a reset may set; every other one is fixed at start (ports, tenants, seeds, roles…).</summary>
    public static readonly IReadOnlySet<string> ResettableOptions = new HashSet<string>(StringComparer.Ordinal)
    {
        "--latency-ms", "--token-lifetime", "--claims-challenge-every", "--throttle-token-endpoint", "--page-link-lifetime", "--device-code-interval", "--role",
    };

    private Settings _current = Settings.From(start);

    public Settings Current => Volatile.Read(ref _current);

    public void Reset() => Volatile.Write(ref _current, Settings.From(start));

    /// <summary>Sets the behaviour as at start, with the given options (already checked by <see cref="Parse"/>) on top.</summary>
    public void Set(Settings settings) => Volatile.Write(ref _current, settings);

    /// <summary>
    /// The behaviour at start with these command-line options on top, read and checked exactly as the command line is.
    /// </summary>
    /// <exception cref="FormatException">An option a reset cannot set, or a bad value.</exception>
    public Settings Parse(IReadOnlyList<string> arguments)
    {
        SandboxOptions given;
        try
        {
            // Every option the sandbox takes starts with "--", and no value of these ones does (a switch has no value).
            var fixedAtStart = arguments.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal) && !ResettableOptions.Contains(a));
            if (fixedAtStart is not null)
            {
                throw new CommandLineException($"'{fixedAtStart}' is set only when the sandbox starts; a reset sets {string.Join(", ", ResettableOptions)}.");
            }

            given = SandboxOptions.Parse(arguments);
        }
        catch (CommandLineException e)
        {
            throw new FormatException(e.Message, e);
        }

        var named = CommandLine.Pairs(arguments).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var atStart = Settings.From(start);
        return new Settings(
            named.Contains("--latency-ms") ? given.LatencyMs : atStart.LatencyMs,
            named.Contains("--token-lifetime") ? given.TokenLifetime : atStart.TokenLifetime,
            named.Contains("--claims-challenge-every") ? given.ClaimsChallengeEvery : atStart.ClaimsChallengeEvery,
            named.Contains("--throttle-token-endpoint") ? given.ThrottleTokenEndpoint : atStart.ThrottleTokenEndpoint,
            named.Contains("--page-link-lifetime") ? given.PageLinkLifetime : atStart.PageLinkLifetime,
            named.Contains("--device-code-interval") ? given.DeviceCodeInterval : atStart.DeviceCodeInterval,
            // Roles are per tenant: those named replace the start's for their tenant, the others stay.
            atStart.Roles.Concat(given.Roles).GroupBy(r => r.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase));
    }

    /// <param name="LatencyMs">The delay before every Exchange response (--latency-ms).</param>
    /// <param name="TokenLifetime">The lifetime of the access tokens issued (--token-lifetime).</param>
    /// <param name="ClaimsChallengeEvery">A claims challenge instead of every Nth accepted request, or none (--claims-challenge-every).</param>
    /// <param name="ThrottleTokenEndpoint">The Retry-After of a token endpoint that refuses every request, or null (--throttle-token-endpoint).</param>
    /// <param name="PageLinkLifetime">How long a next link stays valid (--page-link-lifetime).</param>
    /// <param name="DeviceCodeInterval">How long device-code clients wait between polls (--device-code-interval).</param>
    /// <param name="Roles">The management role group each tenant grants (--role DOMAIN=ROLE); OrganizationManagement where none is named.</param>
    internal sealed record Settings(
        int LatencyMs, TimeSpan TokenLifetime, int? ClaimsChallengeEvery, TimeSpan? ThrottleTokenEndpoint, TimeSpan PageLinkLifetime,
        TimeSpan DeviceCodeInterval, IReadOnlyDictionary<string, string> Roles)
    {
        public static Settings From(SandboxOptions options) =>
            new(options.LatencyMs, options.TokenLifetime, options.ClaimsChallengeEvery, options.ThrottleTokenEndpoint, options.PageLinkLifetime,
                options.DeviceCodeInterval, options.Roles);

        public string RoleOf(Data.SandboxTenant tenant) => Roles.GetValueOrDefault(tenant.Domain) ?? Exchange.ManagementRoles.OrganizationManagement;
    }
}
