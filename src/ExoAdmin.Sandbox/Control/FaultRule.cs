using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Control;

/// <summary>Whether a fault replaces the request (nothing is run or applied) or is served after the request has run.</summary>
internal enum FaultPhase
{
    Before,
    After,
}

/// <summary>The kinds of fault the sandbox can inject, by the names the control endpoint and --fault use.</summary>
internal static class FaultKinds
{
    public const string TooManyRequests = "429";
    public const string ServiceUnavailable = "503";
    public const string InternalServerError = "500";
    public const string Latency = "latency";
    public const string Reset = "reset";
    public const string Truncate = "truncate";
    public const string ExpiredToken = "expired-token";
    public const string ClaimsChallenge = "claims-challenge";
    public const string NonJson = "non-json";
    public const string EmptyBody = "empty-body";
    public const string NoContext = "no-context";
    public const string Oversized = "oversized";
    public const string ForeignNextLink = "foreign-next-link";

    public static readonly IReadOnlyList<string> All =
    [
        TooManyRequests, ServiceUnavailable, InternalServerError, Latency, Reset, Truncate, ExpiredToken, ClaimsChallenge,
        NonJson, EmptyBody, NoContext, Oversized, ForeignNextLink,
    ];

    /// <summary>
    /// Refusals the client may safely resend default to <see cref="FaultPhase.Before"/>: nothing was applied. Every
    /// other kind defaults to <see cref="FaultPhase.After"/>: the service did the work and its answer was lost or
    /// mangled, the ambiguous case a client must not replay blindly.
    /// </summary>
    public static FaultPhase DefaultPhase(string kind) => kind switch
    {
        TooManyRequests or ServiceUnavailable or ExpiredToken or ClaimsChallenge or Latency => FaultPhase.Before,
        _ => FaultPhase.After,
    };
}

/// <summary>
/// One fault rule: what it matches (path glob, method, tenant; all optional and ANDed), which of the matching
/// requests it selects (a seeded rate, the next N, every Nth, or all), and what it serves. Counters are updated with
/// Interlocked only, so matching adds no lock to the request path.
/// </summary>
internal sealed class FaultRule
{
    public const int DefaultRetryAfterSeconds = 1;
    public const int DefaultLatencyMs = 1000;

    /// <summary>Larger than any one object a client should accept (ExoAdmin refuses objects over 16 MiB).</summary>
    public const int DefaultSizeBytes = 32 * 1024 * 1024;

    private static readonly string[] Keys =
        ["kind", "path", "method", "tenant", "rate", "count", "every", "seed", "retryAfterSeconds", "latencyMs", "sizeBytes", "phase"];

    private readonly Regex? _path;
    private long _matched;
    private long _injected;

    private FaultRule(string id, string kind, string? path, string? method, string? tenant, Guid? tenantId)
    {
        Id = id;
        Kind = kind;
        Path = path;
        Method = method;
        Tenant = tenant;
        TenantId = tenantId;
        _path = path is null ? null : new Regex("^" + Regex.Escape(path).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public string Id { get; }

    public string Kind { get; }

    public string? Path { get; }

    public string? Method { get; }

    /// <summary>The tenant as the rule named it (domain or id).</summary>
    public string? Tenant { get; }

    private Guid? TenantId { get; }

    public double? Rate { get; private init; }

    public long? Count { get; private init; }

    public long? Every { get; private init; }

    public int Seed { get; private init; }

    public int RetryAfterSeconds { get; private init; } = DefaultRetryAfterSeconds;

    public int LatencyMs { get; private init; } = DefaultLatencyMs;

    public int SizeBytes { get; private init; } = DefaultSizeBytes;

    public FaultPhase Phase { get; private init; }

    public long Matched => Interlocked.Read(ref _matched);

    public long Injected => Interlocked.Read(ref _injected);

    /// <summary>
    /// Builds a rule from key/value pairs, the common form of the JSON body and of <c>--fault "k=v;k=v"</c>.
    /// </summary>
    /// <param name="tenantId">The id of the served tenant a domain or id names, or null when none is served.</param>
    /// <exception cref="FormatException">An unknown key, a missing kind, or a value out of range; the message says which.</exception>
    public static FaultRule Create(string id, IEnumerable<KeyValuePair<string, string>> pairs, Func<string, Guid?> tenantId)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs)
        {
            var known = Keys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"Unknown fault key '{key}'; the keys are {string.Join(", ", Keys)}.");
            if (!values.TryAdd(known, value))
            {
                throw new FormatException($"The fault key '{known}' is given twice.");
            }
        }

