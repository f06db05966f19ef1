using System.Management.Automation;
using System.Management.Automation.Host;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// The pump between engine work and the pipeline thread, driven by a command runtime that
/// behaves like Select-Object -First N downstream.
/// </summary>
public class PipelinePumpTests
{
    private sealed class StopAfter : ICommandRuntime
    {
        private readonly int _limit;

        public StopAfter(int limit) => _limit = limit;

        public List<object> Written { get; } = new();

        public int WriterThread { get; private set; }

        public void WriteObject(object? sendToPipeline)
        {
            WriterThread = Environment.CurrentManagedThreadId;
            Written.Add(sendToPipeline!);
            if (Written.Count == _limit)
            {
                throw new PipelineStoppedException();
            }
        }

        public void WriteObject(object? sendToPipeline, bool enumerateCollection) => WriteObject(sendToPipeline);

        public void WriteVerbose(string? text)
        {
        }

        public void WriteDebug(string? text)
        {
        }

        public void WriteWarning(string? text)
        {
        }

        public void WriteError(ErrorRecord errorRecord)
        {
        }

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

    private sealed class TestCmdlet : Cmdlet
    {
    }

    [Fact]
    public void A_downstream_stop_cancels_the_read_and_makes_no_second_request()
    {
        var service = new FakeService((request, _) => Task.FromResult(FakeService.Json(
            TestClients.MailboxPage(Enumerable.Range(1, 1000), "https://exo.test/adminapi/beta/t/Mailbox?$skiptoken=1000"))));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);
        var runtime = new StopAfter(5);
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        var pipelineThread = Environment.CurrentManagedThreadId;

        Assert.Throws<PipelineStoppedException>(() => new PipelinePump(CancellationToken.None).Run(cmdlet, (sink, cancellation) =>
            pager.ReadAsync(new Uri("https://exo.test/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox"), "req", sink, cancellation)));

        Assert.Equal(5, runtime.Written.Count);
        Assert.Single(service.Requests);
        Assert.Equal(pipelineThread, runtime.WriterThread); // only the pipeline thread writes
    }

    [Fact]
    public void A_failure_in_the_work_surfaces_on_the_pipeline_thread()
    {
        var cmdlet = new TestCmdlet { CommandRuntime = new StopAfter(100) };

        var error = Assert.Throws<InvalidOperationException>(() => new PipelinePump(CancellationToken.None).Run(cmdlet, (sink, _) =>
        {
            sink.WriteObject(1);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", error.Message);
    }
}
