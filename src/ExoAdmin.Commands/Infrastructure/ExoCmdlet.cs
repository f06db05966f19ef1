using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Base of every ExoAdmin cmdlet: one cancellation per invocation (StopProcessing cancels it),
/// engine work run through the pipeline pump, and engine failures turned into ErrorRecords.
/// </summary>
public abstract class ExoCmdlet : PSCmdlet, IDisposable
{
    private const int ItemActivityId = 2; // the engine's paged reads use 1, so both bars can show
    private readonly CancellationTokenSource _stopping = new();
    private bool? _interactive;
    private Stopwatch? _itemClock;
    private long _items;

    /// <summary>The module version that headers and banners report.</summary>
    internal static string ModuleVersion => typeof(ExoCmdlet).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    internal SessionManager Sessions => RunspaceSessions.Current;

    /// <summary>The connection this invocation uses, once resolved; its -ShowProgress choice applies.</summary>
    internal ExoConnection? Connection { get; set; }

    /// <summary>Progress is for people: interactive hosts only, and not for -ShowProgress:$false connections.</summary>
    internal bool ShowsProgress => (_interactive ??= InteractiveHost.IsInteractive(Host)) && (Connection?.ShowProgress ?? true);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs engine work to completion on behalf of this cmdlet; failures become terminating errors.</summary>
    internal void RunEngine(Func<IOperationSink, CancellationToken, Task> work)
    {
        if (MyInvocation.ExpectingInput)
        {
            _itemClock ??= Stopwatch.StartNew(); // the rate counts from the first item's start
        }

        try
        {
            new PipelinePump(_stopping.Token, ShowsProgress).Run(this, work);
        }
        catch (ExoException ex)
        {
            ThrowTerminatingError(ex.ToErrorRecord());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }

        if (MyInvocation.ExpectingInput && ShowsProgress)
        {
            ReportItemDone();
        }
    }

    /// <summary>Pipelined input (Get-Content ids | Set-Mailbox ...): how many items so far, how fast, which one.</summary>
    private void ReportItemDone()
    {
        _items++;
        var seconds = _itemClock!.Elapsed.TotalSeconds;
        var status = string.Format(CultureInfo.InvariantCulture, "{0:N0} done, {1:N1}/s", _items, seconds > 0.05 ? _items / seconds : 0);
        WriteProgress(new ProgressRecord(ItemActivityId, MyInvocation.MyCommand.Name, status)
        {
            CurrentOperation = MyInvocation.BoundParameters.TryGetValue("Identity", out var identity) ? $"{identity}" : null,
        });
    }

    /// <summary>Synchronous engine calls (validation) get the same error translation.</summary>
    internal T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ExoException ex)
        {
            ThrowTerminatingError(ex.ToErrorRecord());
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
