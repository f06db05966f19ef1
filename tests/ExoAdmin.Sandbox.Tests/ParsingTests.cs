using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>The hand-written parsers and formatters.</summary>
public sealed class ParsingTests
{
    [Theory]
    [InlineData("/adminapi/beta/contoso.onmicrosoft.com/Mailbox", "contoso.onmicrosoft.com", "Mailbox", null, "")]
    [InlineData("/AdminApi/v1.0/contoso.onmicrosoft.com/EXOBanner('AutogenSession')", "contoso.onmicrosoft.com", "EXOBanner", "AutogenSession", "")]
    [InlineData("/adminapi/BETA/t/Mailbox('YW/x+ZXg=')", "t", "Mailbox", "YW/x+ZXg=", "")]
    [InlineData("/adminapi/beta/t/Mailbox('YWxleA%3D%3D')/Exchange.GetMailboxStatistics()", "t", "Mailbox", "YWxleA==", "/Exchange.GetMailboxStatistics()")]
    [InlineData("/adminapi/beta/t/Mailbox(%27O%27%27Brien%27)", "t", "Mailbox", "O'Brien", "")]
    [InlineData("/adminapi/beta/t/InvokeCommand", "t", "InvokeCommand", null, "")]
    public void Request_targets_parse_from_the_raw_path(string rawPath, string tenant, string resource, string? key, string remainder)
    {
        Assert.True(ExchangeRequestTarget.TryParse(rawPath, out var target));
        Assert.Equal((tenant, resource, key, remainder), (target.TenantSegment, target.Resource, target.Key, target.Remainder));
        Assert.Equal(rawPath, target.RawPath);
        Assert.StartsWith(target.RawPrefix + "/", rawPath);
    }

