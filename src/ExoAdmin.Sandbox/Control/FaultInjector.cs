using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// Serves the faults tests ask for (<c>/_sandbox/faults</c>, <c>--fault</c>) on the Exchange side: every
/// authenticated Exchange request (OData resources, InvokeCommand, $batch, the module endpoints, on the Exchange
/// and compliance listeners) passes through <see cref="RunAsync"/>, the only place faults are decided.
/// <para>
/// For each request the rules are walked in the order they were added. Every rule that matches counts the match;
/// latency rules that select it all add their delay; the first other rule that selects it is served. A fault in
/// phase <see cref="FaultPhase.Before"/> replaces the request: the resource never runs, so nothing is applied. In
/// phase <see cref="FaultPhase.After"/> the request runs to completion with its response kept in memory (a change
/// is applied and audited), and then the fault is served instead of, or made from, that response.
/// </para>
/// With no rules a request costs one array read.
/// </summary>
internal sealed class FaultInjector : IResettable
{
    private const string HtmlErrorPage =
        "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Service Unavailable</h1>" +
        "<p>The server is temporarily unable to service your request. Please try again later.</p></body></html>";

    private readonly TenantStore _tenants;
    private readonly AccessTokenValidator _tokens;
    private readonly SandboxUrls _urls;
    private readonly IReadOnlyList<string> _startingFaults;
    private readonly Lock _gate = new();
    private readonly long[] _injectedByKind = new long[FaultKinds.All.Count];
    private volatile FaultRule[] _rules = [];
    private long _nextId;
    private long _tokensToForeignHost;

    public FaultInjector(TenantStore tenants, AccessTokenValidator tokens, SandboxUrls urls, SandboxOptions options)
    {
        _tenants = tenants;
        _tokens = tokens;
        _urls = urls;
        _startingFaults = options.Faults;
        AddStartingFaults();
    }

    public IReadOnlyList<FaultRule> Rules => _rules;

    /// <summary>Faults injected since start (or the last stats reset), by kind, in <see cref="FaultKinds.All"/> order.</summary>
    public IEnumerable<KeyValuePair<string, long>> InjectedByKind() =>
        FaultKinds.All.Select((kind, i) => KeyValuePair.Create(kind, Interlocked.Read(ref _injectedByKind[i])));

    /// <summary>Exchange requests with a bearer token that arrived at the host a foreign-next-link fault pointed to.</summary>
    public long TokensToForeignHost => Interlocked.Read(ref _tokensToForeignHost);

    /// <exception cref="FormatException">The rule is not valid; the message says why.</exception>
    public FaultRule Add(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        lock (_gate)
        {
            var rule = FaultRule.Create("f" + (_nextId + 1).ToString(CultureInfo.InvariantCulture), pairs, name => _tenants.Find(name)?.TenantId);
            _nextId++;
            _rules = [.. _rules, rule];
            return rule;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
            if (rule is null)
            {
                return false;
            }

            _rules = _rules.Where(r => r != rule).ToArray();
            return true;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules = [];
        }
    }

