using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>An authenticated Exchange request: its parsed target, tenant and query options.</summary>
internal sealed class ExchangeRequest(HttpContext http, ExchangeRequestTarget target, SandboxTenant tenant, ODataQuery query, PageLinks pageLinks)
{
    private ContinuationToken? _continuation;

    /// <summary>When the request arrived, by the sandbox's clock: its next links are judged and dated by this one reading.</summary>
    private readonly DateTimeOffset _arrived = pageLinks.Now;

    public HttpContext Http { get; } = http;

    public HttpResponse Response => Http.Response;

    public ExchangeRequestTarget Target { get; } = target;

    public SandboxTenant Tenant { get; } = tenant;

    public ODataQuery Query { get; } = query;

    /// <summary>The origin the client called (scheme and host), so links point where it already connects.</summary>
    private string Origin => $"{Http.Request.Scheme}://{Http.Request.Host}";

    /// <summary>"{origin}/adminapi/beta/{tenant}/$metadata#{fragment}".</summary>
    public string ContextUrl(string fragment) => $"{Origin}{Target.RawPrefix}/$metadata#{fragment}";

    /// <summary>Where the page asked for starts (its $skiptoken), refused as the service refuses an expired next link.</summary>
    /// <exception cref="ExchangeErrorException">The next link has expired or was not made here.</exception>
    public ContinuationToken Continuation => _continuation ??= pageLinks.Resume(
        Query.Get(ODataQuery.SkipToken), cmdletErrors: Target.Resource.Equals("InvokeCommand", StringComparison.OrdinalIgnoreCase), _arrived);

    /// <summary>This request's URL with every query option kept and $skiptoken replaced: what the client calls next.</summary>
    public string NextLink(ContinuationToken next) => Origin + Target.RawPath + Query.WithSkipToken(pageLinks.Encode(next, _arrived));

    /// <summary>
    /// Refuses query options this resource does not implement: any system option ($…) not in
    /// <paramref name="supported"/>, and the Exchange options in <paramref name="notImplemented"/>.
    /// Other custom options are ignored, as OData services do.
    /// </summary>
    public void RejectUnsupportedOptions(IReadOnlyCollection<string> supported, IReadOnlyCollection<string> notImplemented)
    {
        foreach (var name in Query.Names)
        {
            if (!supported.Contains(name, StringComparer.OrdinalIgnoreCase)
                && (name.StartsWith('$') || notImplemented.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The query option '{name}' is not supported by the sandbox."));
            }
        }
    }
}

/// <summary>One resource of the admin API (entity set, singleton or action); adding a resource is adding one of these.</summary>
internal interface IExchangeResource
{
    /// <summary>The URL segment, matched case-insensitively ("Mailbox", "InvokeCommand"…).</summary>
    string Name { get; }

    /// <summary>The HTTP method it answers; others get 405.</summary>
    string Method { get; }

    Task HandleAsync(ExchangeRequest request);
}
