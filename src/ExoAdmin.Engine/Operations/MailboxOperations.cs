using System;
using System.Linq;
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

/// <summary>Get-EXOMailbox: one mailbox by identity, or a streamed list.</summary>
public static class MailboxOperations
{
    internal const string OutputTypeName = "ExoAdmin.Mailbox";

    /// <summary>Fails early, before any request, on properties the schema does not know (as the original does).</summary>
    public static void ValidateProperties(string[]? properties, string schemaType = "Mailbox", string cmdlet = "Get-EXOMailbox")
    {
        if (properties is null || properties.Length == 0)
        {
            return;
        }

        var type = EdmModel.Instance.GetType(schemaType);
        var unknown = properties.Where(p => type.Find(p) is null).ToArray();
        if (unknown.Length > 0)
        {
            throw Failures.InvalidArgument(
                $"Some of the requested properties are not valid for {cmdlet}: {string.Join(", ", unknown)}.",
                "InvalidProperties",
                unknown.Length == 1 ? unknown[0] : unknown);
        }
    }

    public static async Task GetAsync(ExoConnection connection, MailboxQuery query, IOperationSink sink, CancellationToken cancellationToken)
    {
        ValidateProperties(query.Properties);
        var filter = string.IsNullOrWhiteSpace(query.Filter) ? null : OpathFilter.ToOData(query.Filter!, "Mailbox");
        var materializer = ExoReads.Materializer("Mailbox", OutputTypeName);
        var identity = query.EffectiveIdentity;
        // With the inactive-mailbox switches an identity travels in a header, not a key (§6.3).
        var identityInHeader = identity is not null && (query.InactiveMailboxOnly || query.IncludeInactiveMailbox);
        var url = ODataUrl.For(connection.ApiBase, "Mailbox");
        if (identity is not null && !identityInHeader)
        {
            url.Key(identity);
        }

        url.ListOption("PropertySet", query.PropertySets)
           .ListOption("$select", query.Properties)
           .ListOption("RecipientTypeDetails", query.RecipientTypeDetails)
           .Option("$filter", filter)
           .Option("Anr", query.Anr)
           .Option("OrganizationalUnit", query.OrganizationalUnit)
           .Option("MailboxPlan", query.MailboxPlan)
           .Option("SoftDeletedMailbox", query.SoftDeletedMailbox ? "True" : null)
           .Option("InactiveMailboxOnly", query.InactiveMailboxOnly ? "True" : null)
           .Option("Archive", query.Archive ? "True" : null)
           .Option("IncludeInactiveMailbox", query.IncludeInactiveMailbox ? "True" : null);

        if (identityInHeader)
        {
            url.Option("ReadIdsAndParamsFromHeaders", "True");
            var headers = new System.Collections.Generic.Dictionary<string, string> { ["XParameter-Identity"] = ODataUrl.EncodeIdentity(identity!) };
            await ExoReads.ReadManyAsync("Get-EXOMailbox", connection, url.Build(), identity, materializer, query.ResultSize, sink, cancellationToken, headers).ConfigureAwait(false);
            return;
        }

        if (identity is not null)
        {
            await ExoReads.ReadOneAsync(connection, new RestCall(HttpMethod.Get, url.Build(), Guid.NewGuid().ToString()), identity, materializer, sink, cancellationToken).ConfigureAwait(false);
            return;
        }

        await ExoReads.ReadManyAsync("Get-EXOMailbox", connection, url.Build(), null, materializer, query.ResultSize, sink, cancellationToken).ConfigureAwait(false);
    }
}
