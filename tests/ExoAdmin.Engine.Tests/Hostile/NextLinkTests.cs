using System.Management.Automation;
using System.Net;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// Finding 4: a next link equal to the current one on empty pages looped forever (666 requests in 40 s for -ResultSize 10).
/// Now a link already followed, or a long run of empty pages, ends the read with a protocol error. And the contract with
/// the sandbox's expiring links (§18.4): an expired next link is never retried and fails as ExoPageLinkExpired.
/// </summary>
[Trait("Category", HostileServer.Category)]
public class NextLinkTests
{
    private static Task<PagingResult> Read(LoopbackServer server, RecordingSink sink, ResultSize? resultSize = null) =>
        new ODataPager(HostileClients.For(server), 10, "Get-EXOMailbox").ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), resultSize ?? ResultSize.Of(10), HostileClients.Mailboxes(), "c", sink, CancellationToken.None);

    [Fact]
    public async Task An_empty_page_whose_next_link_is_itself_ends_the_read_after_one_request()
    {
        LoopbackServer? self = null;
        await using var server = self = await LoopbackServer.StartAsync(context =>
        {
            context.Response.Headers["request-id"] = "rid-self";
            return context.Response.WriteAsync(TestClients.MailboxPage([], new Uri(self!.Root, "/adminapi/beta/t/Mailbox").AbsoluteUri));
        });
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => Read(server, sink));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Contains("is one this read has already followed", error.Message);
        Assert.Contains("request-id rid-self", error.Message);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task Two_pages_that_link_to_each_other_end_the_read_after_two_requests()
    {
        LoopbackServer? self = null;
        await using var server = self = await LoopbackServer.StartAsync(context =>
        {
            var other = context.Request.QueryString.Value?.Contains("b") == true ? "a" : "b";
            return context.Response.WriteAsync(TestClients.MailboxPage([], new Uri(self!.Root, $"/adminapi/beta/t/Mailbox?$skiptoken={other}").AbsoluteUri));
        });

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(server), 10, "Get-EXOMailbox")
            .ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox?$skiptoken=a"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", new RecordingSink(), CancellationToken.None));

        Assert.Contains("already followed", error.Message);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Empty_pages_with_new_links_forever_end_the_read_after_a_bounded_run()
    {
        var n = 0;
        LoopbackServer? self = null;
        await using var server = self = await LoopbackServer.StartAsync(context =>
            context.Response.WriteAsync(TestClients.MailboxPage([], new Uri(self!.Root, $"/adminapi/beta/t/Mailbox?$skiptoken={Interlocked.Increment(ref n)}").AbsoluteUri)));

        var error = await Assert.ThrowsAsync<ExoException>(() => Read(server, new RecordingSink()));

        Assert.Contains($"more than {ODataPager.MaxEmptyPagesInARow} empty pages in a row", error.Message);
        Assert.Equal(ODataPager.MaxEmptyPagesInARow + 1, server.Requests);
    }

    [Fact]
    public async Task An_expired_next_link_is_not_retried_and_fails_naming_the_cmdlet_and_what_was_written()
    {
        LoopbackServer? self = null;
        await using var server = self = await LoopbackServer.StartAsync(context =>
        {
            if (context.Request.QueryString.HasValue)
            {
                context.Response.StatusCode = 400;
                context.Response.Headers["request-id"] = "rid-expired";
                return context.Response.WriteAsync("{\"error\":{\"code\":\"BadRequest\",\"message\":\"Expired or Invalid pagination request. Default Expiry time is 00:30:00\"}}");
            }

            return context.Response.WriteAsync(TestClients.MailboxPage(Enumerable.Range(1, 3), new Uri(self!.Root, "/adminapi/beta/t/Mailbox?$skiptoken=3").AbsoluteUri));
        });
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(HostileClients.For(server), 3, "Get-EXOMailbox")
            .ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), ResultSize.Unlimited, HostileClients.Mailboxes(), "c", sink, CancellationToken.None));

        Assert.Equal("ExoPageLinkExpired", error.ErrorId);
        Assert.StartsWith("Get-EXOMailbox stopped after writing 3 object(s): the service's link to the next page had expired", error.Message);
        Assert.Contains("Expired or Invalid pagination request. Default Expiry time is 00:30:00", error.Message);
        Assert.Contains("too slow for the service", error.Message);
        Assert.Contains("rid-expired", error.Message);
        Assert.Equal(3, sink.Objects.Count);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task An_expired_InvokeCommand_next_link_in_the_section_8_2_shape_fails_the_same_way()
    {
        var service = new FakeService((request, _) => Task.FromResult(request.RequestUri!.Query.Contains("skiptoken")
            ? FakeService.Json("{\"error\":{\"code\":\"BadRequest\",\"message\":\"x\",\"details\":[{\"code\":\"5\",\"message\":\"Ex8F1B2C|Microsoft.Exchange.Data.Storage.InvalidPaginationRequestException|Expired or Invalid pagination request. Default Expiry time is 00:30:00\"}]}}", HttpStatusCode.BadRequest)
            : FakeService.Json("{\"@odata.context\":\"x\",\"value\":[{\"Name\":\"a\"},{\"Name\":\"b\"}],\"@odata.nextLink\":\"https://exo.test/adminapi/beta/t/InvokeCommand?$skiptoken=2\"}")));
        var sink = new RecordingSink();

        var error = await Assert.ThrowsAsync<ExoException>(() => new ODataPager(TestClients.Create(service), 2).ReadAsync(
            new Uri("https://exo.test/adminapi/beta/t/InvokeCommand"), ResultSize.Unlimited,
            new ExoAdmin.Engine.Model.ObjectMaterializer(new ExoAdmin.Engine.Model.EdmStructuredType("GenericHashTable", new Dictionary<string, ExoAdmin.Engine.Model.EdmProperty>()), "ExoAdmin.Object"),
            "c", sink, CancellationToken.None, new InvokeCommandCall("Get-Mailbox", "{}", isReadOnly: true)));

        Assert.Equal("ExoPageLinkExpired", error.ErrorId);
        Assert.StartsWith("Get-Mailbox stopped after writing 2 object(s)", error.Message);
        Assert.Equal(2, service.Requests.Count);
    }
}
