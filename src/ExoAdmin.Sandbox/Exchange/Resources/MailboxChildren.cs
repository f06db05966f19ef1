using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// What hangs off one mailbox in the Get-EXO* URLs (§6.3): its permissions (Get-EXOMailboxPermission), its
/// statistics (Get-EXOMailboxStatistics), its folders' statistics and permissions, and its mobile devices.
/// </summary>
internal static partial class MailboxChildren
{
    private const string IsEncoded = "isEncoded";


    public static Task HandleAsync(ExchangeRequest request, Mailbox mailbox)
    {
        var remainder = request.Target.Remainder;
        var archive = string.Equals(request.Query.Get("Archive"), "true", StringComparison.OrdinalIgnoreCase);
        if (PermissionPath().Match(remainder) is { Success: true } permission)
        {
            request.RejectUnsupportedOptions([IsEncoded, "$filter", "SoftDeletedMailbox"], []);
            var user = permission.Groups[1].Success ? Decode(request, permission.Groups[1].Value) : null;
            var trustee = user is null ? null : TrusteeName(request, user);
            var entries = ObjectShapes.MailboxPermissionEntries(request.Tenant, mailbox, trustee)
                .Select((e, i) => ObjectShapes.MailboxPermissionEntity(mailbox, i, e.User, e.Rights, e.Deny, e.Inheritance, e.IsOwner))
                .ToArray();
            var filtered = ODataFilter.Apply(request.Query.Get("$filter"), entries, "MailboxPermission");
            return CollectionWriter.WriteAsync(request, "MailboxPermission", filtered);
        }

        if (StatisticsPath().IsMatch(remainder))
        {
            request.RejectUnsupportedOptions([IsEncoded, "Archive", "IncludeSoftDeletedRecipients", "PropertySet", "$select"], []);
            RequireArchive(request, mailbox, archive);
            return WriteStatisticsAsync(request, mailbox, archive);
        }

        if (FolderStatisticsPath().Match(remainder) is { Success: true } folders)
        {
            request.RejectUnsupportedOptions([IsEncoded, "Archive", "IncludeSoftDeletedRecipients", "IncludeOldestAndNewestItems", "IncludeAnalysis", "$select", "$filter"], []);
            RequireArchive(request, mailbox, archive);
            var scope = folders.Groups[1].Success ? folders.Groups[1].Value : "All";
            var items = MailboxActivity.FolderStatistics(mailbox, archive)
                .Where(f => scope.Equals("All", StringComparison.OrdinalIgnoreCase) || f.FolderType.Equals(scope, StringComparison.OrdinalIgnoreCase))
                .Select((f, i) => ObjectShapes.FolderStatistics(mailbox, f, i))
                .ToArray();
            return CollectionWriter.WriteAsync(request, "Collection(Exchange.MailboxFolderStatistics)", ODataFilter.Apply(request.Query.Get("$filter"), items, "MailboxFolderStatistics"));
        }

        if (FolderPermissionPath().Match(remainder) is { Success: true } folderPermission)
        {
            request.RejectUnsupportedOptions([IsEncoded, "IsUsingMailboxFolderId", "GroupMailbox"], []);
            var folder = Decode(request, folderPermission.Groups[1].Value).TrimStart(':').TrimStart('\\', '/');
            var known = MailboxActivity.FolderStatistics(mailbox, false).FirstOrDefault(f => f.Name.Equals(folder, StringComparison.OrdinalIgnoreCase))
                ?? throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound($"{mailbox.Name}:\\{folder}", request.Tenant.Tenant));
            var user = folderPermission.Groups[2].Success ? Decode(request, folderPermission.Groups[2].Value) : null;
            var items = FolderPermissions(request.Tenant, mailbox, known)
                .Where(p => user is null || p.User.Equals(user, StringComparison.OrdinalIgnoreCase) || p.User.Equals(TrusteeDisplayName(request, user), StringComparison.OrdinalIgnoreCase))
                .Select((p, i) => new PropertyBag(i)
                    .Add("Identity", $"{mailbox.Name}:\\{known.Name}")
                    .Add("FolderName", known.Name)
                    .Add("User", p.User)
                    .Add("AccessRights", p.Rights)
                    .Add("SharingPermissionFlags", PropertyValue.Null))
                .ToArray();
            return CollectionWriter.WriteAsync(request, "MailboxFolderPermission", items);
        }

