using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Commands.Tests;

/// <summary>
/// The pump between engine work and the pipeline thread, driven by a command runtime that
/// behaves like Select-Object -First N downstream.
/// </summary>
public class PipelinePumpTests
{
    [Fact]
    public void A_downstream_stop_cancels_the_read_and_makes_no_second_request()
    {
        var service = new FakeService((request, _) => Task.FromResult(FakeService.Json(
            TestClients.MailboxPage(Enumerable.Range(1, 1000), "https://exo.test/adminapi/beta/t/Mailbox?$skiptoken=1000"))));
        var pager = new ODataPager(TestClients.Create(service), pageSize: 1000);
        var runtime = new RecordingRuntime(stopAfter: 5);
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        var pipelineThread = Environment.CurrentManagedThreadId;

        Assert.Throws<PipelineStoppedException>(() => new PipelinePump(CancellationToken.None).Run(cmdlet, (sink, cancellation) =>
            pager.ReadAsync(new Uri("https://exo.test/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox"), "req", sink, cancellation)));

        Assert.Equal(5, runtime.Objects);
        Assert.Single(service.Requests);
        Assert.Equal(pipelineThread, Assert.Single(runtime.WriterThreads)); // only the pipeline thread writes
    }

    [Fact]
    public void A_failure_in_the_work_surfaces_on_the_pipeline_thread()
    {
        var cmdlet = new TestCmdlet { CommandRuntime = new RecordingRuntime(stopAfter: 100) };

        var error = Assert.Throws<InvalidOperationException>(() => new PipelinePump(CancellationToken.None).Run(cmdlet, (sink, _) =>
        {
            sink.WriteObject(1);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("boom", error.Message);
    }
}
