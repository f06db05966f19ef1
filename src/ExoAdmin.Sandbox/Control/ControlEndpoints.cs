using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// The sandbox's own control operations, under <c>/_sandbox/</c> on the main listener: things a test or benchmark
/// asks of the sandbox itself rather than of Exchange or Entra. Every call must carry the run's control key
/// (printed in the ready line as <c>control.key</c>) in the <c>X-Sandbox-Control-Key</c> header; a missing or
/// wrong key is 401 and changes nothing. No latency is added here. Bodies are JSON; a bad one is 400 with
/// <c>{"error":"invalid_request","error_description":"…"}</c>.
/// <list type="bullet">
/// <item><c>GET /_sandbox/stats</c>: <c>{"total":N,"inFlight":n,"requests":{"GET /path('*')":n,…},"faults":{"429":n,…},"rateLimited":n,"tokensToForeignHost":n}</c>
/// (see <see cref="RequestCounter"/>); <c>DELETE</c> sets every count back to zero (204).</item>
/// <item><c>POST /_sandbox/faults</c> adds a rule (201 with the rule and its id); <c>GET</c> lists them with their
/// matched and injected counts; <c>DELETE /_sandbox/faults</c> removes all, <c>DELETE /_sandbox/faults/{id}</c> one
/// (see <see cref="FaultInjector"/>).</item>
/// <item><c>GET /_sandbox/idle[?timeoutMs=N]</c>: answers <c>{"idle":true,"inFlight":0}</c> once no request is being
/// answered (at once if none is), or after N ms (default 30 s) <c>{"idle":false,"inFlight":n}</c>.</item>
/// <item><c>GET|PUT|DELETE /_sandbox/rate-limit</c>: the per-tenant budget (see <see cref="RateLimiter"/>).</item>
/// <item><c>GET /_sandbox/audit[?tenant=&amp;cmdlet=]</c>: the changes applied (see <see cref="AuditLog"/>); <c>DELETE</c> empties it.</item>
/// <item><c>POST /_sandbox/reset</c> with an optional body <c>{"mailboxes":N,"tenants":["…",…],"arguments":["--latency-ms","300",…]}</c>:
/// the sandbox as it started, so that one sandbox serves many test files: every tenant seeded anew (with N generated
/// mailboxes each, default as many as at start; when "tenants" names some, only those get N and the others as many as
/// at start), and faults, budgets, the audit log, counters, sign-ins, revoked tokens
/// and the service's behaviour as at start (every <see cref="IResettable"/>), then the behaviour options the arguments
/// name applied as if given at start (<see cref="ServiceBehaviour"/>: latency, token lifetime, claims challenges, a
/// throttled token endpoint, next links' lifetime, the device-code poll interval, roles). Names, ids, apps, users, certificates and the control key stay. Answers 200 with
/// <c>{"mailboxes":N,"tenants":[{"organization":"…","mailboxes":n},…]}</c>.</item>
/// <item><c>GET /_sandbox/export?tenant=DOMAIN&amp;mailboxes=N[&amp;seed=S]</c>: a tenant's seeded mailboxes as the export
/// command prints them (see <see cref="SeedExportEndpoint"/>).</item>
/// <item><c>GET /_sandbox/clock</c>: <c>{"now":"…","offsetSeconds":n}</c>, the sandbox's time and how far it is from the real
/// one; <c>PUT</c> with <c>{"offsetSeconds":n}</c> moves it (see <see cref="SandboxClock"/>): tokens it issued expire at
/// once for the service, or it issues tokens already expired; the reset sets it back to zero.</item>
/// </list>
/// </summary>
internal sealed class ControlEndpoints(
    RequestCounter counter, FaultInjector faults, RateLimiter rateLimiter, AuditLog audit, TenantStore tenants, SandboxClock clock,
    ServiceBehaviour behaviour, IEnumerable<IResettable> resettables)
{
    /// <summary>The longest GET /_sandbox/idle waits: ten minutes.</summary>
    private const int MaxIdleWaitMs = 600_000;

    /// <summary>The most mailboxes a reset may seed per tenant, as many as --mailboxes allows.</summary>
    private const int MaxMailboxes = 10_000_000;

    public const string PathPrefix = "/_sandbox";
    public const string KeyHeader = "X-Sandbox-Control-Key";

    /// <summary>The run's control key: 32 random hex digits, new on every start.</summary>
    public string Key { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public void Map(WebApplication app)
    {
        var control = app.MapGroup(PathPrefix).AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext.Request)
                ? await next(context)
                : Results.Json(new { error = "unauthorized", error_description = $"The control endpoint needs the run's key in {KeyHeader}." }, statusCode: StatusCodes.Status401Unauthorized));
        control.MapGet("/stats", Stats);
        control.MapDelete("/stats", () =>
        {
            counter.Reset();
            faults.ResetStats();
            rateLimiter.ResetStats();
            return Results.NoContent();
        });

        control.MapPost("/faults", (Delegate)AddFault);
        control.MapGet("/faults", (HttpContext context) => WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray("faults");
            foreach (var rule in faults.Rules)
            {
                rule.WriteTo(writer);
            }

            writer.WriteEndArray();
        }));
        control.MapDelete("/faults", () =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        control.MapDelete("/faults/{id}", (string id) => faults.Remove(id)
            ? Results.NoContent()
            : Invalid($"There is no fault '{id}'.", StatusCodes.Status404NotFound));

        control.MapGet("/rate-limit", RateLimit);
        control.MapPut("/rate-limit", (Delegate)SetRateLimit);
        control.MapDelete("/rate-limit", () =>
        {
            rateLimiter.Reset();
            return Results.NoContent();
        });

        control.MapGet("/idle", (Delegate)IdleAsync);
        control.MapPost("/reset", (Delegate)ResetAsync);
        control.MapGet("/clock", Clock);
        control.MapPut("/clock", (Delegate)SetClockAsync);

        control.MapGet("/export", (Delegate)SeedExportEndpoint.HandleAsync);
        control.MapGet("/audit", (Delegate)Audit);
        control.MapDelete("/audit", () =>
        {
            audit.Clear();
            return Results.NoContent();
        });
    }

    /// <summary>Counts the request unless it is a control call.</summary>
    public void Observe(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            counter.Count(request);
        }
    }

    private Task Stats(HttpContext context) => WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
    {
        writer.WriteNumber("total", counter.Total);
        writer.WriteNumber("inFlight", counter.InFlight);
        writer.WriteStartObject("requests");
        foreach (var (shape, count) in counter.Snapshot())
        {
            writer.WriteNumber(shape, count);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("faults");
        foreach (var (kind, count) in faults.InjectedByKind())
        {
            writer.WriteNumber(kind, count);
        }

        writer.WriteEndObject();
        writer.WriteNumber("rateLimited", rateLimiter.Refused);
        writer.WriteNumber("tokensToForeignHost", faults.TokensToForeignHost);
    });

    private async Task<IResult> AddFault(HttpContext context)
    {
        FaultRule rule;
        try
        {
            using var body = await ReadBodyAsync(context.Request);
            rule = faults.Add(FaultRule.Pairs(body.RootElement));
        }
        catch (FormatException e)
        {
            return Invalid(e.Message);
        }

        context.Response.Headers.Location = $"{PathPrefix}/faults/{rule.Id}";
        // The rule as it now stands, id first: {"id":"f1","kind":…}.
        await WriteValueAsync(context.Response, StatusCodes.Status201Created, rule.WriteTo);
        return Results.Empty;
    }

    private Task RateLimit(HttpContext context) => WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
    {
        writer.WriteNumber("limit", rateLimiter.DefaultBudget.Limit);
        writer.WriteNumber("windowSeconds", (long)rateLimiter.DefaultBudget.Window.TotalSeconds);
        writer.WriteStartArray("tenants");
        foreach (var (tenantId, budget) in rateLimiter.TenantBudgets)
        {
            writer.WriteStartObject();
            writer.WriteString("tenant", tenants.Tenants.Single(t => t.TenantId == tenantId).Domain);
            writer.WriteNumber("limit", budget.Limit);
            writer.WriteNumber("windowSeconds", (long)budget.Window.TotalSeconds);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    private async Task<IResult> SetRateLimit(HttpContext context)
    {
        try
        {
            using var body = await ReadBodyAsync(context.Request);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("A rate limit is {\"limit\":600,\"windowSeconds\":60,\"tenant\":\"…\"} (tenant optional).");
            }

            var unknown = root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("limit" or "windowSeconds" or "tenant"));
            if (unknown is not null)
            {
                throw new FormatException($"Unknown rate-limit key '{unknown}'; the keys are limit, windowSeconds and tenant.");
            }

            var limit = root.TryGetProperty("limit", out var l) && l.TryGetInt32(out var n) && n > 0
                ? n
                : throw new FormatException("A rate limit needs \"limit\", a positive whole number of requests.");
            var window = root.TryGetProperty("windowSeconds", out var w) && w.TryGetInt32(out var s) && s is > 0 and <= 86_400
                ? s
                : throw new FormatException("A rate limit needs \"windowSeconds\", a whole number of seconds from 1 to 86400.");
            SandboxTenant? tenant = null;
            if (root.TryGetProperty("tenant", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                tenant = (t.ValueKind == JsonValueKind.String ? tenants.Find(t.GetString()!) : null)
                    ?? throw new FormatException($"The sandbox serves no tenant {t.GetRawText()}.");
            }

            rateLimiter.Set(new RateBudget(limit, TimeSpan.FromSeconds(window)), tenant);
        }
        catch (FormatException e)
        {
            return Invalid(e.Message);
        }

        await RateLimit(context);
        return Results.Empty;
    }

    /// <summary>Answers once the sandbox answers no other request, or after timeoutMs (default 30 s) with what is still in flight.</summary>
    private async Task<IResult> IdleAsync(HttpContext context)
    {
        var timeout = context.Request.Query["timeoutMs"].ToString() is { Length: > 0 } text
            ? int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms <= MaxIdleWaitMs
                ? ms
                : -1
            : 30_000;
        if (timeout < 0)
        {
            return Invalid($"timeoutMs is a whole number of milliseconds from 0 to {MaxIdleWaitMs}.");
        }

        var idle = counter.WhenIdleAsync();
        try
        {
            await idle.WaitAsync(TimeSpan.FromMilliseconds(timeout), clock, context.RequestAborted);
        }
        catch (TimeoutException)
        {
        }

        await WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteBoolean("idle", idle.IsCompleted);
            writer.WriteNumber("inFlight", counter.InFlight);
        });
        return Results.Empty;
    }

    private async Task<IResult> ResetAsync(HttpContext context)
    {
        var mailboxes = tenants.StartingMailboxesPerTenant;
        List<SandboxTenant>? asked = null;
        ServiceBehaviour.Settings? settings = null;
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var body = await ReadBodyAsync(context.Request);
                var root = body.RootElement;
                if (root.ValueKind != JsonValueKind.Object || root.EnumerateObject().Any(p => p.Name is not ("mailboxes" or "tenants" or "arguments")))
                {
                    throw new FormatException("A reset takes {\"mailboxes\":N,\"tenants\":[\"contoso.onmicrosoft.com\",…],\"arguments\":[\"--latency-ms\",\"300\",…]} (each optional) or no body.");
                }

                if (root.TryGetProperty("tenants", out var t))
                {
                    asked = t.ValueKind == JsonValueKind.Array && t.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                        ? t.EnumerateArray().Select(e => tenants.Find(e.GetString()!) ?? throw new FormatException($"'{e.GetString()}' is not a tenant of this sandbox.")).ToList()
                        : throw new FormatException("\"tenants\" is a list of the sandbox's tenant domains (or ids).");
                }

                if (root.TryGetProperty("mailboxes", out var m))
                {
                    mailboxes = m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var n) && n is >= 0 and <= MaxMailboxes
                        ? n
                        : throw new FormatException($"\"mailboxes\" is a whole number from 0 to {MaxMailboxes}.");
                }

                if (root.TryGetProperty("arguments", out var a))
                {
                    settings = a.ValueKind == JsonValueKind.Array && a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
                        ? behaviour.Parse(a.EnumerateArray().Select(e => e.GetString()!).ToArray())
                        : throw new FormatException("\"arguments\" is a list of command-line strings, as the sandbox takes them.");
                }
            }
            catch (FormatException e)
            {
                return Invalid(e.Message);
            }
        }

        tenants.Reseed(mailboxes, asked);
        foreach (var resettable in resettables)
        {
            resettable.Reset();
        }

        if (settings is not null)
        {
            behaviour.Set(settings);
        }

        await WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteNumber("mailboxes", mailboxes);
            writer.WriteStartArray("tenants");
            foreach (var tenant in tenants.Tenants)
            {
                writer.WriteStartObject();
                writer.WriteString("organization", tenant.Domain);
                writer.WriteNumber("mailboxes", tenant.Mailboxes.Count);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
        return Results.Empty;
    }

    private Task Clock(HttpContext context) => WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
    {
        writer.WriteString("now", clock.GetUtcNow());
        writer.WriteNumber("offsetSeconds", clock.Offset.TotalSeconds);
    });

    private async Task<IResult> SetClockAsync(HttpContext context)
    {
        try
        {
            using var body = await ReadBodyAsync(context.Request);
            var root = body.RootElement;
            clock.Offset = root.ValueKind == JsonValueKind.Object && root.EnumerateObject().All(p => p.Name == "offsetSeconds")
                && root.TryGetProperty("offsetSeconds", out var offset) && offset.ValueKind == JsonValueKind.Number
                && offset.TryGetDouble(out var seconds) && Math.Abs(seconds) <= 366 * 86_400
                    ? TimeSpan.FromSeconds(seconds)
                    : throw new FormatException("The clock takes {\"offsetSeconds\":n}, n seconds from the real time (at most a year either way).");
        }
        catch (FormatException e)
        {
            return Invalid(e.Message);
        }

        await Clock(context);
        return Results.Empty;
    }

    private async Task<IResult> Audit(HttpContext context)
    {
        SandboxTenant? tenant = null;
        if (context.Request.Query["tenant"].ToString() is { Length: > 0 } named)
        {
            tenant = tenants.Find(named);
            if (tenant is null)
            {
                return Invalid($"The sandbox serves no tenant '{named}'.");
            }
        }

        var cmdlet = context.Request.Query["cmdlet"].ToString() is { Length: > 0 } c ? c : null;
        var entries = audit.Entries(tenant, cmdlet);
        await WriteJsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray("entries");
            foreach (var entry in entries)
            {
                entry.WriteTo(writer);
            }

            writer.WriteEndArray();
        });
        return Results.Empty;
    }

    private static IResult Invalid(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error = "invalid_request", error_description = message }, statusCode: status);

    /// <exception cref="FormatException">The body is not JSON.</exception>
    private static async Task<JsonDocument> ReadBodyAsync(HttpRequest request)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            throw new FormatException("The body is not valid JSON.");
        }
    }

    /// <summary>Writes one JSON object whose members <paramref name="writeMembers"/> writes.</summary>
    private static Task WriteJsonAsync(HttpResponse response, int status, Action<Utf8JsonWriter> writeMembers) =>
        WriteValueAsync(response, status, writer =>
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        });

    private static async Task WriteValueAsync(HttpResponse response, int status, Action<Utf8JsonWriter> writeValue)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(response.BodyWriter, JsonDefaults.WriterOptions);
        writeValue(writer);
        await writer.FlushAsync();
    }

    private bool Authorized(HttpRequest request)
    {
        var given = request.Headers[KeyHeader].ToString();
        return given.Length == Key.Length
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(Key));
    }
}