    [Fact]
    public void Sign_in_options_parse_partners_throttling_and_claims_challenges()
    {
        var options = SandboxOptions.Parse(["--tenant", "contoso.onmicrosoft.com", "--tenant", "fabrikam.onmicrosoft.com",
            "--partner", "contoso.onmicrosoft.com:Fabrikam.onmicrosoft.com", "--throttle-token-endpoint", "2m", "--claims-challenge-every", "7"]);

        Assert.Equal([("contoso.onmicrosoft.com", "fabrikam.onmicrosoft.com")], options.Partners);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ThrottleTokenEndpoint);
        Assert.Equal(7, options.ClaimsChallengeEvery);
    }

    [Theory]
    [InlineData("--partner", "contoso.onmicrosoft.com")]
    [InlineData("--partner", "contoso.onmicrosoft.com:northwind.onmicrosoft.com")]
    [InlineData("--claims-challenge-every", "0")]
    [InlineData("--throttle-token-endpoint", "soon")]
    public void Bad_sign_in_options_are_refused(string name, string value) =>
        Assert.Throws<CommandLineException>(() => SandboxOptions.Parse(["--tenant", "contoso.onmicrosoft.com", name, value]));

    [Fact]
    public void Fault_and_rate_limit_options_parse()
    {
        var options = SandboxOptions.Parse(["--tenant", "contoso.onmicrosoft.com", "--fault", "kind=429;path=/adminapi/*;rate=0.1;retryAfterSeconds=2",
            "--fault=kind=reset;tenant=Contoso.onmicrosoft.com;count=3", "--rate-limit", "600/60"]);

        Assert.Equal(["kind=429;path=/adminapi/*;rate=0.1;retryAfterSeconds=2", "kind=reset;tenant=Contoso.onmicrosoft.com;count=3"], options.Faults);
        Assert.Equal(new Control.RateBudget(600, TimeSpan.FromSeconds(60)), options.RateLimit);
        Assert.Null(SandboxOptions.Parse([]).RateLimit);
    }

    [Theory]
    [InlineData("--fault", "kind=teapot")]
    [InlineData("--fault", "path=/adminapi/*")]
    [InlineData("--fault", "kind=429;rate")]
    [InlineData("--fault", "kind=429;rate=0")]
    [InlineData("--fault", "kind=429;tenant=fabrikam.onmicrosoft.com")]
    [InlineData("--fault", "kind=latency;latencyMs=-1")]
    [InlineData("--rate-limit", "600")]
    [InlineData("--rate-limit", "0/60")]
    [InlineData("--rate-limit", "10/0")]
    public void Bad_fault_and_rate_limit_options_are_refused(string name, string value) =>
        Assert.Throws<CommandLineException>(() => SandboxOptions.Parse(["--tenant", "contoso.onmicrosoft.com", name, value]));

    [Theory]
    [InlineData("/adminapi/beta/t")]
    [InlineData("/adminapi/v2/t/Mailbox")]
    [InlineData("/api/beta/t/Mailbox")]
    [InlineData("/adminapi/beta/t/Mailbox('unterminated)")]
    [InlineData("/adminapi/beta/t/('key')")]
    public void Other_paths_are_not_request_targets(string rawPath) =>
        Assert.False(ExchangeRequestTarget.TryParse(rawPath, out _));

    [Fact]
    public void Next_link_query_repeats_options_as_sent_and_replaces_the_skiptoken()
    {
        var query = ODataQuery.Parse("PropertySet=Archive,Quota&%24select=Office&RecipientTypeDetails=UserMailbox&$skiptoken=old&Anr=a%20b");

        Assert.Equal("Office", query.Get("$SELECT"));
        Assert.Equal("a b", query.Get("anr"));
        Assert.Equal("?PropertySet=Archive,Quota&%24select=Office&RecipientTypeDetails=UserMailbox&Anr=a%20b&$skiptoken=new", query.WithSkipToken("new"));
    }

    [Fact]
    public void Continuation_tokens_round_trip_through_page_links_and_foreign_ones_are_refused()
    {
        var links = new PageLinks(new Control.ServiceBehaviour(new SandboxOptions()), TimeProvider.System);
        var token = new ContinuationToken(1234, 1000);
        Assert.Equal(token, links.Resume(links.Encode(token, links.Now), cmdletErrors: false, links.Now));
        Assert.Equal(ContinuationToken.Start, links.Resume(null, cmdletErrors: false, links.Now));
        Assert.Equal(400, Assert.Throws<ExchangeErrorException>(() => links.Resume("1234", cmdletErrors: false, links.Now)).Error.Status);
    }

    [Theory]
    [InlineData(99L * 1024 * 1024 * 1024, "99 GB (106,300,440,576 bytes)")]
    [InlineData(49L * 1024 * 1024 * 1024 + 512L * 1024 * 1024, "49.5 GB (53,150,220,288 bytes)")]
    [InlineData(35L * 1024 * 1024, "35 MB (36,700,160 bytes)")]
    [InlineData(256L * 1024, "256 KB (262,144 bytes)")]
    [InlineData(1536L * 1024 * 1024 * 1024, "1.5 TB (1,649,267,441,664 bytes)")]
    [InlineData(0L, "0 B (0 bytes)")]
    public void Sizes_print_like_ByteQuantifiedSize(long bytes, string expected) =>
        Assert.Equal(expected, ByteQuantity.Format(bytes));

    [Fact]
    public void Command_line_defaults_match_the_contract()
    {
        var options = SandboxOptions.Parse([]);

        Assert.Equal((0, 100, 0, 1, null, TimeSpan.FromHours(1)), (options.Port, options.MailboxesPerTenant, options.LatencyMs, options.Seed, options.CaDirectory, options.TokenLifetime));
        Assert.Equal(["contoso.onmicrosoft.com"], options.Tenants);
    }

    [Fact]
    public void Command_line_takes_repeated_tenants_and_both_value_styles()
    {
        var options = SandboxOptions.Parse(["--port=443", "--tenant", "A.onmicrosoft.com", "--tenant", "b.onmicrosoft.com", "--token-lifetime", "90m", "--latency-ms", "25", "--seed", "-3"]);

        Assert.Equal(443, options.Port);
        Assert.Equal(["a.onmicrosoft.com", "b.onmicrosoft.com"], options.Tenants);
        Assert.Equal(TimeSpan.FromMinutes(90), options.TokenLifetime);
        Assert.Equal((25, -3), (options.LatencyMs, options.Seed));
    }

    [Theory]
    [InlineData("--tenant", "a.onmicrosoft.com", "--tenant", "A.onmicrosoft.com")]
    [InlineData("--mailboxes", "-1")]
    [InlineData("--token-lifetime", "0s")]
    [InlineData("--token-lifetime", "5d")]
    [InlineData("--port")]
    [InlineData("stray")]
    public void Bad_command_lines_are_refused(params string[] args) =>
        Assert.Throws<CommandLineException>(() => SandboxOptions.Parse(args));

    [Fact]
    public void Tenant_ids_are_name_based_version_5_guids()
    {
        var id = Tenant.FromDomain("contoso.onmicrosoft.com").TenantId;

        Assert.Equal(id, Tenant.FromDomain("CONTOSO.onmicrosoft.com").TenantId);
        Assert.NotEqual(id, Tenant.FromDomain("fabrikam.onmicrosoft.com").TenantId);
        Assert.Equal('5', id.ToString()[14]);
    }
}
