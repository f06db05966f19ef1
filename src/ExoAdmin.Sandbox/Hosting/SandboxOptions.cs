using System.Globalization;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>A command line the sandbox cannot run with; Program prints it with the usage and exits 2.</summary>
internal sealed class CommandLineException(string message) : Exception(message);

/// <summary>
/// The serve command line:
/// [--port N] [--single-port] [--instance-discovery] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N] [--ca-dir DIR] [--token-lifetime 3600s] [--page-link-lifetime 30m]
/// [--device-code-interval 5s] [--partner PARTNER:CUSTOMER]... [--throttle-token-endpoint 60s] [--claims-challenge-every N] [--role DOMAIN=ROLE]...
/// [--fault "kind=429;path=/adminapi/*;rate=0.1"]... [--rate-limit REQUESTS/SECONDS] [--undocumented-parameter CMDLET:NAME[:TYPE]]...
/// </summary>
internal sealed record SandboxOptions
{
    public const string DefaultTenant = "contoso.onmicrosoft.com";

    public int Port { get; init; }

    /// <summary>
    /// One listener for everything, Security &amp; Compliance told apart by host name (localhost): --single-port, and
    /// always on 443, since clients that keep only scheme and host of a URI reach nothing else (§18.5).
    /// </summary>
    public bool SinglePort { get; init; }

    /// <summary>
    /// Also answer as login.microsoftonline.com (--instance-discovery): MSAL's instance discovery and Entra ID's
    /// endpoints, the server certificate naming that host, for a hosts-file or resolver mapping to point at.
    /// </summary>
    public bool InstanceDiscovery { get; init; }

    public IReadOnlyList<string> Tenants { get; init; } = [DefaultTenant];

    public int MailboxesPerTenant { get; init; } = 100;