        if (MobileDevicePath().IsMatch(remainder))
        {
            request.RejectUnsupportedOptions([IsEncoded, "ActiveSync", "OWAforDevices", "RestApi", "UniversalOutlook", "$select"], []);
            var devices = MailboxActivity.MobileDevices(mailbox).Select((d, i) => ObjectShapes.MobileDevice(mailbox, d, i)).ToArray();
            return CollectionWriter.WriteAsync(request, "Collection(Exchange.MobileDeviceStatistics)", devices);
        }

        throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(remainder.TrimStart('/')));
    }

    /// <summary>
    /// GetMailboxStatisticsV2 (§6.3): the mailbox named by its ExchangeGuid on the database named by its guid,
    /// routed by parameter: the request must carry X-AnchorMailbox MBX:&lt;mailboxGuid&gt;@&lt;tenant&gt;, as the
    /// original sends it. A mailbox that is not on that database is not found, which sends the client to its
    /// identity query.
    /// </summary>
    public static Task HandleStatisticsV2Async(ExchangeRequest request)
    {
        var match = StatisticsV2Path().Match(request.Target.Remainder);
        if (!match.Success)
        {
            throw new ExchangeErrorException(ExchangeErrors.ResourceNotFound(request.Target.Remainder.TrimStart('/')));
        }

        request.RejectUnsupportedOptions(["UseCopyOnLocalServer", "PropertySet", "$select"], []);
        if (!Guid.TryParse(match.Groups[1].Value, out var mailboxGuid) || !Guid.TryParse(match.Groups[2].Value, out var databaseGuid))
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
        return CollectionWriter.WriteSingleAsync(request, "Exchange.MailboxStatistics", ObjectShapes.Statistics(mailbox, archive).Project(selected));
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

    private static void RequireArchive(ExchangeRequest request, Mailbox mailbox, bool archive)
    {
        if (archive && mailbox.Archive is null)
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidOperation($"The mailbox '{mailbox.Name}' doesn't have an archive.", mailbox.Name));
        }
    }

    private static string Decode(ExchangeRequest request, string key) => MailboxResource.DecodeIdentity(key, request.Query.Get(IsEncoded));

    private static string TrusteeName(ExchangeRequest request, string user) =>
        user.Equals(ObjectShapes.SelfUser, StringComparison.OrdinalIgnoreCase) ? user : MailboxLookup.Resolve(request.Tenant, user).UserPrincipalName;

    private static string TrusteeDisplayName(ExchangeRequest request, string user) =>
        request.Tenant.Mailboxes.Find(user).FirstOrDefault()?.DisplayName ?? user;

    [GeneratedRegex(@"^/MailboxPermission(?:\('([^']*)'\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PermissionPath();

    [GeneratedRegex(@"^/(?:Exchange\.)?GetMailboxStatistics\(\)$", RegexOptions.IgnoreCase)]
    private static partial Regex StatisticsPath();

    [GeneratedRegex(@"^/(?:Exchange\.)?GetMailboxStatisticsV2\(mailboxGuid=([^,)]*),databaseGuid=([^,)]*)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex StatisticsV2Path();

    [GeneratedRegex(@"^/MailboxFolder/(?:Exchange\.)?GetMailboxFolderStatistics\((?:folderscope=(?:Exchange\.ElcFolderType)?'(\w+)')?\)$", RegexOptions.IgnoreCase)]
    private static partial Regex FolderStatisticsPath();

    [GeneratedRegex(@"^/MailboxFolder\('([^']*)'\)/MailboxFolderPermission(?:\('([^']*)'\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex FolderPermissionPath();

    [GeneratedRegex(@"^/MobileDevice/(?:Exchange\.)?GetMobileDeviceStatistics\(\)$", RegexOptions.IgnoreCase)]
    private static partial Regex MobileDevicePath();
}
