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
        var materializer = new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), OutputTypeName);
        var cmdletRequestId = Guid.NewGuid().ToString();
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
            try
            {
                await new ODataPager(connection.Client, connection.PageSize, "Get-EXOMailbox").ReadAsync(url.Build(), query.ResultSize, materializer, cmdletRequestId, sink, cancellationToken, extraHeaders: headers).ConfigureAwait(false);
            }
            catch (ExoServiceException ex)
            {
                sink.WriteError(new ExoServiceException(ex.Message, ex.ErrorId, ex.Category, identity, ex.StatusCode, ex.RequestId).ToErrorRecord());
            }

            return;
        }

        if (identity is not null)
        {
            await GetOneAsync(connection, url.Build(), identity, materializer, cmdletRequestId, sink, cancellationToken).ConfigureAwait(false);
            return;
        }

        var pager = new ODataPager(connection.Client, connection.PageSize, "Get-EXOMailbox");
        var result = await pager.ReadAsync(url.Build(), query.ResultSize, materializer, cmdletRequestId, sink, cancellationToken).ConfigureAwait(false);
        if (result.MoreAvailable && query.ResultSizeIsDefault)
        {
            sink.WriteWarning($"There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter (for example -ResultSize Unlimited).");
        }
    }

    private static async Task GetOneAsync(ExoConnection connection, Uri uri, string identity, ObjectMaterializer materializer, string cmdletRequestId, IOperationSink sink, CancellationToken cancellationToken)
    {
        try
        {
            var json = await EntityReader.ReadAsync(connection.Client, new RestCall(HttpMethod.Get, uri, cmdletRequestId), sink, cancellationToken).ConfigureAwait(false);
            sink.WriteObject(materializer.Materialize(json));
        }
        catch (ExoServiceException ex)
        {
            // A missing or ambiguous mailbox is this item's problem, not the pipeline's.
            sink.WriteError(new ExoServiceException(ex.Message, ex.ErrorId, ex.Category, identity, ex.StatusCode, ex.RequestId).ToErrorRecord());
        }
    }
}
