using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Base of the classic cmdlets (Get-Mailbox, Set-Mailbox…): every bound parameter except the common ones is
/// sent to InvokeCommand under the cmdlet's name, once per pipeline item. Changes go through ShouldProcess
/// first, so -WhatIf sends nothing and -Confirm asks. Service errors for one item are non-terminating.
/// Pipelined items run up to the connection's -MaxConcurrency at once, each its own request through ExoRestClient (so
/// its retry and ambiguity rules apply per item), their output in input order; ShouldProcess is still asked on the
/// pipeline thread, in order, before an item is sent. A change under -ErrorAction Stop or Inquire, with -Confirm or with
/// -Verbose runs one item at a time: no item may be applied after one that stops the pipeline, or before its answer.
/// </summary>
public abstract class ClassicCmdlet : ConnectedCmdlet
{
    private static readonly HashSet<string> NotSent = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction", "WhatIf", "Confirm",
        nameof(ConnectionId), nameof(ModulePrefix),
    };

    /// <summary>The service-side cmdlet name.</summary>
    protected abstract string CmdletName { get; }

    /// <summary>PSTypeName of the output objects.</summary>
    protected virtual string OutputTypeName => "ExoAdmin.Object";

    /// <summary>Schema type that types the output's values, when the service has one.</summary>
    protected virtual string? SchemaTypeName => null;

    /// <summary>What ShouldProcess and error records name: the -Identity by default.</summary>
    protected virtual string? Target => MyInvocation.BoundParameters.TryGetValue("Identity", out var identity) ? identity?.ToString() : null;

    private bool _isChange;

    protected override void ProcessRecord() => Invoke(CmdletName, CollectParameters(MyInvocation.BoundParameters));

    private protected override bool ItemsChangeState => _isChange;

    private protected override int ItemWindow => _isChange && (StopsOnError() || AsksEachItem() || Says("Verbose")) ? 1 : ConnectionWindow;

    /// <summary>-ErrorAction (or $ErrorActionPreference) Stop or Inquire: an error must end the run before the next item.</summary>
    private bool StopsOnError()
    {
        var value = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound) ? bound : GetVariableValue("ErrorActionPreference");
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        var preference = value is ActionPreference given ? given
            : Enum.TryParse<ActionPreference>(value?.ToString(), ignoreCase: true, out var parsed) ? parsed : ActionPreference.Continue;
        return preference is ActionPreference.Stop or ActionPreference.Inquire;
    }

    private bool AsksEachItem() => Says("Confirm");

    /// <summary>
    /// A switch given as true. -Verbose counts: ShouldProcess writes its "Performing the operation" line when it is asked,
    /// which must come after the earlier item's lines, so a change with -Verbose runs one item at a time.
    /// </summary>
    private bool Says(string parameter) =>
        MyInvocation.BoundParameters.TryGetValue(parameter, out var value) && value is SwitchParameter { IsPresent: true };

    /// <summary>Runs a classic cmdlet with these parameters (used by Invoke-ExoCommand with any name).</summary>
    internal void Invoke(string cmdletName, IDictionary parameters)
    {
        var isRead = cmdletName.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
        _isChange = !isRead;
        if (!isRead && !ShouldProcess(Target ?? cmdletName, cmdletName))
        {
            return;
        }

        var connection = ResolveConnection();
        if (connection.AllowedCmdlets is { } allowed && !System.Linq.Enumerable.Contains(allowed, cmdletName, StringComparer.OrdinalIgnoreCase))
        {
            // The service did not offer this cmdlet to this connection (role, or -CommandName): say so before sending.
            ThrowTerminatingError(new Engine.Errors.ExoException(
                $"The cmdlet '{cmdletName}' is not available on this connection: the role assigned to you does not include it, or Connect-ExchangeOnline -CommandName left it out.",
                "CmdletNotAvailable", ErrorCategory.PermissionDenied, cmdletName).ToErrorRecord());
        }

        var request = new InvokeCommandRequest(cmdletName, parameters)
        {
            OutputTypeName = OutputTypeName,
            SchemaTypeName = SchemaTypeName,
            Target = Target,
            WarningAction = WarningActionHeader(),
        };
        if (parameters.Contains("ResultSize") && parameters["ResultSize"] is Engine.OData.ResultSize resultSize)
        {
            request.ResultSize = resultSize;
        }

        RunItem((sink, cancellation) => InvokeCommandOperations.InvokeAsync(connection, request, sink, cancellation), request.Target?.ToString() ?? cmdletName);
    }

    /// <summary>§5.1: -WarningAction travels as a header, Ignore as SilentlyContinue; null when it was not given.</summary>
    private string? WarningActionHeader()
    {
        if (!MyInvocation.BoundParameters.TryGetValue("WarningAction", out var value))
        {
            return null;
        }

        var text = (value is PSObject wrapped ? wrapped.BaseObject : value)?.ToString();
        return string.Equals(text, nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase) ? nameof(ActionPreference.SilentlyContinue) : text;
    }

    internal static IDictionary CollectParameters(IDictionary<string, object> bound)
    {
        var parameters = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in bound)
        {
            if (!NotSent.Contains(parameter.Key))
            {
                parameters[parameter.Key] = parameter.Value is Unlimited unlimited ? unlimited.ToResultSize() : parameter.Value;
            }
        }

        return parameters;
    }
}
