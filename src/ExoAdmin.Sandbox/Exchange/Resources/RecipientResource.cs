using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET …/Recipient (Get-EXORecipient): mailboxes, distribution groups, then mail users, filtered by RecipientTypeDetails and
/// $filter; one recipient through the XParameter-Identity header (§6.3) or by key. Get-EXORecipientPermission reads
/// SendAs entries two ways (§18.3): Recipient('&lt;base64&gt;')?isEncoded=true&amp;$expand=RecipientPermission for one
/// recipient's, and Recipient/Exchange.GetRecipientPermissionByFilters(identity=…,trustee=…,accessRights=[…]) with a
/// trustee or access rights: each recipient with its entries expanded.
/// </summary>
internal sealed class RecipientResource : IODataResource
{
    private const string RecipientPermission = "RecipientPermission";

    private static readonly string[] ListOptions =
    [
        "isEncoded", "PropertySet", "$select", "$filter", "RecipientTypeDetails", "ReadIdsAndParamsFromHeaders", "IncludeSoftDeletedRecipients",
        "Anr", "OrganizationalUnit", "RecipientType", ODataQuery.SkipToken,
    ];

    public string Name => "Recipient";

    public string Method => HttpMethods.Get;

    public IReadOnlyList<ODataRoute> Routes { get; } =
    [
        new(keyed: false, "", ServeListAsync,
            "Recipient", "Recipient?PropertySet=All", "Recipient?PropertySet=All&RecipientTypeDetails=MailUniversalDistributionGroup",
            new("Recipient?ReadIdsAndParamsFromHeaders=True&PropertySet=All", ("XParameter-Identity", "{b64:alex}"))),
        new(keyed: true, "", ServeOneAsync,
            "Recipient('{key:sales}')?isEncoded=true&$expand=RecipientPermission",
            "Recipient('{key:sales}')?isEncoded=true&$expand=RecipientPermission&$select=RecipientPermission,ExternalDirectoryObjectId",
            "Recipient('{key:team}')?isEncoded=true&PropertySet=All"),
        new(keyed: false, @"/(?:Exchange\.)?GetRecipientPermissionByFilters\((.*)\)", ServePermissionsByFiltersAsync,
            "Recipient/Exchange.GetRecipientPermissionByFilters(identity='{key:sales}',trustee='{key:admin}',accessRights=[%22SendAs%22])?$expand=RecipientPermission&isEncoded=true&$select=RecipientPermission,%20ExternalDirectoryObjectId",
            "Recipient/Exchange.GetRecipientPermissionByFilters(accessRights=[%22SendAs%22])?$expand=RecipientPermission&isEncoded=true"),
    ];

    private static EdmStructuredType Type => EdmSchema.Instance.GetType("Recipient");

    private static Task ServeListAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        request.RejectUnsupportedOptions(ListOptions, []);
        var selected = PropertySets.For("Recipient").Select(request.Query.Get("PropertySet"), request.Query.Get("$select"));
        if (request.Http.Request.Headers["XParameter-Identity"].ToString() is { Length: > 0 } encoded)
        {
            var one = Resolve(request, MailboxResource.DecodeIdentity(encoded, "true"));
            return CollectionWriter.WriteAsync(request, "Recipient", Type, [one.Project(selected)]);
        }

        // RecipientTypeDetails, the list scopes and $filter see every property, whichever sets are returned.
        var types = (request.Query.Get("RecipientTypeDetails") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = MailboxLookup.Recipients(request.Tenant, 0, ObjectShapes.RecipientEntity, (g, ordinal) => ObjectShapes.GroupRecipientEntity(request.Tenant.Tenant, g, ordinal), InvokeCommand.MailUsers.Shape)
            .Where(r => types.Count == 0 || types.Contains((string)r.Get("RecipientTypeDetails")!))
            .Where(ListScopeFilter.From(request));
        return CollectionWriter.WriteAsync(request, "Recipient", Type, ODataFilter.Apply(request.Query.Get("$filter"), items, "Recipient").Select(r => r.Project(selected)));
    }

    /// <summary>
    /// One recipient by key, shaped by PropertySet and $select; with $expand=RecipientPermission its SendAs entries
    /// inline, as Get-EXORecipientPermission -Identity reads them. $select may name the expanded property too.
    /// </summary>
    private static Task ServeOneAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        request.RejectUnsupportedOptions(["isEncoded", "PropertySet", "$select", "$expand"], []);
        var expand = request.Query.Get("$expand") is { Length: > 0 } text ? text.Trim() : null;
        if (expand is not null && !expand.Equals(RecipientPermission, StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest($"Could not find a navigation property named '{expand}' on type 'Exchange.Recipient'."));
        }

        var select = string.Join(',', (request.Query.Get("$select") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(name => expand is null || !name.Equals(RecipientPermission, StringComparison.OrdinalIgnoreCase)));
        var selected = PropertySets.For("Recipient").Select(request.Query.Get("PropertySet"), select);
        var identity = MailboxResource.DecodeIdentity(request.Target.Key!, request.Query.Get("isEncoded"));
        var recipient = Resolve(request, identity).Project(selected);
        if (expand is not null)
        {
            // A group's SendAs grants are not kept by the sandbox: it has none to show.
            var mailbox = request.Tenant.State.FindGroups(identity).Count == 1 ? null : MailboxLookup.Resolve(request.Tenant, identity);
            recipient.AddComplex(RecipientPermission, mailbox is null ? [] : ObjectShapes.RecipientPermissions(request.Tenant, mailbox));
        }

        return CollectionWriter.WriteSingleAsync(request, expand is null ? "Recipient/$entity" : "Recipient(RecipientPermission())/$entity", Type, recipient);
    }

    private static Task ServePermissionsByFiltersAsync(ExchangeRequest request, ODataRouteMatch match)
    {
        request.RejectUnsupportedOptions(["isEncoded", "$expand", "$select", ODataQuery.SkipToken], []);
        string? Argument(string name) =>
            Regex.Match(match.Path.Groups[1].Value, name + @"\s*=\s*'([^']*)'", RegexOptions.IgnoreCase) is { Success: true } m && m.Groups[1].Value.Length > 0
                ? MailboxResource.DecodeIdentity(m.Groups[1].Value, request.Query.Get("isEncoded"))
                : null;
        var identity = Argument("identity");
        var trustee = Argument("trustee") is { } t ? MailboxLookup.Resolve(request.Tenant, t).UserPrincipalName : null;
        IEnumerable<Mailbox> mailboxes = identity is null ? request.Tenant.Mailboxes.From(0) : [MailboxLookup.Resolve(request.Tenant, identity)];
        var items = mailboxes
            .Select(m => (Mailbox: m, Entries: ObjectShapes.RecipientPermissions(request.Tenant, m, trustee)))
            .Where(x => x.Entries.Length > 0)
            .Select(x => new PropertyBag(x.Mailbox.Ordinal)
                .Add("Identity", x.Mailbox.Name)
                .Add("ExternalDirectoryObjectId", x.Mailbox.ExternalDirectoryObjectId.ToString())
                .AddComplex(RecipientPermission, x.Entries));
        return CollectionWriter.WriteAsync(request, "Recipient(Identity,ExternalDirectoryObjectId,RecipientPermission())", Type, items);
    }

    private static PropertyBag Resolve(ExchangeRequest request, string identity) =>
        MailboxLookup.ResolveRecipient(
            request.Tenant, identity, g => ObjectShapes.GroupRecipientEntity(request.Tenant.Tenant, g, 0), m => ObjectShapes.RecipientEntity(m, 0),
            u => InvokeCommand.MailUsers.Shape(u, 0));
}
