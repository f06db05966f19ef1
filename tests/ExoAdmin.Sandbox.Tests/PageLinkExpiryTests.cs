using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>A sandbox whose next links live two minutes on a clock the tests move.</summary>
public sealed class ShortPageLinkFixture : SandboxFixture
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    internal override SandboxOptions Options => base.Options with { PageLinkLifetime = Lifetime };

    internal override TimeProvider Time => Clock;
}

/// <summary>
/// Next links expire (§18.4), with exactly the answers agreed with the client: 400 and the service's sentence on
/// Get-EXO* routes, the §8.2 cmdlet error on InvokeCommand; each link is dated when it is issued.
/// </summary>
public sealed class PageLinkExpiryTests(ShortPageLinkFixture sandbox) : IClassFixture<ShortPageLinkFixture>
{
    private const string Contoso = SandboxFixture.Contoso;
    private const string ExpiredMessage = "Expired or Invalid pagination request. Default Expiry time is 00:02:00";

    [Fact]
    public async Task A_Get_EXO_next_link_is_honoured_within_its_lifetime_and_refused_after_it()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        var first = await (await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token, "odata.maxpagesize=5;")).JsonAsync();
        var next = first.GetProperty("@odata.nextLink").GetString()!;

        sandbox.Clock.Advance(ShortPageLinkFixture.Lifetime - TimeSpan.FromSeconds(1));
        var second = await (await sandbox.GetAsync(next, token, "odata.maxpagesize=5;")).JsonAsync();
        Assert.Equal(5, second.GetProperty("value").GetArrayLength());

        // The second page's own link is dated when it was issued: it is still good after the first one's would have lapsed.
        var third = second.GetProperty("@odata.nextLink").GetString()!;
        sandbox.Clock.Advance(TimeSpan.FromSeconds(2));
        using (var stillGood = await sandbox.GetAsync(third, token, "odata.maxpagesize=5;"))
        {
            Assert.Equal(200, (int)stillGood.StatusCode);
        }

        using var expired = await sandbox.GetAsync(next, token, "odata.maxpagesize=5;");
        Assert.Equal(400, (int)expired.StatusCode);
        Assert.NotEmpty(expired.Headers.GetValues("request-id").Single());
        Assert.Equal(
            $"{{\"error\":{{\"code\":\"BadRequest\",\"message\":\"{ExpiredMessage}\"}}}}",
            await expired.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_InvokeCommand_next_link_past_its_lifetime_is_the_cmdlet_error_of_the_service()
    {
        var token = await sandbox.AccessTokenAsync(Contoso);
        var body = JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = "Get-Mailbox", Parameters = new { ResultSize = "Unlimited" } } });
        var first = await (await sandbox.PostJsonAsync(sandbox.AdminApi(Contoso) + "/InvokeCommand", token, body, "odata.maxpagesize=4")).JsonAsync();
        var next = first.GetProperty("@odata.nextLink").GetString()!;

        sandbox.Clock.Advance(ShortPageLinkFixture.Lifetime + TimeSpan.FromMilliseconds(1));
        using var expired = await sandbox.PostJsonAsync(next, token, body, "odata.maxpagesize=4");

        var error = (await expired.JsonAsync(400)).GetProperty("error");
        Assert.Equal(ExpiredMessage, error.GetProperty("message").GetString());
        var detail = error.GetProperty("details")[0];
        Assert.Equal(
            $"InvalidPaginationRequestException|Microsoft.Exchange.Data.Storage.InvalidPaginationRequestException|{ExpiredMessage}",
            detail.GetProperty("message").GetString());
        Assert.Equal("InvalidPaginationRequestException", expired.Headers.GetValues("x-ExceptionType").Single());
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("MTIzNDo1")] // "1234:5": a link from before links were dated, or made up
    public async Task A_skiptoken_the_service_never_issued_gets_the_same_answer(string skipToken)
    {
        using var response = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox?$skiptoken=" + skipToken, await sandbox.AccessTokenAsync(Contoso));

        Assert.Equal(ExpiredMessage, (await response.JsonAsync(400)).GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void A_request_answered_while_the_clock_moves_is_judged_and_dates_its_link_by_when_it_arrived()
    {
        // Honouring the link sent by the old time and dating the returned one by the new would let a read the clock was
        // moved past carry on with fresh links: the client's expired-link test then saw no expiry.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var links = new PageLinks(new ServiceBehaviour(SandboxOptions.Parse(["--page-link-lifetime", "60s"])), clock);
        var tenant = Tenant.FromDomain(Contoso);
        Assert.True(ExchangeRequestTarget.TryParse($"/adminapi/beta/{Contoso}/Mailbox", out var target));
        var http = new DefaultHttpContext();
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("outlook.office365.com");
        var sent = links.Encode(new ContinuationToken(5, 5), links.Now);
        var request = new ExchangeRequest(http, target, new SandboxTenant(tenant, new MailboxStore(MailboxSeeder.Seed(tenant, 10, seed: 1)), null!),
            ODataQuery.Parse("$skiptoken=" + Uri.EscapeDataString(sent)), links);

        clock.Advance(TimeSpan.FromMinutes(2)); // while the request is answered

        Assert.Equal(new ContinuationToken(5, 5), request.Continuation);
        var next = request.NextLink(new ContinuationToken(10, 10));
        var skipToken = Uri.UnescapeDataString(next[(next.IndexOf("$skiptoken=", StringComparison.Ordinal) + "$skiptoken=".Length)..]);
        var expired = Assert.Throws<ExchangeErrorException>(() => links.Resume(skipToken, cmdletErrors: false, links.Now));
        Assert.Equal(400, expired.Error.Status);
        Assert.Equal(new ContinuationToken(10, 10), links.Resume(skipToken, cmdletErrors: false, links.Now - TimeSpan.FromSeconds(61)));
    }

    [Fact]
    public void The_lifetime_is_taken_from_the_command_line_and_defaults_to_the_services_thirty_minutes()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), SandboxOptions.Parse([]).PageLinkLifetime);
        Assert.Equal(TimeSpan.FromSeconds(90), SandboxOptions.Parse(["--page-link-lifetime", "90s"]).PageLinkLifetime);
        Assert.Throws<CommandLineException>(() => SandboxOptions.Parse(["--page-link-lifetime", "0"]));
    }
}
