using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The Exchange side of the sandbox: every request that is not an Entra endpoint lands here. Each response,
/// errors included, carries a request-id and waits --latency-ms; then the path is parsed and the token checked,
/// the tenant's request budget spent (<see cref="RateLimiter"/>: Rate-Limit-* headers on every answer, 429 when
/// it is used up), and the request handed to its resource through the <see cref="FaultInjector"/>, which may
/// serve a fault instead of or after it.
/// </summary>
internal sealed class ExchangeApi(
    ServiceBehaviour behaviour, SandboxUrls urls, TenantStore tenants, AccessTokenValidator tokens, RateLimiter rateLimiter, FaultInjector faults,
    PageLinks pageLinks, IEnumerable<IExchangeResource> resources)
{
    private readonly Dictionary<string, IExchangeResource> _resources = resources.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    public async Task HandleAsync(HttpContext context)
    {
        faults.Observe(context);
        if (behaviour.Current.LatencyMs is > 0 and var latency)
        {
            await Task.Delay(latency, context.RequestAborted);
        }

        await HandleInnerAsync(context);
    }

    /// <summary>A request without the latency wait: the body of <see cref="HandleAsync"/>, and each request inside a $batch (<see cref="BatchResource"/>).</summary>
    internal async Task HandleInnerAsync(HttpContext context)
    {
        context.Response.Headers["request-id"] = Guid.NewGuid().ToString();
        try
        {
            await DispatchAsync(context);
        }
        catch (ExchangeErrorException e) when (!context.Response.HasStarted)
        {
            await e.Error.WriteAsync(context.Response);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var (rawPath, rawQuery) = RawTarget(context);
        if (!ExchangeRequestTarget.TryParse(rawPath, out var target))
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(Uri.UnescapeDataString(rawPath)));
        }

        var tenant = tenants.Find(target.TenantSegment);
        if (await tokens.ValidateAsync(context.Request.Headers.Authorization, tenant) is { } rejection)
        {
            // A refused token spends nothing, but the answer still shows the tenant's budget.
            if (tenant is not null)
            {
                rateLimiter.Peek(tenant).WriteHeaders(context.Response);
            }

            await ChallengeAsync(context.Response, urls.ConnectionUri, rejection);
            return;
        }

        var budget = rateLimiter.Take(tenant!);
        budget.WriteHeaders(context.Response);
        if (!budget.Allowed)
        {
            var retryAfter = budget.RetryAfterSeconds(rateLimiter.Now);
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ExchangeErrors.TooManyRequests(budget.Limit, retryAfter).WriteAsync(context.Response);
            return;
        }

        await faults.RunAsync(new ExchangeRequest(context, target, tenant!, ODataQuery.Parse(rawQuery), pageLinks), ServeAsync);
    }

    /// <summary>The resource's answer, errors included (so a fault served after it sees the whole of it).</summary>
    private async Task ServeAsync(ExchangeRequest request)
    {
        try
        {
            var target = request.Target;
            if (!_resources.TryGetValue(target.Resource, out var resource))
            {
                throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(target.Resource));
            }

            if (!HttpMethods.Equals(resource.Method, request.Http.Request.Method))
            {
                throw new ExchangeErrorException(ExchangeErrors.MethodNotAllowed(request.Http.Request.Method, target.Resource));
            }

            await resource.HandleAsync(request);
        }
        catch (ExchangeErrorException e) when (!request.Response.HasStarted)
        {
            await e.Error.WriteAsync(request.Response);
        }
    }

    /// <summary>
    /// 401 with what clients react to: WWW-Authenticate (with the claims of a challenge), and x-ms-diagnostics whose
    /// 2000002 code means "expired, get a new token". The reason is a fixed sentence, so no part of the token is echoed.
    /// </summary>
    internal static async Task ChallengeAsync(HttpResponse response, string realm, TokenRejection rejection)
    {
        var claims = rejection.Claims is null ? string.Empty : $", claims=\"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(rejection.Claims))}\"";
        response.Headers.WWWAuthenticate = $"Bearer realm=\"{realm}\", error=\"invalid_token\", error_description=\"{rejection.Reason}\"{claims}";
        response.Headers["x-ms-diagnostics"] = $"{rejection.DiagnosticCode};reason=\"{rejection.Reason}\";error_category=\"invalid_token\"";
        await ExchangeErrors.InvalidToken(rejection.Reason).WriteAsync(response);
    }

    /// <summary>The path and query exactly as the client sent them (no decoding).</summary>
    private static (string Path, string Query) RawTarget(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            raw = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
        }

        var question = raw.IndexOf('?');
        return question < 0 ? (raw, string.Empty) : (raw[..question], raw[(question + 1)..]);
    }
}
