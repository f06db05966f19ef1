using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// One URL shape a Get-EXO* resource serves: with or without a key after the resource segment, the rest of the
/// path (a pattern on the decoded remainder, anchored at both ends), what serves it, and example requests of it.
/// A resource answers only the shapes its table lists (<see cref="IODataResource"/>), and the strict-reader test
/// reads every example of every route, so a new shape cannot go unchecked.
/// </summary>
internal sealed class ODataRoute
{
    private readonly Regex _remainder;
    private readonly Func<ExchangeRequest, ODataRouteMatch, Task> _serve;

    /// <param name="keyed">Whether the resource segment carries a key: Mailbox('…') rather than Mailbox.</param>
    /// <param name="remainder">The path after the resource and key, e.g. <c>/MailboxPermission(?:\('([^']*)'\))?</c>; "" for none.</param>
    /// <param name="examples">At least one request of this shape (see <see cref="ODataExample"/>).</param>
    public ODataRoute(bool keyed, [StringSyntax(StringSyntaxAttribute.Regex)] string remainder, Func<ExchangeRequest, ODataRouteMatch, Task> serve, params ODataExample[] examples)
    {
        if (examples.Length == 0)
        {
            throw new ArgumentException("A route needs an example request, for the test that reads every route.", nameof(examples));
        }

        Keyed = keyed;
        _remainder = new Regex("^" + remainder + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        _serve = serve;
        Examples = examples;
    }

    public bool Keyed { get; }

    public IReadOnlyList<ODataExample> Examples { get; }

    /// <summary>Serves the request with the first route of <paramref name="routes"/> its path fits; 404 when none does.</summary>
    public static Task ServeAsync(ExchangeRequest request, IEnumerable<ODataRoute> routes)
    {
        var target = request.Target;
        foreach (var route in routes)
        {
            if (route.Keyed == target.Key is not null && route._remainder.Match(target.Remainder) is { Success: true } match)
            {
                return route._serve(request, new ODataRouteMatch(match, route._remainder.Match(target.RawRemainder)));
            }
        }

        throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(target.Remainder.Length > 0 ? target.Remainder.TrimStart('/') : target.Resource));
    }
}

/// <summary>What a route's pattern captured: from the decoded path, and from the path as sent (for keys an answer names back).</summary>
internal sealed record ODataRouteMatch(Match Path, Match RawPath);

/// <summary>
/// An example request of a route, relative to the tenant's service root (…/adminapi/beta/{tenant}/), with its
/// headers. Placeholders, filled from the seeded tenant: <c>{b64:TEXT}</c> is TEXT base64-encoded (UTF-8) and
/// URL-escaped, as clients send identities with isEncoded=true; <c>{exchangeGuid:ALIAS}</c> and
/// <c>{databaseGuid:ALIAS}</c> are that mailbox's, <c>{deviceGuid:ALIAS}</c> its first mobile device's (filled first, so
/// it may sit inside <c>{b64:…}</c>); <c>{tenantId}</c> the tenant's id.
/// </summary>
internal sealed record ODataExample(string Url, params (string Name, string Value)[] Headers)
{
    /// <summary>An example without headers is its URL.</summary>
    public static implicit operator ODataExample(string url) => new(url);
}

/// <summary>A Get-EXO* resource served by its table of URL shapes.</summary>
internal interface IODataResource : IExchangeResource
{
    IReadOnlyList<ODataRoute> Routes { get; }

    Task IExchangeResource.HandleAsync(ExchangeRequest request) => ODataRoute.ServeAsync(request, Routes);
}
