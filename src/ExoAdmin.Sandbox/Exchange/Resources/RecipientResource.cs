using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET …/Recipient (Get-EXORecipient): mailboxes then distribution groups, filtered by RecipientTypeDetails and
/// $filter; one recipient through the XParameter-Identity header (§6.3). And
/// Recipient/Exchange.GetRecipientPermissionByFilters(identity=…,trustee=…,accessRights=[…]) for
/// Get-EXORecipientPermission: each recipient with its SendAs entries expanded.
/// </summary>
internal sealed partial class RecipientResource : IExchangeResource
{
    public string Name => "Recipient";

    public string Method => HttpMethods.Get;

    public Task HandleAsync(ExchangeRequest request)
    {
        if (request.Target.Remainder.Length > 0)
        {
            return PermissionsAsync(request);
        }

        request.RejectUnsupportedOptions(["isEncoded", "PropertySet", "$select", "$filter", "RecipientTypeDetails", "ReadIdsAndParamsFromHeaders", "IncludeSoftDeletedRecipients",
            "Anr", "OrganizationalUnit", "RecipientType", ODataQuery.SkipToken], []);
        var selected = PropertySets.For(Name).Select(request.Query.Get("PropertySet"), request.Query.Get("$select"));
        if (request.Http.Request.Headers["XParameter-Identity"].ToString() is { Length: > 0 } encoded)
        {
            var one = MailboxLookup.ResolveRecipient(
                request.Tenant, MailboxResource.DecodeIdentity(encoded, "true"), g => ObjectShapes.GroupRecipientEntity(request.Tenant.Tenant, g, 0), m => ObjectShapes.RecipientEntity(m, 0));
            return CollectionWriter.WriteAsync(request, "Recipient", [one.Project(selected)]);
        }

        // RecipientTypeDetails, the list scopes and $filter see every property, whichever sets are returned.
        var types = (request.Query.Get("RecipientTypeDetails") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = MailboxLookup.Recipients(request.Tenant, 0, ObjectShapes.RecipientEntity, (g, ordinal) => ObjectShapes.GroupRecipientEntity(request.Tenant.Tenant, g, ordinal))
            .Where(r => types.Count == 0 || types.Contains((string)r.Get("RecipientTypeDetails")!))
            .Where(ListScopeFilter.From(request));
        return CollectionWriter.WriteAsync(request, "Recipient", ODataFilter.Apply(request.Query.Get("$filter"), items, "Recipient").Select(r => r.Project(selected)));
    }

    private static Task PermissionsAsync(ExchangeRequest request)
    {
        var match = PermissionFunction().Match(request.Target.Remainder);
        if (!match.Success)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(request.Target.Remainder.TrimStart('/')));
        }

        request.RejectUnsupportedOptions(["isEncoded", "$expand", "$select", ODataQuery.SkipToken], []);
        string? Argument(string name) =>
            Regex.Match(match.Groups[1].Value, name + @"\s*=\s*'([^']*)'", RegexOptions.IgnoreCase) is { Success: true } m && m.Groups[1].Value.Length > 0
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
                .AddComplex("RecipientPermission", x.Entries));
        return CollectionWriter.WriteAsync(request, "Recipient(RecipientPermission,ExternalDirectoryObjectId)", items);
    }

    [GeneratedRegex(@"^/(?:Exchange\.)?GetRecipientPermissionByFilters\((.*)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex PermissionFunction();
}
