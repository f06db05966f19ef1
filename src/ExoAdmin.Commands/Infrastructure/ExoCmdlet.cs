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
    private OrderedFanOut? _fanOut;
    private readonly StoppedChanges _stoppedChanges = new();

    /// <summary>The module version that headers and banners report.</summary>
    internal static string ModuleVersion => typeof(ExoCmdlet).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    internal SessionManager Sessions => RunspaceSessions.Current;

    /// <summary>The connection this invocation uses, once resolved; its -ShowProgress choice applies.</summary>
    internal ExoConnection? Connection { get; set; }

    /// <summary>Progress is for people: interactive hosts only, and not for -ShowProgress:$false connections.</summary>
    internal bool ShowsProgress => (_interactive ??= InteractiveHost.IsInteractive(Host)) && (Connection?.ShowProgress ?? true);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// How many pipelined items may be in flight at once (see <see cref="RunItem"/>); 1 runs them one at a time.
    /// Connected cmdlets (ConnectedCmdlet) take the connection's limit; classic changes narrow it where order of effect matters.
    /// </summary>
    private protected virtual int ItemWindow => 1;

    /// <summary>Whether an item changes state (a terminating failure then awaits later items instead of cancelling them).</summary>
    private protected virtual bool ItemsChangeState => false;

    /// <summary>
    /// The command the user ran, through which output, errors and ShouldProcess go: this cmdlet, or, for a service
    /// command, the generated function that drives this one (so records name the command the user typed).
    /// </summary>
    private protected virtual PSCmdlet UserCommand => this;

    /// <summary>Runs engine work to completion on behalf of this cmdlet; failures become terminating errors.</summary>
    internal void RunEngine(Func<IOperationSink, CancellationToken, Task> work)
    {
        if (MyInvocation.ExpectingInput)
        {
            _itemClock ??= Stopwatch.StartNew(); // the rate counts from the first item's start
        }

        Translate(() => new PipelinePump(_stopping.Token, ShowsProgress) { Changes = _stoppedChanges }.Run(UserCommand, work));
        if (MyInvocation.ExpectingInput && ShowsProgress)
        {
            ReportItemDone();
        }
    }

    /// <summary>
    /// One pipeline item's engine work. With pipeline input and an <see cref="ItemWindow"/> above 1, the item is started
    /// and ProcessRecord returns while it runs (OrderedFanOut writes every item's output in input order); otherwise it
    /// runs to completion here. The work must not read the cmdlet's parameters: the next item rebinds them.
    /// </summary>
    internal void RunItem(Func<IOperationSink, CancellationToken, Task> work, string? target)
    {
        var window = MyInvocation.ExpectingInput ? ItemWindow : 1;
        if (window <= 1 && _fanOut is null)
        {
            RunEngine(work);
            return;
        }

        _itemClock ??= Stopwatch.StartNew();
        _fanOut ??= new OrderedFanOut(Math.Max(1, window), _stopping.Token, ShowsProgress, ItemsChangeState, _stoppedChanges);
        Action? done = ShowsProgress ? () => ReportItemDone(target) : null;
        Translate(() => _fanOut.Dispatch(UserCommand, work, target, done));
    }

    protected override void EndProcessing()
    {
        if (_fanOut is { } fanOut)
        {
            Translate(() => fanOut.Complete(UserCommand));
        }
    }

    private void Translate(Action action)
    {
        try
        {
            action();
        }
        catch (ExoException ex)
        {
            UserCommand.ThrowTerminatingError(ex.ToErrorRecord());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Ctrl+C: everything in flight was cancelled and awaited; what became of the changes among it is told now.
            _stoppedChanges.Report(UserCommand);
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Pipelined input (Get-Content ids | Set-Mailbox ...): how many items so far, how fast, which one.</summary>
    private void ReportItemDone() => ReportItemDone(MyInvocation.BoundParameters.TryGetValue("Identity", out var identity) ? $"{identity}" : null);

    private void ReportItemDone(string? current)
    {
        _items++;
        var seconds = _itemClock!.Elapsed.TotalSeconds;
        var status = string.Format(CultureInfo.InvariantCulture, "{0:N0} done, {1:N1}/s", _items, seconds > 0.05 ? _items / seconds : 0);
        UserCommand.WriteProgress(new ProgressRecord(ItemActivityId, UserCommand.MyInvocation.MyCommand.Name, status)
        {
            CurrentOperation = current,
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
            UserCommand.ThrowTerminatingError(ex.ToErrorRecord());
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    public void Dispose()
    {
        // A stopped pipeline never reaches EndProcessing: whatever is still in flight is cancelled and awaited here, and
        // what became of the changes among it is told (once, if ProcessRecord did not already).
        _fanOut?.Dispose();
        _stoppedChanges.Report(UserCommand);
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
