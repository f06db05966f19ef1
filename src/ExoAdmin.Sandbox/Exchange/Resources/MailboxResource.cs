using System.Text;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET …/Mailbox (Get-EXOMailbox): the paged list, filtered by RecipientTypeDetails, or with a key
/// Mailbox('&lt;base64 identity&gt;')?isEncoded=true a single mailbox; both shaped by PropertySet and $select.
/// Under a mailbox, what the other Get-EXO* cmdlets read (<see cref="MailboxChildren"/>).
/// </summary>
internal sealed class MailboxResource : IODataResource
{
    private const string PropertySet = "PropertySet";
    private const string Select = "$select";
    private const string RecipientTypeDetails = "RecipientTypeDetails";
    private const string IsEncoded = "isEncoded";

    private const string Filter = "$filter";

    private static readonly string[] SupportedOptions =
    [
        PropertySet, Select, RecipientTypeDetails, IsEncoded, Filter, ODataQuery.SkipToken, "Anr", "Archive",
        "SoftDeletedMailbox", "InactiveMailboxOnly", "IncludeInactiveMailbox", "ReadIdsAndParamsFromHeaders",
        "OrganizationalUnit", "MailboxPlan",
    ];

    private readonly MailboxPropertySets _propertySets;

    public MailboxResource(MailboxPropertySets propertySets)
    {
        _propertySets = propertySets;
        Routes =
        [
            new(keyed: false, "", (request, _) => ServeListAsync(request),
                "Mailbox", "Mailbox?PropertySet=All", "Mailbox?$select=ForwardingSmtpAddress,Languages&RecipientTypeDetails=UserMailbox",
                "Mailbox?RecipientTypeDetails=GroupMailbox,SharedMailbox&PropertySet=All",
                new("Mailbox?IncludeInactiveMailbox=True&PropertySet=All&ReadIdsAndParamsFromHeaders=True", ("XParameter-Identity", "{b64:alex}"))),
            new(keyed: true, "", (request, _) => WriteSingleAsync(request, Selection(request), DecodeIdentity(request.Target.Key!, request.Query.Get(IsEncoded))),
                "Mailbox('{key:alex}')?isEncoded=true&PropertySet=All", "Mailbox('{key:Anežka Dvořák}')?isEncoded=true"),
            // A function bound to the set: Get-EXOMailboxStatistics -ExchangeGuid -DatabaseGuid.
            new(keyed: false, @"/(?:Exchange\.)?GetMailboxStatisticsV2\(mailboxGuid=([^,)]*),databaseGuid=([^,)]*)\)", MailboxChildren.ServeStatisticsV2Async,
                new ODataExample("Mailbox/Exchange.GetMailboxStatisticsV2(mailboxGuid={exchangeGuid:alex},databaseGuid={databaseGuid:alex})?UseCopyOnLocalServer=True&PropertySet=All",
                    ("X-AnchorMailbox", "MBX:{exchangeGuid:alex}@{tenantId}"))),
            .. MailboxChildren.Routes,
        ];
    }

    public string Name => "Mailbox";

    public string Method => HttpMethods.Get;

    public IReadOnlyList<ODataRoute> Routes { get; }

    /// <summary>
    /// The mailbox a keyed request names (404 when none does). A group's mailbox is only found when the request says it
    /// is one (GroupMailbox=True, §6.3).
    /// </summary>
    internal static Mailbox KeyedMailbox(ExchangeRequest request)
    {
        var identity = DecodeIdentity(request.Target.Key!, request.Query.Get(IsEncoded));
        return IsTrue(request, "GroupMailbox") ? MailboxLookup.ResolveGroupMailbox(request.Tenant, identity) : MailboxLookup.Resolve(request.Tenant, identity);
    }

    private PropertySelection Selection(ExchangeRequest request)
    {
        request.RejectUnsupportedOptions(SupportedOptions, []);
        return _propertySets.Select(request.Query.Get(PropertySet), request.Query.Get(Select));
    }

    private Task ServeListAsync(ExchangeRequest request)
    {
        var selection = Selection(request);
        // With -InactiveMailboxOnly/-IncludeInactiveMailbox the identity travels in XParameter-Identity (§6.3).
        return IsTrue(request, "ReadIdsAndParamsFromHeaders") && request.Http.Request.Headers["XParameter-Identity"].ToString() is { Length: > 0 } encoded
            ? WriteIdentityPageAsync(request, selection, DecodeIdentity(encoded, "true"))
            : WritePageAsync(request, selection);
    }

