using System;
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
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The module version that headers and banners report.</summary>
    internal static string ModuleVersion => typeof(ExoCmdlet).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    internal SessionManager Sessions => RunspaceSessions.Current;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Runs engine work to completion on behalf of this cmdlet; failures become terminating errors.</summary>
    internal void RunEngine(Func<IOperationSink, CancellationToken, Task> work)
    {
        try
        {
            new PipelinePump(_stopping.Token).Run(this, work);
        }
        catch (ExoException ex)
        {
            ThrowTerminatingError(ex.ToErrorRecord());
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
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
