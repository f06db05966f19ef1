using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// What hangs off one mailbox in the Get-EXO* URLs (§6.3): its permissions (Get-EXOMailboxPermission), its
/// statistics (Get-EXOMailboxStatistics), its folders' statistics and permissions, and its mobile devices.
/// A contained collection's @odata.context names its containment path, Mailbox('&lt;key as sent&gt;')/MailboxPermission
/// (§18.3): the schema has no MailboxPermission entity set, and strict readers refuse "#MailboxPermission".
/// </summary>
internal static class MailboxChildren
{
    private const string IsEncoded = "isEncoded";

    public static IEnumerable<ODataRoute> Routes =>
    [
        new(keyed: true, @"/MailboxPermission(?:\('([^']*)'\))?", ServePermissionsAsync,
            "Mailbox('{key:sales}')/MailboxPermission?isEncoded=true",
            "Mailbox('{key:sales}')/MailboxPermission('{key:admin}')?isEncoded=true",
            "Mailbox('{key:Anežka Dvořák}')/MailboxPermission?isEncoded=true&$filter=IsOwner%20eq%20true"),
        new(keyed: true, @"/(?:Exchange\.)?GetMailboxStatistics\(\)", ServeStatisticsAsync,
            "Mailbox('{key:alex}')/Exchange.GetMailboxStatistics()?isEncoded=true&PropertySet=All",
            "Mailbox('{key:alex}')/Exchange.GetMailboxStatistics()?isEncoded=true&Archive=True"),
        new(keyed: true, @"/MailboxFolder/(?:Exchange\.)?GetMailboxFolderStatistics\((?:folderscope=(?:Exchange\.ElcFolderType)?'(\w+)')?\)", ServeFolderStatisticsAsync,
            "Mailbox('{key:alex}')/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'All')?isEncoded=true"),
        new(keyed: true, @"/MailboxFolder\('([^']*)'\)/MailboxFolderPermission(?:\('([^']*)'\))?", ServeFolderPermissionsAsync,
            "Mailbox('{key:sales}')/MailboxFolder('{key:\\Calendar}')/MailboxFolderPermission?IsUsingMailboxFolderId=True&isEncoded=true",
            "Mailbox('{key:sales}')/MailboxFolder('{key:\\Calendar}')/MailboxFolderPermission('{key:Default}')?IsUsingMailboxFolderId=True&isEncoded=true"),
        new(keyed: true, @"/MobileDevice/(?:Exchange\.)?GetMobileDeviceStatistics\(\)", ServeMobileDevicesAsync,
            "Mailbox('{key:admin}')/MobileDevice/Exchange.GetMobileDeviceStatistics()?isEncoded=true"),
    ];

    private static Task ServePermissionsAsync(ExchangeRequest request, ODataRouteMatch match)
    {
        request.RejectUnsupportedOptions([IsEncoded, "$filter", "SoftDeletedMailbox"], []);
        var mailbox = MailboxResource.KeyedMailbox(request);
        var user = match.Path.Groups[1].Success ? Decode(request, match.Path.Groups[1].Value) : null;
        var trustee = user is null ? null : TrusteeName(request, user);
        var entries = ObjectShapes.MailboxPermissionEntries(request.Tenant, mailbox, trustee)
            .Select((e, i) => ObjectShapes.MailboxPermissionEntity(mailbox, i, e.User, e.Rights, e.Deny, e.Inheritance, e.IsOwner))
            .ToArray();
        var filtered = ODataFilter.Apply(request.Query.Get("$filter"), entries, "MailboxPermission");
        // One user's entries are still the contained collection (protocol-silent; what both clients read).
        return CollectionWriter.WriteAsync(request, request.Target.KeyedResource + "/MailboxPermission", EdmSchema.Instance.GetType("MailboxPermission"), filtered);
    }