    private static async Task WriteSingleAsync(ExchangeRequest request, PropertySelection selection, string identity)
    {
        var mailbox = MailboxLookup.Resolve(request.Tenant, identity);
        if (!Scope(request)(mailbox))
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, request.Tenant.Tenant));
        }

        using var writer = JsonResponse.Begin(request.Response);
        selection.WriteEntity(writer, mailbox, request.ContextUrl("Mailbox/$entity"));
        await JsonResponse.EndAsync(writer, request.Response);
    }

    private static Task WritePageAsync(ExchangeRequest request, PropertySelection selection)
    {
        var types = request.Query.Get(RecipientTypeDetails) ?? string.Empty;
        var wanted = MailboxLookup.RecipientTypeFilter(
            [types],
            type => ExchangeErrors.BadRequest($"'{type}' is not a valid RecipientTypeDetails value for mailboxes."));
        // Groups' mailboxes are listed only when asked for by type, as the service does.
        var groups = types.Split(',', StringSplitOptions.TrimEntries).Contains(RecipientTypes.GroupMailbox, StringComparer.OrdinalIgnoreCase)
            ? request.Tenant.GroupMailboxes
            : [];
        var filter = request.Query.Get(Filter) is { Length: > 0 } text ? ODataFilter.Parse(text, "Mailbox") : null;
        var anr = request.Query.Get("Anr") is { Length: > 0 } text2 ? text2.Trim() : null;
        var archiveOnly = IsTrue(request, "Archive");
        var inScope = Scope(request);
        // SoftDeletedMailbox lists what Remove-Mailbox soft-deleted; the tenant has no inactive mailboxes.
        var none = IsTrue(request, "InactiveMailboxOnly");
        var softDeleted = IsTrue(request, "SoftDeletedMailbox");
        return CollectionWriter.WritePageAsync(
            request,
            "Mailbox",
            from => (softDeleted ? request.Tenant.Mailboxes.SoftDeleted(from) : request.Tenant.Mailboxes.From(from).Concat(groups.Where(g => g.Ordinal >= from)))
                .Where(wanted)
                .Where(m => !none && (!archiveOnly || m.Archive is not null) && (anr is null || MatchesAnr(m, anr)) && inScope(m))
                .Where(m => filter is null || filter.Matches(name => MailboxProperties.Get(name)(m).ToObject())),
            m => m.Ordinal,
            (w, m) => selection.WriteEntity(w, m));
    }

    private static async Task WriteIdentityPageAsync(ExchangeRequest request, PropertySelection selection, string identity)
    {
        var mailbox = IsTrue(request, "InactiveMailboxOnly")
            ? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, request.Tenant.Tenant))
            : MailboxLookup.Resolve(request.Tenant, identity);
        using var writer = JsonResponse.Begin(request.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", request.ContextUrl("Mailbox"));
        writer.WriteStartArray("value");
        selection.WriteEntity(writer, mailbox);
        writer.WriteEndArray();
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }

    /// <summary>
    /// -OrganizationalUnit and -MailboxPlan: the mailboxes in that OU and on that plan. Either naming nothing the
    /// tenant has is the error Exchange gives for an identity it cannot find.
    /// </summary>
    private static Func<Mailbox, bool> Scope(ExchangeRequest request)
    {
        var tenant = request.Tenant;
        if (request.Query.Get("OrganizationalUnit") is { Length: > 0 } unit && !tenant.Tenant.IsOrganizationalUnit(unit.Trim()))
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(unit, tenant.Tenant));
        }

        if (request.Query.Get("MailboxPlan") is not { Length: > 0 } planText)
        {
            return _ => true;
        }

        var plan = tenant.Tenant.FindMailboxPlan(planText.Trim())
            ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(planText, tenant.Tenant));
        return m => string.Equals(tenant.Tenant.MailboxPlanOf(m), plan, StringComparison.Ordinal);
    }

    /// <summary>
    /// Ambiguous name resolution, as Exchange does it: the text starts the display name, alias, a name part,
    /// or the primary address.
    /// </summary>
    private static bool MatchesAnr(Mailbox mailbox, string text) =>
        mailbox.DisplayName.StartsWith(text, StringComparison.OrdinalIgnoreCase)
        || mailbox.Alias.StartsWith(text, StringComparison.OrdinalIgnoreCase)
        || mailbox.PrimarySmtpAddress.StartsWith(text, StringComparison.OrdinalIgnoreCase)
        || mailbox.DisplayName.Split(' ').Any(part => part.StartsWith(text, StringComparison.OrdinalIgnoreCase));

    private static bool IsTrue(ExchangeRequest request, string option) =>
        string.Equals(request.Query.Get(option), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The identity in the key: base64 of its UTF-8 bytes when isEncoded=true, else the literal itself.</summary>
    internal static string DecodeIdentity(string key, string? isEncoded)
    {
        if (!string.Equals(isEncoded, "true", StringComparison.OrdinalIgnoreCase))
        {
            return key;
        }

        var bytes = new byte[key.Length];
        return Convert.TryFromBase64String(key, bytes, out var length)
            ? Encoding.UTF8.GetString(bytes, 0, length)
            : throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The key '{key}' is not base64 although isEncoded=true."));
    }
}
