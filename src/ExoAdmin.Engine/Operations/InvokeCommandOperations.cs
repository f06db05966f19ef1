using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// Classic cmdlets (§5): POST {"CmdletInput":…} to …/InvokeCommand, re-POST the same body to each
/// @odata.nextLink, stream each GenericHashTable as a typed PSObject, write @adminapi.warnings as warnings, and
/// turn the service's cmdlet errors (§8.2, §18.4) and a change's lost answer into non-terminating ErrorRecords for
/// this pipeline item. A change's Confirm=true probe (§5.2) asks the service what it would do, for ShouldProcess.
/// </summary>
public static class InvokeCommandOperations
{
    /// <summary>A probe's answer is one small object; anything larger is refused rather than buffered.</summary>
    internal const int MaxProbeAnswerBytes = 1024 * 1024;

    private static readonly EdmStructuredType Untyped = new("GenericHashTable", new Dictionary<string, EdmProperty>());

    public static async Task InvokeAsync(ExoConnection connection, InvokeCommandRequest request, IOperationSink sink, CancellationToken cancellationToken)
    {
        var type = request.SchemaTypeName is null ? Untyped : EdmModel.Instance.GetType(request.SchemaTypeName);
        var materializer = new ObjectMaterializer(type, request.OutputTypeName);
        var pager = new ODataPager(connection.Client, connection.PageSize, request.CmdletName);
        try
        {
            await pager.ReadAsync(InvokeCommandUri(connection), request.ResultSize, materializer, Guid.NewGuid().ToString(), sink, cancellationToken,
                new InvokeCommandCall(request.CmdletName, request.Body, request.IsReadOnly, request.Target, request.WarningAction)).ConfigureAwait(false);
        }
        catch (ExoServiceException ex) when (IsCmdletError(ex))
        {
            // The cmdlet failed for this object (not found, already a member…): the pipeline goes on.
            sink.WriteError(ex.AsCmdletError(request.Target).ToErrorRecord());
        }
        catch (ExoChangeOutcomeUnknownException unknown)
        {
            // A change whose answer was lost is this item's error, in its place among the item's output; it is never
            // sent again, and the pipeline goes on with the next item.
            sink.WriteError(unknown.ToErrorRecord());
        }
    }

    /// <summary>
    /// Sends a change's Confirm=true probe (§5.2): the service checks the change (the target exists, the parameters
    /// bind) and applies nothing. Returns its confirmation message (null when it sent none); a cmdlet error (such as a
    /// target that does not exist) comes back as the ExoServiceException to report, as the change itself would.
    /// </summary>
    public static async Task<ConfirmationProbe> ProbeAsync(ExoConnection connection, InvokeCommandRequest change, IOperationSink sink, CancellationToken cancellationToken)
    {
        var probe = change.AsConfirmationProbe();
        var call = new RestCall(HttpMethod.Post, InvokeCommandUri(connection), Guid.NewGuid().ToString())
        {
            Kind = RequestKind.InvokeCommand,
            JsonBody = probe.Body,
            CmdletName = probe.CmdletName,
            IsReadOnly = probe.IsReadOnly,
            Target = probe.Target,
            WarningAction = probe.WarningAction,
        };
        try
        {
            // A probe's answer is one small object, read within its own cap (and the body timeouts).
            var body = await EntityReader.ReadBodyAsync(connection.Client, call, sink, MaxProbeAnswerBytes, cancellationToken).ConfigureAwait(false);
            return ConfirmationProbe.Read(body, call.Uri.AbsolutePath);
        }
        catch (ExoServiceException ex) when (IsCmdletError(ex))
        {
            return new ConfirmationProbe(null, new List<string>(), ex.AsCmdletError(change.Target));
        }
    }

    /// <summary>An answer about this item (4xx other than sign-in and throttling, which the client handles itself).</summary>
    private static bool IsCmdletError(ExoServiceException ex) =>
        ex.StatusCode >= 400 && ex.StatusCode < 500 && ex.StatusCode != 401 && ex.StatusCode != 429;

    private static Uri InvokeCommandUri(ExoConnection connection) => new(connection.ApiBase, "InvokeCommand");
}

/// <summary>What the service said to a Confirm=true probe: its confirmation message and warnings, or the error the change would meet.</summary>
public sealed class ConfirmationProbe
{
    public ConfirmationProbe(string? message, IReadOnlyList<string> warnings, ExoServiceException? error)
    {
        Message = message;
        Warnings = warnings;
        Error = error;
    }

    /// <summary>@adminapi.confirmationmessage: what the change would do, in the service's words.</summary>
    public string? Message { get; }

    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The cmdlet error the change would meet (a missing target…); null when it would run.</summary>
    public ExoServiceException? Error { get; }

    internal static ConfirmationProbe Read(byte[] body, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? message = null;
            var warnings = new List<string>();
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("@adminapi.confirmationmessage", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    message = text.GetString();
                }

                if (root.TryGetProperty("@adminapi.warnings", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var warning in list.EnumerateArray())
                    {
                        if (warning.ValueKind == JsonValueKind.String)
                        {
                            warnings.Add(warning.GetString()!);
                        }
                    }
                }
            }

            return new ConfirmationProbe(message, warnings, null);
        }
        catch (JsonException ex)
        {
            throw Failures.Protocol($"The service's answer to a confirmation request is not valid JSON: {ex.Message}", source, ex);
        }
    }
}