    private static Task ServeStatisticsAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        request.RejectUnsupportedOptions([IsEncoded, "Archive", "IncludeSoftDeletedRecipients", "PropertySet", "$select"], []);
        var mailbox = MailboxResource.KeyedMailbox(request);
        var archive = IsTrue(request, "Archive");
        RequireArchive(mailbox, archive);
        return WriteStatisticsAsync(request, mailbox, archive);
    }

    private static Task ServeFolderStatisticsAsync(ExchangeRequest request, ODataRouteMatch match)
    {
        request.RejectUnsupportedOptions([IsEncoded, "Archive", "IncludeSoftDeletedRecipients", "IncludeOldestAndNewestItems", "IncludeAnalysis", "$select", "$filter"], []);
        var mailbox = MailboxResource.KeyedMailbox(request);
        var archive = IsTrue(request, "Archive");
        RequireArchive(mailbox, archive);
        var scope = match.Path.Groups[1].Success ? match.Path.Groups[1].Value : "All";
        var items = MailboxActivity.FolderStatistics(mailbox, archive)
            .Where(f => scope.Equals("All", StringComparison.OrdinalIgnoreCase) || f.FolderType.Equals(scope, StringComparison.OrdinalIgnoreCase))
            .Select((f, i) => ObjectShapes.FolderStatistics(mailbox, f, i))
            .ToArray();
        return CollectionWriter.WriteAsync(request, "Collection(Exchange.MailboxFolderStatistics)", EdmSchema.Instance.GetType("MailboxFolderStatistics"),
            ODataFilter.Apply(request.Query.Get("$filter"), items, "MailboxFolderStatistics"));
    }

    private static Task ServeFolderPermissionsAsync(ExchangeRequest request, ODataRouteMatch match)
    {
        request.RejectUnsupportedOptions([IsEncoded, "IsUsingMailboxFolderId", "GroupMailbox"], []);
        var mailbox = MailboxResource.KeyedMailbox(request);
        var folder = Decode(request, match.Path.Groups[1].Value).TrimStart(':').TrimStart('\\', '/');
        var known = MailboxActivity.FolderStatistics(mailbox, false).FirstOrDefault(f => f.Name.Equals(folder, StringComparison.OrdinalIgnoreCase))
            ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound($"{mailbox.Name}:\\{folder}", request.Tenant.Tenant));
        var user = match.Path.Groups[2].Success ? Decode(request, match.Path.Groups[2].Value) : null;
        var items = FolderPermissions(request.Tenant, mailbox, known)
            .Where(p => user is null || p.User.Equals(user, StringComparison.OrdinalIgnoreCase) || p.User.Equals(TrusteeDisplayName(request, user), StringComparison.OrdinalIgnoreCase))
            .Select((p, i) => new PropertyBag(i)
                .Add("Identity", $"{mailbox.Name}:\\{known.Name}")
                .Add("FolderName", known.Name)
                .Add("User", p.User)
                .Add("AccessRights", p.Rights)
                .Add("SharingPermissionFlags", PropertyValue.Null))
            .ToArray();
        var rawFolderKey = ExchangeRequestTarget.EscapeInPath(match.RawPath.Groups[1].Value);
        return CollectionWriter.WriteAsync(request, $"{request.Target.KeyedResource}/MailboxFolder('{rawFolderKey}')/MailboxFolderPermission",
            EdmSchema.Instance.GetType("MailboxFolderPermission"), items);
    }

    private static Task ServeMobileDevicesAsync(ExchangeRequest request, ODataRouteMatch _)
    {
        request.RejectUnsupportedOptions([IsEncoded, "ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook", "$select"], []);
        var mailbox = MailboxResource.KeyedMailbox(request);
        var devices = MailboxActivity.MobileDevices(mailbox).Select((d, i) => ObjectShapes.MobileDevice(mailbox, d, i)).ToArray();
        return CollectionWriter.WriteAsync(request, "Collection(Exchange.MobileDeviceStatistics)", EdmSchema.Instance.GetType("MobileDeviceStatistics"), devices);
    }

    /// <summary>
    /// GetMailboxStatisticsV2 (§6.3): the mailbox named by its ExchangeGuid on the database named by its guid,
    /// routed by parameter: the request must carry X-AnchorMailbox MBX:&lt;mailboxGuid&gt;@&lt;tenant&gt;, as the
    /// original sends it. A mailbox that is not on that database is not found, which sends the client to its
    /// identity query.
    /// </summary>
    public static Task ServeStatisticsV2Async(ExchangeRequest request, ODataRouteMatch route)
    {
        request.RejectUnsupportedOptions(["UseCopyOnLocalServer", "PropertySet", "$select"], []);
        if (!Guid.TryParse(route.Path.Groups[1].Value, out var mailboxGuid) || !Guid.TryParse(route.Path.Groups[2].Value, out var databaseGuid))
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("GetMailboxStatisticsV2 takes mailboxGuid and databaseGuid as GUIDs."));
        }

        var anchor = request.Http.Request.Headers["X-AnchorMailbox"].ToString();
        if (!anchor.StartsWith($"MBX:{mailboxGuid:D}@", StringComparison.OrdinalIgnoreCase))
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest(
                $"GetMailboxStatisticsV2 is routed by mailbox: X-AnchorMailbox must be 'MBX:{mailboxGuid:D}@<tenant>', not '{anchor}'."));
        }

        var mailbox = request.Tenant.Mailboxes.Find(mailboxGuid.ToString("D"))
            .FirstOrDefault(m => m.ExchangeGuid == mailboxGuid && m.Database.Guid == databaseGuid)
            ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound($"{mailboxGuid:D} on database {databaseGuid:D}", request.Tenant.Tenant));
        return WriteStatisticsAsync(request, mailbox, archive: false);
    }

    /// <summary>Shaped by the MailboxStatistics property sets (Minimum, All) and $select.</summary>
    private static Task WriteStatisticsAsync(ExchangeRequest request, Mailbox mailbox, bool archive)
    {
        var selected = PropertySets.For("MailboxStatistics").Select(request.Query.Get("PropertySet"), request.Query.Get("$select"));
        return CollectionWriter.WriteSingleAsync(request, "Exchange.MailboxStatistics", EdmSchema.Instance.GetType("MailboxStatistics"), ObjectShapes.Statistics(mailbox, archive).Project(selected));
    }

    /// <summary>
    /// Folder permissions: Default and Anonymous everywhere; on the calendar Default sees free/busy, and on a
    /// shared mailbox's calendar its FullAccess delegates are editors.
    /// </summary>
    private static IEnumerable<(string User, string[] Rights)> FolderPermissions(SandboxTenant tenant, Mailbox mailbox, FolderStatistics folder)
    {
        var calendar = folder.FolderType == "Calendar";
        yield return ("Default", [calendar ? "AvailabilityOnly" : "None"]);
        yield return ("Anonymous", ["None"]);
        if (calendar)
        {
            foreach (var grant in tenant.State.MailboxPermissions(mailbox.Ordinal))
            {
                var delegateMailbox = tenant.Mailboxes.Find(grant.User).FirstOrDefault();
                yield return (delegateMailbox?.DisplayName ?? grant.User, ["Editor"]);
            }
        }
    }

    private static void RequireArchive(Mailbox mailbox, bool archive)
    {
        if (archive && mailbox.Archive is null)
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidOperation($"The mailbox '{mailbox.Name}' doesn't have an archive.", mailbox.Name));
        }
    }

    private static bool IsTrue(ExchangeRequest request, string option) =>
        string.Equals(request.Query.Get(option), "true", StringComparison.OrdinalIgnoreCase);

    private static string Decode(ExchangeRequest request, string key) => MailboxResource.DecodeIdentity(key, request.Query.Get(IsEncoded));

    private static string TrusteeName(ExchangeRequest request, string user) =>
        user.Equals(ObjectShapes.SelfUser, StringComparison.OrdinalIgnoreCase) ? user : MailboxLookup.Resolve(request.Tenant, user).UserPrincipalName;

    private static string TrusteeDisplayName(ExchangeRequest request, string user) =>
        request.Tenant.Mailboxes.Find(user).FirstOrDefault()?.DisplayName ?? user;
}
