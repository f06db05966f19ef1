using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.OData;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// Finding 3: a body trickled one byte a second gave no object and no error for as long as the server liked (the attempt
/// timeout covered headers only). Now each body has an idle timeout and a deadline on the connection's clock; here both
/// sides run on one virtual clock, so the test takes no real time.
/// </summary>
[Trait("Category", HostileServer.Category)]
public class SlowBodyTests
{
    [Fact]
    public async Task A_body_trickled_a_byte_a_second_fails_at_its_deadline_with_the_objects_that_arrived_before()
    {
        var clock = new VirtualClock();
        var first = HostileClients.Item(1);
        var firstWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            try
            {
                await context.Response.Body.WriteAsync(HostileClients.PageStart.Concat(first).ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await firstWritten.Task; // the trickle starts once the client has the headers and the first object
                foreach (var b in HostileClients.Item(2).Concat(HostileClients.Item(3)))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), clock, context.RequestAborted);
                    await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var sink = new RecordingSink(_ => firstWritten.TrySetResult());
        var client = HostileClients.For(server, clock, s => s.BodyTimeout = TimeSpan.FromSeconds(30));

        var failedAt = TimeSpan.Zero;
        async Task ReadAsync()
        {
            try
            {
                await new ODataPager(client, 1000, "Get-EXOMailbox").ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None);
            }
            catch
            {
                failedAt = clock.Elapsed; // the server's clock goes on until it sees the client gone
                throw;
            }
        }

        // Time moves a server's second at a time (jumps of 2 s at most, never to the client's idle timeout), and only while
        // the client waits for the network: the server's timer and the client's body timer both armed.
        var error = await Assert.ThrowsAsync<ExoException>(() => clock.RunAsync(ReadAsync(), horizon: TimeSpan.FromSeconds(2), armedToJump: 2));

        Assert.True(error.Category == ErrorCategory.ProtocolError, error.Message);
        Assert.Contains("the response took more than 30 s to arrive", error.Message);
        Assert.Single(sink.Objects); // the one that came whole before the trickle
        Assert.InRange(failedAt.TotalSeconds, 29, 33);
        Assert.Equal(1, server.Requests); // a trickle is not asked again
    }

    [Fact]
    public async Task A_body_that_stalls_is_given_up_after_the_idle_timeout_and_read_again_then_fails_clearly()
    {
        var clock = new VirtualClock();
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers["request-id"] = $"rid-{Guid.NewGuid():N}";
            try
            {
                await context.Response.Body.WriteAsync(HostileClients.PageStart.Concat(HostileClients.Item(1)).ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(Timeout.Infinite, context.RequestAborted); // and never another byte
            }
            catch (OperationCanceledException)
            {
            }
        });
        var sink = new RecordingSink();
        var client = HostileClients.For(server, clock, s => s.BodyIdleTimeout = TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<ExoException>(() => clock.RunAsync(
            new ODataPager(client, 1000, "Get-EXOMailbox").ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None),
            horizon: TimeSpan.FromSeconds(61)));

        Assert.Contains("no byte of the response arrived for 60 s", error.Message);
        Assert.Matches(@"request-id rid-[0-9a-f]{32}", error.Message);
        Assert.Equal(1 + ODataPager.MaxBodyRetries, server.Requests); // a stall may clear up: asked again, then given up
        Assert.InRange(sink.Objects.Count, 0, 1); // the re-reads skipped what was already written
        Assert.Equal(ODataPager.MaxBodyRetries, sink.Verbose.Count(l => l.Contains("broke off", StringComparison.Ordinal)));
    }
}
