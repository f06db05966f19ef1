using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.OData;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// Finding 1: redirects were followed to any host, a read's mailboxes written as the tenant's and a Set-Mailbox body re-sent
/// elsewhere. Now no redirect is followed: any 3xx is a protocol error and nothing reaches the other host.
/// </summary>
[Trait("Category", HostileServer.Category)]
public class RedirectTests
{
    [Fact]
    public async Task A_302_on_a_read_to_another_host_is_a_protocol_error_and_the_other_host_gets_nothing()
    {
        await using var foreign = await LoopbackServer.StartAsync(context => context.Response.WriteAsync(TestClients.MailboxPage(Enumerable.Range(1, 5), null)));
        await using var service = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = new Uri(foreign.Root, "/adminapi/beta/t/Mailbox").AbsoluteUri;
            context.Response.Headers["request-id"] = "rid-302";
            return Task.CompletedTask;
        });
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(service), 10, "Get-EXOMailbox")
            .ReadAsync(new Uri(service.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Contains("with a redirect (HTTP 302)", error.Message);
        Assert.Contains("rid-302", error.Message);
        Assert.Equal(0, foreign.Requests);
        Assert.Equal(1, service.Requests); // a protocol error, not something to retry
        Assert.Empty(sink.Objects);
    }

    [Fact]
    public async Task A_307_on_InvokeCommand_never_resends_the_change_elsewhere_and_is_not_counted_a_success()
    {
        var foreignBodies = new List<string>();
        await using var foreign = await LoopbackServer.StartAsync(async context =>
        {
            foreignBodies.Add(await new StreamReader(context.Request.Body).ReadToEndAsync());
            await context.Response.WriteAsync("{\"@odata.context\":\"x\",\"value\":[]}");
        });
        await using var service = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = new Uri(foreign.Root, "/adminapi/beta/t/InvokeCommand").AbsoluteUri;
            return Task.CompletedTask;
        });
        var call = new RestCall(HttpMethod.Post, new Uri(service.Root, "/adminapi/beta/t/InvokeCommand"), "c")
        {
            Kind = RequestKind.InvokeCommand,
            CmdletName = "Set-Mailbox",
            Target = "alex@contoso.test",
            JsonBody = "{\"CmdletInput\":{\"CmdletName\":\"Set-Mailbox\",\"Parameters\":{\"Identity\":\"alex@contoso.test\",\"ForwardingSmtpAddress\":\"evil@attacker.test\"}}}",
        };

        var error = await Assert.ThrowsAsync<ExoException>(() => HostileClients.For(service).SendAsync(call, null, CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Equal("alex@contoso.test", error.Target);
        Assert.Contains("Set-Mailbox on 'alex@contoso.test' with a redirect (HTTP 307)", error.Message);
        Assert.Equal(0, foreign.Requests);
        Assert.Empty(foreignBodies);
        Assert.Equal(1, service.Requests);
    }

    [Fact]
    public async Task A_next_link_to_another_port_of_the_same_machine_is_another_host_and_is_not_followed()
    {
        await using var foreign = await LoopbackServer.StartAsync(context => context.Response.WriteAsync(TestClients.MailboxPage([99], null)));
        await using var service = await LoopbackServer.StartAsync(context => context.Response.WriteAsync(TestClients.MailboxPage([1, 2], new Uri(foreign.Root, "/adminapi/beta/t/Mailbox?$skiptoken=2").AbsoluteUri)));
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(service), 2, "Get-EXOMailbox")
            .ReadAsync(new Uri(service.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Equal(0, foreign.Requests);
        Assert.Equal(2, sink.Objects.Count);
    }
}
