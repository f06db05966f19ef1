using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>GET …/CasMailbox (Get-EXOCasMailbox): the paged list, or CasMailbox('&lt;base64&gt;')?isEncoded=true.</summary>
internal sealed class CasMailboxResource : IExchangeResource
{
    public string Name => "CasMailbox";

    public string Method => HttpMethods.Get;

    public Task HandleAsync(ExchangeRequest request)
    {
        if (request.Target.Remainder.Length > 0)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(request.Target.Remainder.TrimStart('/')));
        }

        request.RejectUnsupportedOptions(["isEncoded", "PropertySet", "$select", "$filter", "Anr", "OrganizationalUnit", ODataQuery.SkipToken], []);
        var state = request.Tenant.State;
        var selected = PropertySets.For(Name).Select(request.Query.Get("PropertySet"), request.Query.Get("$select"));
        PropertyBag Shape(PropertyBag cas) => cas.Project(selected);
        if (request.Target.Key is { } key)
        {
            var mailbox = MailboxLookup.Resolve(request.Tenant, MailboxResource.DecodeIdentity(key, request.Query.Get("isEncoded")));
            return CollectionWriter.WriteSingleAsync(request, "CasMailbox/$entity", Shape(ObjectShapes.Cas(mailbox, state.Cas(mailbox.Ordinal))));
        }

        // $filter sees every property, whichever sets are returned.
        var inScope = ListScopeFilter.From(request);
        var items = request.Tenant.Mailboxes.From(0).Select(m => ObjectShapes.Cas(m, state.Cas(m.Ordinal))).Where(inScope);
        return CollectionWriter.WriteAsync(request, "CasMailbox", ODataFilter.Apply(request.Query.Get("$filter"), items, "CasMailbox").Select(Shape));
    }
}
