using ExoAdmin.Sandbox.Edm;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>GET …/CasMailbox (Get-EXOCasMailbox): the paged list, or CasMailbox('&lt;base64&gt;')?isEncoded=true.</summary>
internal sealed class CasMailboxResource : IODataResource
{
    private static readonly string[] Options = ["isEncoded", "PropertySet", "$select", "$filter", "Anr", "OrganizationalUnit", ODataQuery.SkipToken];

    public string Name => "CasMailbox";

    public string Method => HttpMethods.Get;

    public IReadOnlyList<ODataRoute> Routes { get; } =
    [
        new(keyed: false, "", ServeListAsync, "CasMailbox", "CasMailbox?PropertySet=All"),
        new(keyed: true, "", ServeOneAsync, "CasMailbox('{key:alex}')?isEncoded=true&PropertySet=All", "CasMailbox('{key:alex}')?isEncoded=true&PropertySet=Minimum"),
    ];

    private static EdmStructuredType Type => EdmSchema.Instance.GetType("CasMailbox");

    private static IReadOnlyList<EdmProperty> Selected(ExchangeRequest request)
    {
        request.RejectUnsupportedOptions(Options, []);
        return PropertySets.For("CasMailbox").Select(request.Query.Get("PropertySet"), request.Query.Get("$select"));
    }

    private static Task ServeOneAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        var selected = Selected(request);
        var mailbox = MailboxLookup.Resolve(request.Tenant, MailboxResource.DecodeIdentity(request.Target.Key!, request.Query.Get("isEncoded")));
        return CollectionWriter.WriteSingleAsync(request, "CasMailbox/$entity", Type, ObjectShapes.Cas(mailbox, request.Tenant.State.Cas(mailbox.Ordinal)).Project(selected));
    }

    private static Task ServeListAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        var selected = Selected(request);
        var state = request.Tenant.State;
        // $filter sees every property, whichever sets are returned.
        var inScope = ListScopeFilter.From(request);
        var items = request.Tenant.Mailboxes.From(0).Select(m => ObjectShapes.Cas(m, state.Cas(m.Ordinal))).Where(inScope);
        return CollectionWriter.WriteAsync(request, "CasMailbox", Type, ODataFilter.Apply(request.Query.Get("$filter"), items, "CasMailbox").Select(r => r.Project(selected)));
    }
}
