using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// The one execution path of classic cmdlets, compiled (Get-Mailbox, Set-Mailbox…) and generated from the service's
/// module file alike: each item's parameters become an immutable <see cref="InvokeCommandRequest"/> (what the service
/// offers this connection is checked first), a change is approved through ShouldProcess, and the request is run through
/// the fan-out: up to the connection's -MaxConcurrency items at once, each its own request through ExoRestClient (so its
/// retry and unknown-outcome rules apply per item), their output in input order, service errors per item.
/// </summary>
/// <remarks>
/// ShouldProcess is asked on the pipeline thread, in order, before an item is sent. When it will print or ask (-WhatIf,
/// -Confirm, ConfirmImpact at or above $ConfirmPreference) the service is first asked what the change would do (§5.2
/// Confirm=true probe): its message is what the What-if line and the prompt show, and a change that would fail (a target
/// that does not exist) fails here as it would for real. Otherwise nothing is asked, so bulk changes pay no second round
/// trip. A change under -ErrorAction Stop or Inquire, that asks, or with -Verbose runs one item at a time: no item may be
/// applied after one that stops the pipeline, or before its answer.
/// A parameter the connection's module file gives the cmdlet beyond those compiled from the catalogue is a dynamic
/// parameter (<see cref="ServiceOnlyParameters"/>), sent like the others.
/// </remarks>
public abstract class ClassicCmdlet : ConnectedCmdlet, IDynamicParameters
{
    private static readonly HashSet<string> NotSent = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "ProgressAction", "WhatIf", "Confirm",
        nameof(ConnectionId), nameof(ModulePrefix),
    };

    private bool _isChange;

    /// <summary>The service-side cmdlet name.</summary>
    protected abstract string CmdletName { get; }

    /// <summary>What ShouldProcess and error records name: the -Identity by default.</summary>
    protected virtual string? Target => IdentityIn(MyInvocation.BoundParameters);

    /// <summary>How much a change matters (the service's ConfirmImpact): compared with $ConfirmPreference.</summary>
    private protected virtual ConfirmImpact Impact =>
        (Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute)) as CmdletAttribute)?.ConfirmImpact ?? ConfirmImpact.Medium;

    /// <summary>Whether the connection's module file may add parameters: every compiled cmdlet; not the runner of generated ones, whose functions have them all.</summary>
    private protected virtual bool TakesServiceOnlyParameters => true;

    /// <summary>
    /// The parameters this connection's module file declares for the cmdlet and the compiled cmdlet lacks. Asked before
    /// any record is processed (and by Get-Command), with -ConnectionId/-ModulePrefix bound if given; nothing without a
    /// connection that has a module file, so the compiled parameters alone are what help and -Syntax show before connect.
    /// </summary>
    public object? GetDynamicParameters()
    {
        if (!TakesServiceOnlyParameters)
        {
            return null;
        }

        ExoConnection connection;
        try
        {
            connection = Sessions.Resolve(ModulePrefix ?? Prefix, ConnectionId, UsesComplianceConnection);
        }
        catch (Exception e) when (e is Engine.Errors.ExoException or InvalidOperationException)
        {
            return null; // no such connection: ProcessRecord reports it
        }

        return connection.Module?.Find(CmdletName) is { } declaration ? ServiceOnlyParameters.For(GetType(), declaration) : null;
    }

    protected override void ProcessRecord() => Submit(CmdletName, Sendable((IDictionary)MyInvocation.BoundParameters), Target);

    private protected override bool ItemsChangeState => _isChange;

    private protected override int ItemWindow => _isChange && (StopsOnError() || WillPrintOrAsk() || Says("Verbose")) ? 1 : ConnectionWindow;

    /// <summary>Runs one item of a classic cmdlet: check, build the request, approve a change, send.</summary>
    internal void Submit(string cmdletName, IEnumerable<KeyValuePair<string, object?>> parameters, string? target)
    {
        var connection = ResolveConnection();
        var sent = new List<KeyValuePair<string, object?>>(parameters);
        Guard(() =>
        {
            ServiceOffer.Check(connection, cmdletName, sent);
            return true;
        });
        var request = Guard(() => new InvokeCommandRequest(cmdletName, sent, connection.Module?.EncryptionKey, target, warningAction: WarningActionHeader()));
        _isChange = request.ChangesState;
        if (request.ChangesState && !Approve(connection, request))
        {
            return;
        }

        RunItem((sink, cancellation) => InvokeCommandOperations.InvokeAsync(connection, request, sink, cancellation), target ?? cmdletName);
    }

    /// <summary>§5.1: -WarningAction travels as a header, Ignore as SilentlyContinue; null when it was not given.</summary>
    private string? WarningActionHeader()
    {
        if (!UserCommand.MyInvocation.BoundParameters.TryGetValue("WarningAction", out var value))
        {
            return null;
        }

        var text = Unwrap(value)?.ToString();
        return string.Equals(text, nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase) ? nameof(ActionPreference.SilentlyContinue) : text;
    }

    /// <summary>The bound parameters the service is sent: all but PowerShell's common ones and ExoAdmin's own.</summary>
    internal static IEnumerable<KeyValuePair<string, object?>> Sendable(IDictionary bound)
    {
        foreach (DictionaryEntry parameter in bound)
        {
            var name = parameter.Key.ToString()!;
            if (!NotSent.Contains(name))
            {
                yield return new KeyValuePair<string, object?>(name, parameter.Value is Unlimited unlimited ? unlimited.ToResultSize() : parameter.Value);
            }
        }
    }

    internal static string? IdentityIn(IDictionary<string, object> bound) =>
        bound.TryGetValue("Identity", out var identity) ? identity?.ToString() : null;

    /// <summary>ShouldProcess for one change; the service's own confirmation message when it will be shown.</summary>
    private bool Approve(ExoConnection connection, InvokeCommandRequest request)
    {
        var target = request.Target ?? request.CmdletName;
        if (!WillPrintOrAsk())
        {
            return UserCommand.ShouldProcess(target, request.CmdletName);
        }

        ConfirmationProbe? probe = null;
        RunEngine(async (sink, cancellation) => probe = await InvokeCommandOperations.ProbeAsync(connection, request, sink, cancellation).ConfigureAwait(false));
        foreach (var warning in probe!.Warnings)
        {
            UserCommand.WriteWarning(warning);
        }

        if (probe.Error is { } error)
        {
            // What the change itself would meet (a mistyped identity…): reported for this item, under -WhatIf too.
            UserCommand.WriteError(error.ToErrorRecord());
            return false;
        }

        return probe.Message is { Length: > 0 } message
            ? UserCommand.ShouldProcess(message, message, request.CmdletName)
            : UserCommand.ShouldProcess(target, request.CmdletName);
    }

    /// <summary>Whether ShouldProcess will write a What-if line or ask: only then is the service asked first.</summary>
    private bool WillPrintOrAsk()
    {
        if (BoundSwitch("WhatIf") ?? IsTrue(GetVariableValue("WhatIfPreference")))
        {
            return true;
        }

        if (BoundSwitch("Confirm") is { } confirm)
        {
            return confirm;
        }

        var preference = Unwrap(GetVariableValue("ConfirmPreference"));
        var threshold = preference is ConfirmImpact impact ? impact
            : Enum.TryParse<ConfirmImpact>(preference?.ToString(), ignoreCase: true, out var parsed) ? parsed : ConfirmImpact.High;
        return threshold != ConfirmImpact.None && Impact >= threshold;
    }

    /// <summary>-ErrorAction (or $ErrorActionPreference) Stop or Inquire: an error must end the run before the next item.</summary>
    private bool StopsOnError()
    {
        var value = Unwrap(UserCommand.MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var bound) ? bound : GetVariableValue("ErrorActionPreference"));
        var preference = value is ActionPreference given ? given
            : Enum.TryParse<ActionPreference>(value?.ToString(), ignoreCase: true, out var parsed) ? parsed : ActionPreference.Continue;
        return preference is ActionPreference.Stop or ActionPreference.Inquire;
    }

    /// <summary>
    /// A switch given as true. -Verbose counts: ShouldProcess writes its "Performing the operation" line when it is asked,
    /// which must come after the earlier item's lines, so a change with -Verbose runs one item at a time.
    /// </summary>
    private bool Says(string parameter) => BoundSwitch(parameter) == true || (parameter == "Verbose" && IsVerbosePreferred());

    private bool IsVerbosePreferred() =>
        Unwrap(GetVariableValue("VerbosePreference")) is ActionPreference.Continue or ActionPreference.Inquire;

    private bool? BoundSwitch(string parameter) =>
        UserCommand.MyInvocation.BoundParameters.TryGetValue(parameter, out var value) ? IsTrue(value) : null;

    private static bool IsTrue(object? value) => Unwrap(value) switch
    {
        SwitchParameter flag => flag.IsPresent,
        bool flag => flag,
        _ => false,
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