    /// <summary>Delay added to every Exchange-side response (not to Entra endpoints).</summary>
    public int LatencyMs { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Where a CA, and the sandbox's keys (<see cref="Identity.SandboxKeys"/>), are kept across runs; null for a CA and keys of this run only.</summary>
    public string? CaDirectory { get; init; }

    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a next link stays valid (--page-link-lifetime); the service's is 30 minutes (§18.4).</summary>
    public TimeSpan PageLinkLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a device-code client waits between polls (--device-code-interval): Entra's 5 seconds by default; a test
    /// that signs in on the page at once sets 1s, so the client does not wait out most of Entra's interval.
    /// </summary>
    public TimeSpan DeviceCodeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Partner (delegated administration) relationships: the partner tenant's admins may manage the customer.</summary>
    public IReadOnlyList<(string Partner, string Customer)> Partners { get; init; } = [];

    /// <summary>When set, every token request is answered 429 with this Retry-After.</summary>
    public TimeSpan? ThrottleTokenEndpoint { get; init; }

    /// <summary>When set, every Nth accepted Exchange request is refused with a claims challenge.</summary>
    public int? ClaimsChallengeEvery { get; init; }

    /// <summary>Exchange role assignments of tenants' apps (--role DOMAIN=ROLE); unnamed tenants' apps are Organization Management.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fault rules to start with (--fault, repeatable), in the control endpoint's key=value;… form.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];

    /// <summary>
    /// What the first tenant is seeded from instead of the generator (--seed-file, --seed-mailbox-permissions,
    /// --seed-recipient-permissions, --seed-group-members; read by <see cref="Program"/> before the rest).
    /// </summary>
    public TenantSeed? FirstTenantSeed { get; init; }

    /// <summary>Parameters the service has beyond Microsoft's reference (--undocumented-parameter, repeatable).</summary>
    public IReadOnlyList<Catalogue.UndocumentedParameter> UndocumentedParameters { get; init; } = [];

    /// <summary>The per-tenant request budget (--rate-limit N/S); null for the generous default.</summary>
    public Control.RateBudget? RateLimit { get; init; }

    /// <summary>Options that take no value.</summary>
    private static readonly IReadOnlySet<string> Switches = new HashSet<string>(StringComparer.Ordinal) { "--single-port", "--instance-discovery" };


    /// <exception cref="CommandLineException">An unknown option or a bad value.</exception>
    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        var tenants = new List<string>();
        var partners = new List<(string, string)>();
        var roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var faults = new List<string>();
        var undocumented = new List<Catalogue.UndocumentedParameter>();
        foreach (var (name, value) in CommandLine.Pairs(args, Switches))
        {
            switch (name)
            {
                case "--single-port":
                    options = options with { SinglePort = true };
                    break;
                case "--instance-discovery":
                    options = options with { InstanceDiscovery = true };
                    break;
                case "--tenant":
                    tenants.Add(CommandLine.TenantDomain(value));
                    break;
                case "--port":
                    options = options with { Port = CommandLine.Integer(name, value, 0, 65535) };
                    break;
                case "--mailboxes":
                    options = options with { MailboxesPerTenant = CommandLine.Integer(name, value, 0, 10_000_000) };
                    break;
                case "--latency-ms":
                    options = options with { LatencyMs = CommandLine.Integer(name, value, 0, 600_000) };
                    break;
                case "--seed":
                    options = options with { Seed = CommandLine.Integer(name, value, int.MinValue, int.MaxValue) };
                    break;
                case "--ca-dir":
                    options = options with { CaDirectory = Path.GetFullPath(value) };
                    break;
                case "--role":
                    var equals = value.IndexOf('=');
                    var role = equals < 0 ? null : Exchange.ManagementRoles.Find(value[(equals + 1)..]);
                    roles[equals < 0 ? value : CommandLine.TenantDomain(value[..equals])] = role
                        ?? throw new CommandLineException($"--role takes DOMAIN=ROLE with ROLE one of {string.Join(", ", Exchange.ManagementRoles.Names)}.");
                    break;
                case "--token-lifetime":
                    options = options with { TokenLifetime = CommandLine.Duration(name, value) };
                    break;
                case "--page-link-lifetime":
                    options = options with { PageLinkLifetime = CommandLine.Duration(name, value) };
                    break;
                case "--device-code-interval":
                    options = options with { DeviceCodeInterval = CommandLine.Duration(name, value) };
                    break;
                case "--partner":
                    var pair = value.Split(':');
                    partners.Add(pair.Length == 2
                        ? (CommandLine.TenantDomain(pair[0]), CommandLine.TenantDomain(pair[1]))
                        : throw new CommandLineException($"--partner needs PARTNER:CUSTOMER tenant domains, not '{value}'."));
                    break;
                case "--throttle-token-endpoint":
                    options = options with { ThrottleTokenEndpoint = CommandLine.Duration(name, value) };
                    break;
                case "--fault":
                    faults.Add(value);
                    break;
                case "--rate-limit":
                    try
                    {
                        options = options with { RateLimit = Control.RateBudget.Parse(value) };
                    }
                    catch (FormatException e)
                    {
                        throw new CommandLineException("--rate-limit: " + e.Message);
                    }

                    break;
                case "--undocumented-parameter":
                    try
                    {
                        undocumented.Add(Catalogue.UndocumentedParameter.Parse(value));
                    }
                    catch (FormatException e)
                    {
                        throw new CommandLineException("--undocumented-parameter " + e.Message);
                    }

                    break;
                case "--claims-challenge-every":
                    options = options with { ClaimsChallengeEvery = CommandLine.Integer(name, value, 1, int.MaxValue) };
                    break;
                default:
                    throw new CommandLineException($"Unknown option '{name}'.");
            }
        }

        if (tenants.Distinct(StringComparer.OrdinalIgnoreCase).Count() != tenants.Count)
        {
            throw new CommandLineException("A tenant is named twice.");
        }

        options = options with { Partners = partners, Roles = roles, Faults = faults, UndocumentedParameters = undocumented };
        if (undocumented.Count > 0)
        {
            try
            {
                // Checked against the catalogue now, so a mistyped cmdlet is a command-line error and not a broken module file.
                _ = Catalogue.CmdletCatalogue.Load().With(undocumented);
            }
            catch (FormatException e)
            {
                throw new CommandLineException("--undocumented-parameter: " + e.Message);
            }
        }

        var known = tenants.Count == 0 ? [DefaultTenant] : tenants;
        foreach (var fault in faults)
        {
            try
            {
                Control.FaultRule.Create("f", Control.FaultRule.Pairs(fault), name =>
                    known.Select(Tenant.FromDomain).FirstOrDefault(t => t.Domain.Equals(name, StringComparison.OrdinalIgnoreCase) || (Guid.TryParse(name, out var id) && id == t.TenantId))?.TenantId);
            }
            catch (FormatException e)
            {
                throw new CommandLineException("--fault: " + e.Message);
            }
        }

        if (partners.Any(p => !known.Contains(p.Item1) || !known.Contains(p.Item2)))
        {
            throw new CommandLineException("--partner names a tenant that is not served (add it with --tenant).");
        }

        if (options.Port == 443)
        {
            options = options with { SinglePort = true };
        }

        return tenants.Count == 0 ? options : options with { Tenants = tenants };
    }
}

