using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.OData;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// Finding 6: invalid UTF-8 surfaced as a raw InvalidOperationException without URL or request-id; Remove-Module during
/// a read as a raw ObjectDisposedException; a service error echoing the Authorization header put the token in $Error;
/// a 100,000-character filter was retried five times. Each now is a clear error, once.
/// </summary>
[Trait("Category", HostileServer.Category)]
public class BrokenAnswerTests
{

    [Fact]
    public async Task Invalid_UTF8_in_a_string_is_a_protocol_error_with_the_URL_and_the_request_id()
    {
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers["request-id"] = "rid-utf8";
            await context.Response.Body.WriteAsync(HostileClients.Utf8("{\"@odata.context\":\"x\",\"value\":[{\"Alias\":\"bad"));
            await context.Response.Body.WriteAsync(new byte[] { 0xC3, 0x28, 0xFF });
            await context.Response.Body.WriteAsync(HostileClients.Utf8("\"}]}"));
        });

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(server), 10, "Get-EXOMailbox")
            .ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox?PropertySet=Minimum"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", new RecordingSink(), CancellationToken.None));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Contains("/adminapi/beta/t/Mailbox?PropertySet=Minimum", error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
        Assert.Contains("request-id rid-utf8", error.Message);
        Assert.Equal(new Uri(server.Root, "/adminapi/beta/t/Mailbox").AbsoluteUri, error.Target);
    }

    [Fact]
    public async Task Closing_the_connection_during_a_read_is_a_clear_error_and_so_is_every_request_after()
    {
        var secondPageAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        LoopbackServer? self = null;
        await using var server = self = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.Headers["request-id"] = "rid-" + (context.Request.QueryString.HasValue ? "2" : "1");
            if (context.Request.QueryString.HasValue)
            {
                secondPageAsked.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { });
                return;
            }

            await context.Response.WriteAsync(TestClients.MailboxPage(Enumerable.Range(1, 5), new Uri(self!.Root, "/adminapi/beta/t/Mailbox?$skiptoken=5").AbsoluteUri));
        });
        var client = HostileClients.For(server);
        var sink = new RecordingSink();
        var reading = new ODataPager(client, 5, "Get-EXOMailbox").ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None);

        await secondPageAsked.Task;
        client.Dispose(); // what Remove-Module and Disconnect-ExchangeOnline do to a connection

        var error = await Assert.ThrowsAsync<ExoException>(() => reading);
        Assert.Equal("ExoConnectionClosed", error.ErrorId);
        Assert.StartsWith("The connection to contoso.test was closed (Disconnect-ExchangeOnline or Remove-Module) while GET /adminapi/beta/t/Mailbox", error.Message);
        Assert.Equal(5, sink.Objects.Count);

        var after = await Assert.ThrowsAsync<ExoException>(() => client.SendAsync(new RestCall(HttpMethod.Get, new Uri(server.Root, "/adminapi/beta/t/Mailbox"), "c"), null, CancellationToken.None));
        Assert.Equal("ExoConnectionClosed", after.ErrorId);
    }

    [Fact]
    public async Task A_service_error_that_echoes_the_Authorization_header_never_puts_the_token_in_the_error()
    {
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 400;
            var echoed = context.Request.Headers.Authorization.ToString();
            return context.Response.WriteAsync($"{{\"error\":{{\"code\":\"BadRequest\",\"message\":\"Bad header: Authorization={echoed}; also eyJhbGciOiJSUzI1NiJ9.eyJ0aWQiOiJ4In0.c2lnbmF0dXJl\"}}}}");
        });
        var client = HostileClients.For(server);
        var token = (await client.Tokens.GetTokenAsync(CancellationToken.None)).Value;

        var error = await Assert.ThrowsAsync<ExoServiceException>(() => client.SendAsync(new RestCall(HttpMethod.Get, new Uri(server.Root, "/adminapi/beta/t/Mailbox"), "c"), null, CancellationToken.None));

        var record = error.ToErrorRecord();
        Assert.DoesNotContain(token, record.Exception.Message);
        Assert.DoesNotContain(token, record.ToString());
        Assert.DoesNotContain("eyJ0aWQiOiJ4In0", error.Message);
        Assert.Contains("Bad header: Authorization=Bearer [redacted]", error.Message);
    }

    [Fact]
    public async Task A_100000_character_filter_refused_by_the_server_is_sent_once()
    {
        // Kestrel refuses a request line this long, as the service's front end does: a deterministic refusal.
        await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync(TestClients.MailboxPage([1], null)));
        var filter = "startswith(DisplayName,'" + new string('a', 100_000) + "')";
        var uri = new Uri(server.Root, "/adminapi/beta/t/Mailbox?$filter=" + Uri.EscapeDataString(filter));

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(server, change: s => s.MaxRetries = 5), 10, "Get-EXOMailbox")
            .ReadAsync(uri, ResultSize.Unlimited, HostileClients.Mailboxes(), "c", new RecordingSink(), CancellationToken.None));

        Assert.DoesNotContain("retries", error.Message);
        Assert.Equal("RequestTooLarge", error.ErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.Category);
        Assert.Contains("is larger than the service accepts", error.Message);
        Assert.InRange(server.Requests, 0, 1);
    }
}