        var kind = values.GetValueOrDefault("kind") is { } k
            ? FaultKinds.All.FirstOrDefault(x => x.Equals(k.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new FormatException($"Unknown fault kind '{k}'; the kinds are {string.Join(", ", FaultKinds.All)}.")
            : throw new FormatException("A fault needs a kind.");

        var path = values.GetValueOrDefault("path") is { Length: > 0 } p
            ? p.StartsWith('/') ? p : throw new FormatException($"A fault path is a glob on the request path and starts with '/', not '{p}'.")
            : null;
        var method = values.GetValueOrDefault("method") is { Length: > 0 } m
            ? m.All(char.IsAsciiLetter) ? m.ToUpperInvariant() : throw new FormatException($"'{m}' is not an HTTP method.")
            : null;
        Guid? tenantMatch = null;
        var tenant = values.GetValueOrDefault("tenant") is { Length: > 0 } t ? t : null;
        if (tenant is not null)
        {
            tenantMatch = tenantId(tenant) ?? throw new FormatException($"The sandbox serves no tenant '{tenant}'.");
        }

        var selections = new[] { "rate", "count", "every" }.Where(values.ContainsKey).ToArray();
        if (selections.Length > 1)
        {
            throw new FormatException($"A fault selects requests by one of rate, count or every, not by {string.Join(" and ", selections)}.");
        }

        var phase = values.GetValueOrDefault("phase") switch
        {
            null => FaultKinds.DefaultPhase(kind),
            var s when s.Equals("before", StringComparison.OrdinalIgnoreCase) => FaultPhase.Before,
            var s when s.Equals("after", StringComparison.OrdinalIgnoreCase) => FaultPhase.After,
            var s => throw new FormatException($"A fault phase is 'before' or 'after', not '{s}'."),
        };

        return new FaultRule(id, kind, path, method, tenant, tenantMatch)
        {
            Rate = values.TryGetValue("rate", out var rate) ? Number("rate", rate, double.Epsilon, 1) : null,
            Count = values.TryGetValue("count", out var count) ? (long)Number("count", count, 1, long.MaxValue, whole: true) : null,
            Every = values.TryGetValue("every", out var every) ? (long)Number("every", every, 1, long.MaxValue, whole: true) : null,
            Seed = values.TryGetValue("seed", out var seed) ? (int)Number("seed", seed, int.MinValue, int.MaxValue, whole: true) : 0,
            RetryAfterSeconds = values.TryGetValue("retryAfterSeconds", out var retryAfter)
                ? (int)Number("retryAfterSeconds", retryAfter, 0, 3600, whole: true)
                : DefaultRetryAfterSeconds,
            LatencyMs = values.TryGetValue("latencyMs", out var latency) ? (int)Number("latencyMs", latency, 0, 600_000, whole: true) : DefaultLatencyMs,
            SizeBytes = values.TryGetValue("sizeBytes", out var size) ? (int)Number("sizeBytes", size, 1, 1 << 30, whole: true) : DefaultSizeBytes,
            Phase = phase,
        };
    }

    /// <summary>The pairs of a JSON object: strings as they are, numbers and booleans as their JSON text.</summary>
    /// <exception cref="FormatException">Not an object, or a value that is an object or array.</exception>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A fault is a JSON object such as {\"kind\":\"429\",\"path\":\"/adminapi/*\",\"rate\":0.1}.");
        }