    /// <summary>
    /// The sandbox reset: only the rules it started with (--fault), matched and injected nothing yet, and no fault
    /// counted. Rule ids keep counting, so an id from before the reset never names a rule made after it.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _rules = [];
            AddStartingFaults();
        }

        ResetStats();
    }

    private void AddStartingFaults()
    {
        foreach (var fault in _startingFaults)
        {
            Add(FaultRule.Pairs(fault));
        }
    }

    public void ResetStats()
    {
        for (var i = 0; i < _injectedByKind.Length; i++)
        {
            Interlocked.Exchange(ref _injectedByKind[i], 0);
        }

        Interlocked.Exchange(ref _tokensToForeignHost, 0);
    }

    /// <summary>
    /// Notes an Exchange request that carries a token to a host name the sandbox does not hand out (127.0.0.1, and
    /// localhost for compliance on a single port): a client that followed a foreign next link.
    /// </summary>
    public void Observe(HttpContext context)
    {
        if (!_urls.IsAnnouncedHost(context.Request.Host.Host) && context.Request.Headers.Authorization.Count > 0)
        {
            Interlocked.Increment(ref _tokensToForeignHost);
        }
    }

    /// <summary>Serves <paramref name="request"/> through <paramref name="serve"/>, or a fault instead of or after it.</summary>
    public async Task RunAsync(ExchangeRequest request, Func<ExchangeRequest, Task> serve)
    {
        var rules = _rules;
        if (rules.Length == 0)
        {
            await serve(request);
            return;
        }

        var http = request.Http;
        var path = (http.Request.PathBase + http.Request.Path).Value ?? "/";
        FaultRule? chosen = null;
        int delayBefore = 0, delayAfter = 0;
        foreach (var rule in rules)
        {
            if (!rule.Matches(http.Request.Method, path, request.Tenant))
            {
                continue;
            }

            var match = rule.CountMatch();
            if (rule.Kind == FaultKinds.Latency)
            {
                if (rule.TryInject(match))
                {
                    Count(rule.Kind);
                    if (rule.Phase == FaultPhase.Before)
                    {
                        delayBefore += rule.LatencyMs;
                    }
                    else
                    {
                        delayAfter += rule.LatencyMs;
                    }
                }
            }
            else if (chosen is null && rule.TryInject(match))
            {
                Count(rule.Kind);
                chosen = rule;
            }
        }

        var aborted = http.RequestAborted;
        if (delayBefore > 0)
        {
            await Task.Delay(delayBefore, aborted);
        }

        if (chosen is { Phase: FaultPhase.Before })
        {
            await ServeAsync(request, chosen, served: null);
            return;
        }

        if (chosen is null && delayAfter == 0)
        {
            await serve(request);
            return;
        }

        var served = await CaptureAsync(request, serve);
        if (delayAfter > 0)
        {
            await Task.Delay(delayAfter, aborted);
        }

        if (chosen is null)
        {
            await WriteBodyAsync(http.Response, served);
        }
        else
        {
            await ServeAsync(request, chosen, served);
        }
    }

    /// <summary>Runs the request with its body kept in memory instead of sent; status and headers stay on the (unstarted) response.</summary>
    private static async Task<byte[]> CaptureAsync(ExchangeRequest request, Func<ExchangeRequest, Task> serve)
    {
        var features = request.Http.Features;
        var original = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer, original);
        features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await serve(request);
            await capture.CompleteAsync();
        }
        finally
        {
            features.Set(original);
        }

        return buffer.ToArray();
    }

    /// <param name="served">The body the request produced (phase after), or null when it did not run (phase before).</param>
    private async Task ServeAsync(ExchangeRequest request, FaultRule rule, byte[]? served)
    {
        var response = request.Response;
        switch (rule.Kind)
        {
            case FaultKinds.TooManyRequests:
                Restart(response);
                response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await new ExchangeError(StatusCodes.Status429TooManyRequests, "TooManyRequests",
                    $"The request was throttled. Retry after {rule.RetryAfterSeconds} seconds.").WriteAsync(response);
                break;
            case FaultKinds.ServiceUnavailable:
                Restart(response);
                response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await new ExchangeError(StatusCodes.Status503ServiceUnavailable, "ServiceUnavailable",
                    "The service is temporarily unavailable. Please try again later.").WriteAsync(response);
                break;
            case FaultKinds.InternalServerError:
                Restart(response);
                await new ExchangeError(StatusCodes.Status500InternalServerError, "InternalServerError",
                    "An internal server error occurred. The operation failed.").WriteAsync(response);
                break;
            case FaultKinds.ExpiredToken:
            case FaultKinds.ClaimsChallenge:
                Restart(response);
                var rejection = _tokens.Revoke(request.Tenant, rule.Kind == FaultKinds.ExpiredToken ? RevocationKind.Expired : RevocationKind.ClaimsChallenge);
                await ExchangeApi.ChallengeAsync(response, _urls.ConnectionUri, rejection);
                break;
            case FaultKinds.Reset:
                await ResetAsync(request, BodyOrEmptyPage(served, request));
                break;
            case FaultKinds.Truncate:
                var whole = BodyOrEmptyPage(served, request);
                await WriteBodyAsync(response, whole.AsMemory(0, Math.Max(1, whole.Length / 2)));
                break;
            case FaultKinds.NonJson:
                Restart(response);
                response.ContentType = "text/html; charset=utf-8";
                await WriteBodyAsync(response, Encoding.UTF8.GetBytes(HtmlErrorPage));
                break;
            case FaultKinds.EmptyBody:
                Restart(response);
                response.ContentType = "application/json; charset=utf-8";
                response.ContentLength = 0;
                break;
            case FaultKinds.NoContext:
                await WriteBodyAsync(response, Rewrite(served, request, page => page.Remove("@odata.context")));
                break;
            case FaultKinds.ForeignNextLink:
                var foreign = $"{request.Http.Request.Scheme}://{ForeignHost(request.Http)}:{request.Http.Request.Host.Port}{request.Target.RawPath}{request.Http.Request.QueryString}";
                await WriteBodyAsync(response, Rewrite(served, request, page => page["@odata.nextLink"] = foreign));
                break;
            case FaultKinds.Oversized:
                await OversizedAsync(request, rule.SizeBytes);
                break;
        }
    }

    /// <summary>Starts the response (status and headers as the request produced them), sends half the body, then cuts the connection.</summary>
    private static async Task ResetAsync(ExchangeRequest request, byte[] body)
    {
        var response = request.Response;
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), request.Http.RequestAborted);
            await response.Body.FlushAsync(request.Http.RequestAborted);
            // Let the part written reach the client before the connection goes.
            await Task.Delay(50, request.Http.RequestAborted);
        }
        catch (OperationCanceledException) when (request.Http.RequestAborted.IsCancellationRequested)
        {
            // The client left first.
        }

        request.Http.Abort();
    }

    /// <summary>One page holding a single object whose text property alone is <paramref name="size"/> bytes, streamed.</summary>
    private static async Task OversizedAsync(ExchangeRequest request, int size)
    {
        var response = request.Response;
        Restart(response);
        var head = Encoding.UTF8.GetBytes(
            $"{{\"@odata.context\":\"{request.ContextUrl("Collection(Exchange.GenericHashTable)")}\",\"value\":[{{\"Identity\":\"oversized\",\"Notes\":\"");
        var tail = "\"}]}"u8.ToArray();
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonResponse.ODataContentType;
        response.ContentLength = head.Length + (long)size + tail.Length;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        try
        {
            await response.Body.WriteAsync(head, request.Http.RequestAborted);
            for (var left = size; left > 0; left -= chunk.Length)
            {
                await response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), request.Http.RequestAborted);
            }

            await response.Body.WriteAsync(tail, request.Http.RequestAborted);
        }
        catch (OperationCanceledException) when (request.Http.RequestAborted.IsCancellationRequested)
        {
            // The client refused it part way, as it should.
        }
    }

    /// <summary>
    /// The served body (or an empty page when the request did not run) with its top-level object changed; a body
    /// that is not a JSON object is left as it is.
    /// </summary>
    private static byte[] Rewrite(byte[]? served, ExchangeRequest request, Action<JsonObject> change)
    {
        var body = BodyOrEmptyPage(served, request);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return body;
        }

        if (node is not JsonObject page)
        {
            return body;
        }

        change(page);
        return Encoding.UTF8.GetBytes(page.ToJsonString());
    }

    /// <summary>The body the request served, or an empty page when it did not run (phase before).</summary>
    private static byte[] BodyOrEmptyPage(byte[]? served, ExchangeRequest request) => served is { Length: > 0 } ? served : EmptyPage(request);

    /// <summary>What the response of a request that never ran is made from: a 200 with an empty page.</summary>
    private static byte[] EmptyPage(ExchangeRequest request)
    {
        var response = request.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonResponse.ODataContentType;
        return Encoding.UTF8.GetBytes($"{{\"@odata.context\":\"{request.ContextUrl("Collection(Exchange.GenericHashTable)")}\",\"value\":[]}}");
    }

    private static async Task WriteBodyAsync(HttpResponse response, ReadOnlyMemory<byte> body)
    {
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
    }

    /// <summary>Forgets what the request put on the response except its request-id and rate-limit headers.</summary>
    private static void Restart(HttpResponse response)
    {
        var kept = response.Headers
            .Where(h => h.Key.Equals("request-id", StringComparison.OrdinalIgnoreCase) || h.Key.StartsWith("Rate-Limit-", StringComparison.OrdinalIgnoreCase))
            .ToArray();
        response.Clear();
        foreach (var (name, value) in kept)
        {
            response.Headers[name] = value;
        }
    }

    private void Count(string kind) => Interlocked.Increment(ref _injectedByKind[IndexOf(kind)]);

    private static int IndexOf(string kind)
    {
        for (var i = 0; i < FaultKinds.All.Count; i++)
        {
            if (ReferenceEquals(FaultKinds.All[i], kind) || FaultKinds.All[i] == kind)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(kind));
    }

    /// <summary>
    /// Another name for this same listener: "localhost" when the client called 127.0.0.1, else 127.0.0.1. A client
    /// that follows a next link there sends its token to a host other than its connection's, and (for localhost)
    /// <see cref="Observe"/> counts it.
    /// </summary>
    private static string ForeignHost(HttpContext context) =>
        context.Request.Host.Host.Equals(SandboxUrls.Host, StringComparison.Ordinal) ? "localhost" : SandboxUrls.Host;
}
