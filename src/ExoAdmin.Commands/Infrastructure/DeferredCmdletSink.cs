using System;
using System.Management.Automation;
using System.Threading;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Turns each engine write into a call on the cmdlet that runs later, on the pipeline thread. The pump and the
/// fan-out's items differ only in where those calls wait (<see cref="Post"/>); what each write becomes is here, once.
/// </summary>
internal abstract class DeferredCmdletSink : IOperationSink, IObjectDeliveryCounter
{
    private readonly bool _showProgress;
    private long _delivered;

    /// <param name="showProgress">False drops progress records (non-interactive hosts, -ShowProgress:$false).</param>
    protected DeferredCmdletSink(bool showProgress) => _showProgress = showProgress;

    public long ObjectsDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Where unknown outcomes are noted the moment the engine reports them, so a stop that drops the write still tells them.</summary>
    public StoppedChanges? Changes { get; set; }

    public void WriteObject(object value) => Post(c =>
    {
        c.WriteObject(value);
        Interlocked.Increment(ref _delivered);
    });

    public virtual void WriteError(ErrorRecord error)
    {
        if (error.Exception is ExoChangeOutcomeUnknownException)
        {
            Changes?.NoteUnknown(error);
        }

        Post(c =>
        {
            c.WriteError(error);
            Changes?.Written(error);
        });
    }

    public void WriteWarning(string message) => Post(c => c.WriteWarning(message));

    public void WriteVerbose(string message) => Post(c => c.WriteVerbose(message));

    public void WriteDebug(string message) => Post(c => c.WriteDebug(message));

    public void WriteProgress(ProgressRecord record)
    {
        if (_showProgress)
        {
            Post(c => c.WriteProgress(record));
        }
    }

    public void WriteHost(string message) => Post(c => c.WriteInformation(
        new HostInformationMessage { Message = message, ForegroundColor = ConsoleColor.Yellow },
        new[] { "PSHOST" }));

    /// <summary>Hands one write over to wait for the pipeline thread.</summary>
    protected abstract void Post(Action<Cmdlet> write);
}
