using System.Text.Json;
using System.Text.Json.Nodes;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// POST …/$batch (§16): up to 10 InvokeCommand (or other) requests in one body, each answered with its own status and
/// body, errors in the §8.2 shape, next pages by a later item with the nextLink URL, token and RBAC checked per item.
/// </summary>
public sealed class BatchTests(BatchTests.Fixture sandbox) : IClassFixture<BatchTests.Fixture>
{
    /// <summary>Contoso's app is Organization Management; Fabrikam's is help desk (reads only).</summary>
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with
        {
            Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Fabrikam] = "HelpDesk" },
        };
    }

    private const string Contoso = SandboxFixture.Contoso;

    private string BatchUrl(string tenant = Contoso) => sandbox.AdminApi(tenant) + "/$batch";

    private string InvokeUrl(string tenant = Contoso) => sandbox.AdminApi(tenant) + "/InvokeCommand";

    private static JsonObject Item(string id, string url, string cmdlet, object parameters, string prefer = "odata.maxpagesize=1000;odata.continue-on-error") => new()
    {
        ["id"] = id,
        ["method"] = "POST",
        ["url"] = url,
        ["headers"] = new JsonObject { ["Content-Type"] = "application/json", ["Prefer"] = prefer },
        ["body"] = JsonSerializer.SerializeToNode(new { CmdletInput = new { CmdletName = cmdlet, Parameters = parameters } }),
    };

    private async Task<HttpResponseMessage> PostBatchAsync(IEnumerable<JsonObject> items, string tenant = Contoso, string? prefer = "odata.continue-on-error", string? token = null)
    {
        var body = new JsonObject { ["requests"] = new JsonArray(items.Cast<JsonNode>().ToArray()) }.ToJsonString();
        return await sandbox.PostJsonAsync(BatchUrl(tenant), token ?? await sandbox.AccessTokenAsync(tenant), body, prefer);
    }

    private static JsonElement[] Responses(JsonElement batch) => batch.GetProperty("responses").EnumerateArray().ToArray();

    [Fact]
    public async Task Each_item_gets_its_own_status_and_body_and_a_failure_does_not_stop_the_others()
    {
        using var response = await PostBatchAsync(
        [
            Item("1", InvokeUrl(), "Get-Mailbox", new { Identity = "alex" }),
            Item("2", InvokeUrl(), "Get-Mailbox", new { Identity = "nobody" }),
            Item("3", InvokeUrl(), "Get-Mailbox", new { Identity = "admin" }),
        ]);

        var responses = Responses(await response.JsonAsync());
        Assert.Equal(["1", "2", "3"], responses.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([200, 404, 200], responses.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("Alex Wilber", responses[0].GetProperty("body").GetProperty("value")[0].GetProperty("DisplayName").GetString());
        Assert.Equal("Get-Mailbox", responses[0].GetProperty("headers").GetProperty("Cmdlet-Name").GetString());
        Assert.True(Guid.TryParse(responses[0].GetProperty("headers").GetProperty("request-id").GetString(), out _));

        // §8.2: ErrorId|Class|Message in details[0].message, the ErrorCategory as a number, the target.
        var error = responses[1].GetProperty("body").GetProperty("error");
        Assert.Equal("ManagementObjectNotFoundException", error.GetProperty("code").GetString());
        var detail = error.GetProperty("details")[0];
        Assert.Equal("13", detail.GetProperty("code").GetString());
        Assert.Equal("nobody", detail.GetProperty("target").GetString());
        Assert.StartsWith("ManagementObjectNotFoundException|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|", detail.GetProperty("message").GetString());
        Assert.Equal("ManagementObjectNotFoundException", responses[1].GetProperty("headers").GetProperty("x-ExceptionType").GetString());
    }

    [Fact]
    public async Task Without_continue_on_error_the_batch_stops_after_the_first_failure()
    {
        using var response = await PostBatchAsync(
        [
            Item("a", InvokeUrl(), "Get-Mailbox", new { Identity = "alex" }),
            Item("b", InvokeUrl(), "Get-Mailbox", new { Identity = "nobody" }),
            Item("c", InvokeUrl(), "Get-Mailbox", new { Identity = "admin" }),
        ], prefer: null);

        Assert.Equal(["a", "b"], Responses(await response.JsonAsync()).Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_sub_response_next_page_is_fetched_by_a_later_item_with_its_next_link_and_the_same_body()
    {
        var parameters = new { ResultSize = "Unlimited" };
        var seen = new List<string>();
        string? url = InvokeUrl();
        var pages = 0;
        while (url is not null)
        {
            using var response = await PostBatchAsync([Item("p", url, "Get-Mailbox", parameters, "odata.maxpagesize=20")]);
            var body = Responses(await response.JsonAsync()).Single().GetProperty("body");
            seen.AddRange(body.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("Guid").GetString()!));
            url = body.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            Assert.True(++pages <= 10, "paging does not end");
        }

        Assert.Equal(3, pages);
        Assert.Equal(SandboxFixture.MailboxCount, seen.Distinct().Count());
        Assert.Equal(SandboxFixture.MailboxCount, seen.Count);
    }

    [Fact]
    public async Task Changes_in_a_batch_are_applied_and_visible_to_later_reads()
    {
        using var response = await PostBatchAsync(
        [
            Item("set", InvokeUrl(), "Set-Mailbox", new { Identity = "alex", ForwardingSmtpAddress = "batch@example.com" }),
            Item("get", InvokeUrl(), "Get-Mailbox", new { Identity = "alex" }),
        ]);

        var responses = Responses(await response.JsonAsync());
        Assert.Equal([200, 200], responses.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("smtp:batch@example.com", responses[1].GetProperty("body").GetProperty("value")[0].GetProperty("ForwardingSmtpAddress").GetString());
    }

    [Fact]
    public async Task RBAC_is_checked_per_item()
    {
        using var response = await PostBatchAsync(
        [
            Item("read", InvokeUrl(SandboxFixture.Fabrikam), "Get-Mailbox", new { ResultSize = 1 }),
            Item("change", InvokeUrl(SandboxFixture.Fabrikam), "Set-Mailbox", new { Identity = "alex", HiddenFromAddressListsEnabled = true }),
        ], tenant: SandboxFixture.Fabrikam);

        var responses = Responses(await response.JsonAsync());
        Assert.Equal([200, 403], responses.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("AccessDeniedException", responses[1].GetProperty("body").GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_token_reaches_only_its_own_tenant_even_inside_a_batch()
    {
        // Contoso's token on Contoso's batch URL, with an item aimed at Fabrikam: that item is refused as unauthorized.
        using var response = await PostBatchAsync([Item("x", InvokeUrl(SandboxFixture.Fabrikam), "Get-Mailbox", new { ResultSize = 1 })]);

        var item = Responses(await response.JsonAsync()).Single();
        Assert.Equal(401, item.GetProperty("status").GetInt32());
        Assert.False(item.GetProperty("body").ToString().Contains("eyJ", StringComparison.Ordinal), "no token text in the answer");
    }

    [Fact]
    public async Task The_batch_itself_needs_a_valid_token()
    {
        using var response = await sandbox.PostJsonAsync(BatchUrl(), null, new JsonObject { ["requests"] = new JsonArray(Item("1", InvokeUrl(), "Get-Mailbox", new { ResultSize = 1 })) }.ToJsonString());

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(0)]
    public async Task A_batch_holds_one_to_ten_requests(int count)
    {
        using var response = await PostBatchAsync(Enumerable.Range(1, count).Select(i => Item(i.ToString(), InvokeUrl(), "Get-Mailbox", new { ResultSize = 1 })));

        var error = (await response.JsonAsync(400)).GetProperty("error");
        Assert.Contains("1 to 10", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Ten_requests_are_all_answered_in_order()
    {
        using var response = await PostBatchAsync(Enumerable.Range(1, 10).Select(i => Item(i.ToString(), InvokeUrl(), "Get-Mailbox", new { ResultSize = 1 })));

        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), Responses(await response.JsonAsync()).Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Duplicate_ids_and_links_to_other_hosts_are_refused()
    {
        using var duplicate = await PostBatchAsync([Item("1", InvokeUrl(), "Get-Mailbox", new { }), Item("1", InvokeUrl(), "Get-Mailbox", new { })]);
        Assert.Contains("used twice", (await duplicate.JsonAsync(400)).GetProperty("error").GetProperty("message").GetString());

        using var foreign = await PostBatchAsync([Item("1", "https://elsewhere.example/adminapi/beta/x/InvokeCommand", "Get-Mailbox", new { })]);
        Assert.Equal(400, Responses(await foreign.JsonAsync()).Single().GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Get_EXO_entity_requests_work_in_a_batch_too()
    {
        var item = new JsonObject { ["id"] = "1", ["method"] = "GET", ["url"] = sandbox.AdminApi(Contoso) + "/Mailbox?$select=DisplayName", ["headers"] = new JsonObject { ["Prefer"] = "odata.maxpagesize=5" } };
        using var response = await PostBatchAsync([item]);

        var body = Responses(await response.JsonAsync()).Single().GetProperty("body");
        Assert.Equal(5, body.GetProperty("value").GetArrayLength());
        Assert.True(body.TryGetProperty("@odata.nextLink", out _));
    }
}

/// <summary>
/// A page link is deterministic: asking the same link twice gives the same objects, and a next link that resumes at the
/// same place (only the date a link carries for its expiry differs). The client relies on it to re-read a page whose
/// body broke off and skip the objects it already wrote.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class PageDeterminismTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(PageDeterminismTests));

    [Fact]
    public async Task The_same_next_link_answers_the_same_page_twice()
    {
        var token = await sandbox.AccessTokenAsync(SandboxFixture.Contoso);
        using var first = await sandbox.GetAsync(sandbox.AdminApi(SandboxFixture.Contoso) + "/Mailbox", token, "odata.maxpagesize=10;");
        var next = (await first.JsonAsync()).GetProperty("@odata.nextLink").GetString()!;

        using var once = await sandbox.GetAsync(next, token, "odata.maxpagesize=10;");
        using var again = await sandbox.GetAsync(next, token, "odata.maxpagesize=10;");

        var a = await once.JsonAsync();
        var b = await again.JsonAsync();
        Assert.Equal(a.GetProperty("value").GetRawText(), b.GetProperty("value").GetRawText());
        Assert.Equal(10, a.GetProperty("value").GetArrayLength());
        Assert.Equal(Resumes(a), Resumes(b));
    }

    /// <summary>Where a page's next link resumes: its URL without the $skiptoken, and the position the token holds.</summary>
    private static (string Url, Exchange.ContinuationToken At) Resumes(JsonElement page)
    {
        var link = page.GetProperty("@odata.nextLink").GetString()!;
        var at = link.IndexOf("$skiptoken=", StringComparison.Ordinal);
        var links = new Exchange.PageLinks(new Control.ServiceBehaviour(new SandboxOptions()), TimeProvider.System);
        return (link[..at], links.Resume(Uri.UnescapeDataString(link[(at + "$skiptoken=".Length)..]), cmdletErrors: false, links.Now));
    }
}
