using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Filters;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// The Get-EXO* cmdlets other than Get-EXOMailbox (§6.3): statistics, permissions, folders, devices, client
/// access settings and recipients. Each builds its URL with <see cref="ODataUrl"/>, reads through the same
/// pager or entity reader, and reports a failure for one identity as a non-terminating error.
/// </summary>
public static class MailboxDetailOperations
{
    /// <summary>
    /// Statistics by identity (§6.3). With both an ExchangeGuid and a DatabaseGuid the original first asks
    /// GetMailboxStatisticsV2 on the mailbox's database, routed by X-AnchorMailbox MBX:&lt;guid&gt;@&lt;tenant&gt;, and
    /// falls back to the identity query when that fails; <paramref name="identity"/> is then the ExchangeGuid.
    /// </summary>
    public static async Task GetStatisticsAsync(ExoConnection connection, string identity, Guid? exchangeGuid, Guid? databaseGuid, bool archive, bool includeSoftDeleted, string[]? propertySets, string[]? properties, IOperationSink sink, CancellationToken cancellationToken)
    {
        if (exchangeGuid is Guid mailboxGuid && databaseGuid is Guid database && !archive && !includeSoftDeleted)
        {
            var v2 = ODataUrl.For(connection.ApiBase, "Mailbox")
                .Path($"/Exchange.GetMailboxStatisticsV2(mailboxGuid={mailboxGuid:D},databaseGuid={database:D})")
                .Option("UseCopyOnLocalServer", "True")
                .ListOption("PropertySet", propertySets)
                .ListOption("$select", properties);
            var call = new RestCall(HttpMethod.Get, v2.Build(), Guid.NewGuid().ToString()) { Anchor = $"MBX:{mailboxGuid:D}@{connection.TenantId}" };
            try
            {
                var json = await EntityReader.ReadAsync(connection.Client, call, sink, cancellationToken).ConfigureAwait(false);
                sink.WriteObject(ExoReads.Materializer("MailboxStatistics", "ExoAdmin.MailboxStatistics").Materialize(json));
                return;
            }
            catch (ExoServiceException ex) when (!cancellationToken.IsCancellationRequested)
            {
                sink.WriteVerbose($"GetMailboxStatisticsV2 for {mailboxGuid:D} on database {database:D} failed ({ex.ErrorId}); asking by identity instead.");
            }
        }

        var url = ODataUrl.For(connection.ApiBase, "Mailbox").Key(identity).Path("/Exchange.GetMailboxStatistics()")
            .Option("Archive", archive ? "True" : null)
            .Option("IncludeSoftDeletedRecipients", includeSoftDeleted ? "True" : null)
            .ListOption("PropertySet", propertySets)
            .ListOption("$select", properties);
        await ExoReads.ReadOneAsync(connection, url.Build(), identity, "MailboxStatistics", "ExoAdmin.MailboxStatistics", sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Permissions, one object per (user, entry) with the entity's PermissionList flattened, as the original prints them.</summary>
    public static Task GetMailboxPermissionsAsync(ExoConnection connection, string identity, string? user, bool ownerOnly, bool softDeleted, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = ODataUrl.For(connection.ApiBase, "Mailbox").Key(identity).Path("/MailboxPermission");
        if (user is not null)
        {
            url.PathKey(user);
        }

        url.Option("$filter", ownerOnly ? "IsOwner eq true" : null).Option("SoftDeletedMailbox", softDeleted ? "True" : null);
        var flattening = new TransformingSink(sink, FlattenPermission);
        return ExoReads.ReadManyAsync("Get-EXOMailboxPermission", connection, url.Build(), identity, "MailboxPermission", "ExoAdmin.MailboxPermission", resultSize, flattening, cancellationToken);
    }

    public static Task GetFolderStatisticsAsync(ExoConnection connection, string identity, string folderScope, bool archive, bool includeOldestAndNewest, bool includeSoftDeleted, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = ODataUrl.For(connection.ApiBase, "Mailbox").Key(identity)
            .Path($"/MailboxFolder/Exchange.GetMailboxFolderStatistics(folderscope=Exchange.ElcFolderType'{folderScope}')")
            .Option("Archive", archive ? "True" : null)
            .Option("IncludeSoftDeletedRecipients", includeSoftDeleted ? "True" : null)
            .Option("IncludeOldestAndNewestItems", includeOldestAndNewest ? "True" : null);
        return ExoReads.ReadManyAsync("Get-EXOMailboxFolderStatistics", connection, url.Build(), identity, "MailboxFolderStatistics", "ExoAdmin.MailboxFolderStatistics", resultSize, sink, cancellationToken);
    }

    /// <param name="identity">"mailbox:\Folder", as the original takes it.</param>
    /// <param name="groupMailbox">The mailbox is a Microsoft 365 group's (the GroupMailbox option, §6.3).</param>
    public static Task GetFolderPermissionsAsync(ExoConnection connection, string identity, string? user, bool groupMailbox, IOperationSink sink, CancellationToken cancellationToken)
    {
        var separator = identity.IndexOf(":\\", StringComparison.Ordinal);
        var mailbox = separator < 0 ? identity : identity.Substring(0, separator);
        var folder = separator < 0 ? "\\" : identity.Substring(separator + 1);
        var url = ODataUrl.For(connection.ApiBase, "Mailbox").Key(mailbox).Path("/MailboxFolder").PathKey(folder).Path("/MailboxFolderPermission");
        if (user is not null)
        {
            url.PathKey(user);
        }

        url.Option("IsUsingMailboxFolderId", "True").Option("GroupMailbox", groupMailbox ? "True" : null);
        return ExoReads.ReadManyAsync("Get-EXOMailboxFolderPermission", connection, url.Build(), identity, "MailboxFolderPermission", "ExoAdmin.MailboxFolderPermission", ResultSize.Unlimited, sink, cancellationToken);
    }

    public static Task GetCasMailboxAsync(ExoConnection connection, string? identity, string[]? propertySets, string[]? properties, string? filter, ListScope scope, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = ODataUrl.For(connection.ApiBase, "CasMailbox");
        if (identity is not null)
        {
            url.Key(identity);
        }

        url.ListOption("PropertySet", propertySets).ListOption("$select", properties)
           .Option("$filter", string.IsNullOrWhiteSpace(filter) ? null : OpathFilter.ToOData(filter!, "CasMailbox"));
        if (identity is null)
        {
            scope.ApplyTo(url);
        }

        return identity is null
            ? ExoReads.ReadManyAsync("Get-EXOCasMailbox", connection, url.Build(), null, "CasMailbox", "ExoAdmin.CasMailbox", resultSize, sink, cancellationToken)
            : ExoReads.ReadOneAsync(connection, url.Build(), identity, "CasMailbox", "ExoAdmin.CasMailbox", sink, cancellationToken);
    }

    /// <summary>A recipient by identity travels in the XParameter-Identity header (§6.3), not in a key.</summary>
    public static Task GetRecipientsAsync(ExoConnection connection, string? identity, string[]? recipientTypeDetails, string[]? propertySets, string[]? properties, string? filter, ListScope scope, bool includeSoftDeleted, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken)
    {
        var url = ODataUrl.For(connection.ApiBase, "Recipient")
            .ListOption("$select", properties)
            .ListOption("RecipientTypeDetails", recipientTypeDetails)
            .ListOption("PropertySet", propertySets)
            .Option("IncludeSoftDeletedRecipients", includeSoftDeleted ? "True" : null)
            .Option("$filter", string.IsNullOrWhiteSpace(filter) ? null : OpathFilter.ToOData(filter!, "Recipient"));
        scope.ApplyTo(url);
        Dictionary<string, string>? headers = null;
        if (identity is not null)
        {
            url.Option("ReadIdsAndParamsFromHeaders", "True");
            headers = new Dictionary<string, string> { ["XParameter-Identity"] = ODataUrl.EncodeIdentity(identity) };
        }

        return ExoReads.ReadManyAsync("Get-EXORecipient", connection, url.Build(), identity, "Recipient", "ExoAdmin.Recipient", resultSize, sink, cancellationToken, headers);
    }

    /// <summary>SendAs permissions: the function returns recipients with their entries expanded; each entry is one output object.</summary>
    public static Task GetRecipientPermissionsAsync(ExoConnection connection, string? identity, string? trustee, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken)
    {
        var arguments = $"identity='{(identity is null ? string.Empty : ODataUrl.EncodeIdentity(identity))}',trustee='{(trustee is null ? string.Empty : ODataUrl.EncodeIdentity(trustee))}',accessRights=[\"SendAs\"]";
        var url = ODataUrl.For(connection.ApiBase, "Recipient").Path("/Exchange.GetRecipientPermissionByFilters(" + Uri.EscapeDataString(arguments).Replace("%3D", "=").Replace("%2C", ",").Replace("%27", "'") + ")")
            .Option("$expand", "RecipientPermission").Option("isEncoded", "true").Option("$select", "RecipientPermission,ExternalDirectoryObjectId");
        var expanding = new TransformingSink(sink, recipient => Expand(recipient, "RecipientPermission", "ExoAdmin.RecipientPermission"));
        return ExoReads.ReadManyAsync("Get-EXORecipientPermission", connection, url.Build(), identity, "Recipient", "ExoAdmin.Recipient", resultSize, expanding, cancellationToken);
    }

    private static IEnumerable<PSObject> FlattenPermission(PSObject permission)
    {
        var list = permission.Properties["PermissionList"]?.Value as object[] ?? Array.Empty<object>();
        foreach (var entry in list.OfType<PSObject>())
        {
            var result = new PSObject();
            result.TypeNames.Insert(0, "ExoAdmin.MailboxPermission");
            result.Properties.Add(new PSNoteProperty("Identity", permission.Properties["MailboxIdentity"]?.Value));
            result.Properties.Add(new PSNoteProperty("User", permission.Properties["User"]?.Value));
            result.Properties.Add(new PSNoteProperty("AccessRights", (entry.Properties["AccessRights"]?.Value as object[])?.Select(r => r?.ToString()).ToArray()));
            result.Properties.Add(new PSNoteProperty("IsInherited", entry.Properties["IsInherited"]?.Value));
            result.Properties.Add(new PSNoteProperty("Deny", entry.Properties["Deny"]?.Value));
            result.Properties.Add(new PSNoteProperty("InheritanceType", entry.Properties["InheritanceType"]?.Value));
            yield return result;
        }
    }

    private static IEnumerable<PSObject> Expand(PSObject parent, string property, string typeName)
    {
        foreach (var entry in (parent.Properties[property]?.Value as object[] ?? Array.Empty<object>()).OfType<PSObject>())
        {
            entry.TypeNames.Insert(0, typeName);
            if (entry.Properties["AccessRights"]?.Value is object[] rights)
            {
                entry.Properties["AccessRights"].Value = rights.Select(r => r?.ToString()).ToArray();
            }

            yield return entry;
        }
    }
}