        return body.EnumerateObject()
            .Where(p => p.Value.ValueKind != JsonValueKind.Null)
            .Select(p => KeyValuePair.Create(p.Name, p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                _ => throw new FormatException($"The fault key '{p.Name}' takes a string or a number."),
            }))
            .ToArray();
    }

    /// <summary>The pairs of a --fault value: "kind=429;path=/adminapi/*;rate=0.1".</summary>
    /// <exception cref="FormatException">A part without '='.</exception>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(string text) =>
        text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.IndexOf('=') is var equals and > 0
                ? KeyValuePair.Create(part[..equals].Trim(), part[(equals + 1)..].Trim())
                : throw new FormatException($"A --fault part is key=value, not '{part}'."))
            .ToArray();

    /// <summary>Whether the request is one this rule is about; <paramref name="path"/> is the decoded request path.</summary>
    public bool Matches(string method, string path, SandboxTenant tenant) =>
        (Method is null || Method.Equals(method, StringComparison.OrdinalIgnoreCase))
        && (TenantId is null || TenantId == tenant.TenantId)
        && (_path is null || _path.IsMatch(path));

    /// <summary>Counts a matching request and returns its 1-based number among this rule's matches.</summary>
    public long CountMatch() => Interlocked.Increment(ref _matched);

    /// <summary>
    /// Whether the <paramref name="match"/>th matching request is selected; if so, it is counted as injected. A count
    /// rule is only used up by requests it is actually injected into, so a request taken by an earlier rule does not
    /// spend it.
    /// </summary>
    public bool TryInject(long match)
    {
        if (Count is { } count)
        {
            while (true)
            {
                var injected = Interlocked.Read(ref _injected);
                if (injected >= count)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _injected, injected + 1, injected) == injected)
                {
                    return true;
                }
            }
        }

        var selected = Rate is { } rate ? Draw(Seed, match) < rate
            : Every is { } every ? match % every == 0
            : true;
        if (selected)
        {
            Interlocked.Increment(ref _injected);
        }

        return selected;
    }

    /// <summary>The rule as the control endpoint lists it, with its counters.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("kind", Kind);
        WriteIf(writer, "path", Path);
        WriteIf(writer, "method", Method);
        WriteIf(writer, "tenant", Tenant);
        if (Rate is { } rate)
        {
            writer.WriteNumber("rate", rate);
            writer.WriteNumber("seed", Seed);
        }

        if (Count is { } count)
        {
            writer.WriteNumber("count", count);
        }

        if (Every is { } every)
        {
            writer.WriteNumber("every", every);
        }

        if (Kind is FaultKinds.TooManyRequests or FaultKinds.ServiceUnavailable)
        {
            writer.WriteNumber("retryAfterSeconds", RetryAfterSeconds);
        }

        if (Kind == FaultKinds.Latency)
        {
            writer.WriteNumber("latencyMs", LatencyMs);
        }

        if (Kind == FaultKinds.Oversized)
        {
            writer.WriteNumber("sizeBytes", SizeBytes);
        }

        writer.WriteString("phase", Phase == FaultPhase.Before ? "before" : "after");
        writer.WriteNumber("matched", Matched);
        writer.WriteNumber("injected", Injected);
        writer.WriteEndObject();
    }

    /// <summary>A number in [0, 1) that depends only on the seed and the match number (SplitMix64).</summary>
    internal static double Draw(int seed, long match)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)match * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    private static double Number(string key, string text, double min, double max, bool whole = false)
    {
        var style = whole ? NumberStyles.AllowLeadingSign : NumberStyles.Float;
        if (!double.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || value < min || value > max || (whole && value != Math.Floor(value)))
        {
            var range = key == "rate" ? "a probability above 0 and at most 1" : $"a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            throw new FormatException($"The fault key '{key}' takes {range}, not '{text}'.");
        }

        return value;
    }

    private static void WriteIf(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
