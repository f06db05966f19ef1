using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>One classic cmdlet call through InvokeCommand.</summary>
public sealed class InvokeCommandRequest
{
    public InvokeCommandRequest(string cmdletName, IDictionary parameters)
    {
        CmdletName = cmdletName;
        Parameters = parameters;
    }

    public string CmdletName { get; }

    /// <summary>Parameter name → PowerShell value, in the order they were bound.</summary>
    public IDictionary Parameters { get; }

    /// <summary>How many objects to read across pages; the service applies its own default when the caller set none.</summary>
    public ResultSize ResultSize { get; set; } = ResultSize.Unlimited;

    /// <summary>The PSTypeName given to each output object (format data keys on it).</summary>
    public string OutputTypeName { get; set; } = "ExoAdmin.Object";

    /// <summary>The schema type whose Edm types shape the output (Mailbox, CasMailbox…); null for untyped output.</summary>
    public string? SchemaTypeName { get; set; }

    /// <summary>What an error is about (the -Identity), for the ErrorRecord's target and an unknown outcome's report.</summary>
    public object? Target { get; set; }

    /// <summary>The cmdlet's -WarningAction, which §5.1 sends as a header (Ignore as SilentlyContinue); null when not given.</summary>
    public string? WarningAction { get; set; }

    /// <summary>Get- cmdlets only read: they may be re-sent after a transient failure.</summary>
    public bool IsReadOnly => CmdletName.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Classic cmdlets (§5): POST {"CmdletInput":…} to …/InvokeCommand, re-POST the same body to each
/// @odata.nextLink, stream each GenericHashTable as a typed PSObject, write @adminapi.warnings as warnings, and
/// turn the service's cmdlet errors (§8.2) and a change's lost answer into non-terminating ErrorRecords for this
/// pipeline item.
/// </summary>
public static class InvokeCommandOperations
{
    private static readonly EdmStructuredType Untyped = new("GenericHashTable", new Dictionary<string, EdmProperty>());

    public static async Task InvokeAsync(ExoConnection connection, InvokeCommandRequest request, IOperationSink sink, CancellationToken cancellationToken)
    {
        var body = CmdletParameterWriter.Write(request.CmdletName, request.Parameters);
        var type = request.SchemaTypeName is null ? Untyped : EdmModel.Instance.GetType(request.SchemaTypeName);
        var materializer = new ObjectMaterializer(type, request.OutputTypeName);
        var pager = new ODataPager(connection.Client, connection.PageSize, request.CmdletName);
        var uri = new Uri(connection.ApiBase, "InvokeCommand");
        try
        {
            await pager.ReadAsync(uri, request.ResultSize, materializer, Guid.NewGuid().ToString(), sink, cancellationToken,
                new InvokeCommandCall(request.CmdletName, body, request.IsReadOnly, request.Target, request.WarningAction)).ConfigureAwait(false);
        }
        catch (ExoServiceException ex) when (ex.StatusCode >= 400 && ex.StatusCode < 500 && ex.StatusCode != 401 && ex.StatusCode != 429)
        {
            // The cmdlet failed for this object (not found, already a member…): the pipeline goes on.
            sink.WriteError(new ExoServiceException(ex.Message, ex.ErrorId, ex.Category, ex.Target ?? request.Target, ex.StatusCode, ex.RequestId).ToErrorRecord());
        }
        catch (ExoChangeOutcomeUnknownException unknown)
        {
            // A change whose answer was lost is this item's error, in its place among the item's output; it is never
            // sent again, and the pipeline goes on with the next item.
            sink.WriteError(unknown.ToErrorRecord());
        }
    }
}
