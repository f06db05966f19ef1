using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// The two reads every Get-EXO* cmdlet is made of: one entity (or function result), and a paged list. A failure that
/// concerns the identity an item named (not found, ambiguous) is that item's non-terminating error, so the pipeline goes
/// on; a list cut short by -ResultSize says so on the Verbose stream.
/// </summary>
internal static class ExoReads
{
    /// <summary>
    /// A list that stopped at -ResultSize while the service had more. Microsoft's compiled Get-EXO* cmdlets stop there
    /// without a warning (§7.1; the service's X-Warnings are not printed by default, §8.3), and so does ExoAdmin, so
    /// scripts see the same streams; -Verbose says it.
    /// </summary>
    internal static string MoreResultsNote(ResultSize resultSize) =>
        $"Stopped at -ResultSize {resultSize}; the service has more. -ResultSize Unlimited reads them all.";

    public static async Task ReadOneAsync(ExoConnection connection, RestCall call, string identity, ObjectMaterializer materializer, IOperationSink sink, CancellationToken cancellationToken)
    {
        try
        {
            var json = await EntityReader.ReadAsync(connection.Client, call, sink, cancellationToken).ConfigureAwait(false);
            sink.WriteObject(materializer.Materialize(json));
        }
        catch (ExoServiceException ex)
        {
            sink.WriteError(ForItem(ex, identity).ToErrorRecord());
        }
    }

    public static Task ReadOneAsync(ExoConnection connection, Uri uri, string identity, string schemaType, string outputType, IOperationSink sink, CancellationToken cancellationToken) =>
        ReadOneAsync(connection, new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString()), identity, Materializer(schemaType, outputType), sink, cancellationToken);

    /// <param name="cmdletName">The Get-EXO* cmdlet reading, as errors about the whole read (an expired next link) name it.</param>
    /// <param name="identity">The identity the item named; null for a list of the whole tenant, whose failures stop the command.</param>
    public static async Task ReadManyAsync(string cmdletName, ExoConnection connection, Uri uri, string? identity, ObjectMaterializer materializer, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var pager = new ODataPager(connection.Client, connection.PageSize, cmdletName);
        try
        {
            var result = await pager.ReadAsync(uri, resultSize, materializer, Guid.NewGuid().ToString(), sink, cancellationToken, extraHeaders: headers).ConfigureAwait(false);
            if (result.MoreAvailable)
            {
                sink.WriteVerbose(MoreResultsNote(resultSize));
            }
        }
        catch (ExoServiceException ex) when (identity is not null)
        {
            sink.WriteError(ForItem(ex, identity).ToErrorRecord());
        }
    }

    public static Task ReadManyAsync(string cmdletName, ExoConnection connection, Uri uri, string? identity, string schemaType, string outputType, ResultSize resultSize, IOperationSink sink, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null) =>
        ReadManyAsync(cmdletName, connection, uri, identity, Materializer(schemaType, outputType), resultSize, sink, cancellationToken, headers);

    public static ObjectMaterializer Materializer(string schemaType, string outputType) => new(EdmModel.Instance.GetType(schemaType), outputType);

    /// <summary>The same service error, aimed at the identity the item named.</summary>
    private static ExoServiceException ForItem(ExoServiceException ex, string identity) =>
        new(ex.Message, ex.ErrorId, ex.Category, identity, ex.StatusCode, ex.RequestId);
}
