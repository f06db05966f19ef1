using System.Management.Automation;
using System.Management.Automation.Host;

namespace ExoAdmin.Commands.Tests;

/// <summary>Records every write, in order, with the thread that made it; optionally stops after N objects.</summary>
internal sealed class RecordingRuntime : ICommandRuntime
{
    private readonly int _stopAfter;

    public RecordingRuntime(int stopAfter = int.MaxValue) => _stopAfter = stopAfter;

    public List<string> Lines { get; } = new();

    public HashSet<int> WriterThreads { get; } = new();

    public int Objects { get; private set; }

    private void Record(string line)
    {
        WriterThreads.Add(Environment.CurrentManagedThreadId);
        Lines.Add(line);
    }

    public void WriteObject(object? sendToPipeline)
    {
        Record("object " + sendToPipeline);
        if (++Objects == _stopAfter)
        {
            throw new PipelineStoppedException();
        }
    }

    public void WriteObject(object? sendToPipeline, bool enumerateCollection) => WriteObject(sendToPipeline);

    public void WriteVerbose(string? text) => Record("verbose " + text);

    public void WriteDebug(string? text) => Record("debug " + text);

    public void WriteWarning(string? text) => Record("warning " + text);

    public void WriteError(ErrorRecord errorRecord) => Record("error " + errorRecord.Exception.Message);

    public void WriteProgress(ProgressRecord progressRecord)
    {
    }

    public void WriteProgress(long sourceId, ProgressRecord progressRecord)
    {
    }

    public void WriteCommandDetail(string? text)
    {
    }

    public bool ShouldProcess(string? target) => true;

    public bool ShouldProcess(string? target, string? action) => true;

    public bool ShouldProcess(string? verboseDescription, string? verboseWarning, string? caption) => true;

    public bool ShouldProcess(string? verboseDescription, string? verboseWarning, string? caption, out ShouldProcessReason shouldProcessReason)
    {
        shouldProcessReason = ShouldProcessReason.None;
        return true;
    }

    public bool ShouldContinue(string? query, string? caption) => true;

    public bool ShouldContinue(string? query, string? caption, ref bool yesToAll, ref bool noToAll) => true;

    public bool TransactionAvailable() => false;

    public SwitchParameter TransactionAvailable(bool unused) => false;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void ThrowTerminatingError(ErrorRecord errorRecord) => throw new InvalidOperationException(errorRecord.ToString());

    public PSTransactionContext CurrentPSTransaction => throw new NotSupportedException();

    public PSHost Host => throw new NotSupportedException();
}

/// <summary>A cmdlet to hang a <see cref="RecordingRuntime"/> on.</summary>
internal sealed class TestCmdlet : Cmdlet
{
}