/// <summary>The export command line: export --tenant DOMAIN --mailboxes N [--seed S].</summary>
internal sealed record ExportOptions(string Tenant, int Mailboxes, int Seed)
{
    public static ExportOptions Parse(IReadOnlyList<string> args)
    {
        string? tenant = null;
        int? mailboxes = null;
        var seed = 1;
        foreach (var (name, value) in CommandLine.Pairs(args))
        {
            switch (name)
            {
                case "--tenant":
                    tenant = CommandLine.TenantDomain(value);
                    break;
                case "--mailboxes":
                    mailboxes = CommandLine.Integer(name, value, 0, 10_000_000);
                    break;
                case "--seed":
                    seed = CommandLine.Integer(name, value, int.MinValue, int.MaxValue);
                    break;
                default:
                    throw new CommandLineException($"Unknown export option '{name}'.");
            }
        }

        return new ExportOptions(
            tenant ?? throw new CommandLineException("export needs --tenant."),
            mailboxes ?? throw new CommandLineException("export needs --mailboxes."),
            seed);
    }
}

/// <summary>Shared pieces of both command lines: "--name value" or "--name=value" pairs and value parsers.</summary>
internal static class CommandLine
{
    /// <param name="switches">Options that take no value; each is given as (name, "true").</param>
    public static IEnumerable<(string Name, string Value)> Pairs(IReadOnlyList<string> args, IReadOnlySet<string>? switches = null)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new CommandLineException($"Unexpected argument '{arg}'.");
            }

            var equals = arg.IndexOf('=');
            if (switches?.Contains(arg) == true)
            {
                yield return (arg, "true");
            }
            else if (equals > 0)
            {
                yield return (arg[..equals], arg[(equals + 1)..]);
            }
            else if (i + 1 < args.Count)
            {
                yield return (arg, args[++i]);
            }
            else
            {
                throw new CommandLineException($"Option '{arg}' needs a value.");
            }
        }
    }

    public static int Integer(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new CommandLineException($"{name} needs a whole number from {min} to {max}, not '{value}'.");

    /// <summary>"3600s", "60m", "1h" or plain seconds.</summary>
    public static TimeSpan Duration(string name, string value)
    {
        var unit = value.Length > 0 && char.IsAsciiLetter(value[^1]) ? char.ToLowerInvariant(value[^1]) : 's';
        var digits = char.IsAsciiLetter(value.LastOrDefault()) ? value[..^1] : value;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            throw new CommandLineException($"{name} needs a positive duration such as 3600s, 60m or 1h, not '{value}'.");
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => throw new CommandLineException($"{name}: unknown unit '{unit}' (use s, m or h)."),
        };
    }

    public static string TenantDomain(string value) =>
        Tenant.IsValidDomain(value)
            ? value.ToLowerInvariant()
            : throw new CommandLineException($"--tenant needs a tenant's initial domain such as {SandboxOptions.DefaultTenant}, not '{value}'.");
}
