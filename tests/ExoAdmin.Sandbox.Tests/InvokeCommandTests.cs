using System.Globalization;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>POST …/InvokeCommand running Get-Mailbox, paged by POSTing the same body to each next link.</summary>
[Collection(SharedSandbox.Name)]
public sealed class InvokeCommandTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(InvokeCommandTests));

    private const string Contoso = SandboxFixture.Contoso;
    private const string MoreResultsWarning = "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.";

    private string InvokeUrl => sandbox.AdminApi(Contoso) + "/InvokeCommand";

    [Fact]
    public async Task Unlimited_results_come_in_pages_each_fetched_by_reposting_the_body()
    {
        var pages = await InvokeAllPagesAsync(Body("Get-Mailbox", new { ResultSize = "Unlimited" }), "odata.maxpagesize=4");

        Assert.Equal((SandboxFixture.MailboxCount + 3) / 4, pages.Count);
        var items = pages.SelectMany(p => p.GetProperty("value").EnumerateArray()).ToArray();
        Assert.Equal(SandboxFixture.MailboxCount, items.Select(i => i.GetProperty("Guid").GetString()).Distinct().Count());
        Assert.Equal(SandboxFixture.MailboxCount, items.Length);
        Assert.All(pages, p => Assert.Equal($"{sandbox.AdminApi(Contoso)}/$metadata#Collection(Exchange.GenericHashTable)", p.GetProperty("@odata.context").GetString()));
        Assert.All(pages, p => Assert.False(p.TryGetProperty("@adminapi.warnings", out _)));
        Assert.All(items, item =>
        {
            Assert.Equal("#Exchange.GenericHashTable", item.GetProperty("@odata.type").GetString());
            Assert.Equal("#Collection(String)", item.GetProperty("EmailAddresses@odata.type").GetString());
            Assert.Equal(JsonValueKind.Array, item.GetProperty("EmailAddresses").ValueKind);
        });
    }

    [Fact]
    public async Task ResultSize_caps_the_total_across_pages_and_warns_when_more_exist()
    {
        var pages = await InvokeAllPagesAsync(Body("Get-Mailbox", new { ResultSize = 5 }), "odata.maxpagesize=3");

        Assert.Equal([3, 2], pages.Select(p => p.GetProperty("value").GetArrayLength()));
        Assert.False(pages[0].TryGetProperty("@adminapi.warnings", out _));
        Assert.Equal([MoreResultsWarning], pages[1].GetProperty("@adminapi.warnings").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task Identity_returns_the_one_mailbox_with_classic_values()
    {
        var page = (await InvokeAllPagesAsync(Body("Get-Mailbox", new { Identity = "alex", ResultSize = 5 }), null)).Single();

        var alex = page.GetProperty("value").EnumerateArray().Single();
        Assert.Equal("Alex Wilber", alex.GetProperty("DisplayName").GetString());
        Assert.Equal("99 GB (106,300,440,576 bytes)", alex.GetProperty("ProhibitSendQuota").GetString());
        Assert.Equal("Active", alex.GetProperty("ArchiveStatus").GetString());
        Assert.Equal(JsonValueKind.False, alex.GetProperty("LitigationHoldEnabled").ValueKind);
        Assert.Equal(JsonValueKind.Null, alex.GetProperty("ForwardingSmtpAddress").ValueKind);
        Assert.True(DateTime.TryParse(alex.GetProperty("WhenCreated").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _));
        Assert.False(page.TryGetProperty("@odata.nextLink", out _));
    }

    [Theory]
    [InlineData("[\"SharedMailbox\",\"RoomMailbox\"]")]
    [InlineData("\"SharedMailbox,RoomMailbox\"")]
    public async Task RecipientTypeDetails_accepts_an_array_or_a_comma_list(string valueJson)
    {
        var body = $"{{\"CmdletInput\":{{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{{\"RecipientTypeDetails\":{valueJson},\"ResultSize\":\"Unlimited\"}}}}}}";
        var items = (await InvokeAllPagesAsync(body, "odata.maxpagesize=2")).SelectMany(p => p.GetProperty("value").EnumerateArray()).ToArray();

        Assert.Contains(items, i => i.GetProperty("Alias").GetString() == "sales");
        Assert.Contains(items, i => i.GetProperty("Alias").GetString() == "conf-adams");
        Assert.All(items, i => Assert.Contains(i.GetProperty("RecipientTypeDetails").GetString(), new[] { "SharedMailbox", "RoomMailbox" }));
    }

    [Fact]
    public async Task Unknown_identity_is_a_ManagementObjectNotFoundException()
    {
        using var response = await InvokeAsync(Body("Get-Mailbox", new { Identity = "nobody" }));

        var error = await AssertCmdletErrorAsync(response, 404, "ManagementObjectNotFoundException", "13",
            "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", "nobody");
        Assert.StartsWith("The operation couldn't be performed because object 'nobody' couldn't be found on '", error);
    }

    [Fact]
    public async Task Unknown_parameter_is_a_ParameterBindingException()
    {
        using var response = await InvokeAsync(Body("Get-Mailbox", new { Identity = "alex", Frobnicate = true }));

        var message = await AssertCmdletErrorAsync(response, 400, "ParameterBindingException", "5", "System.Management.Automation.ParameterBindingException", "Frobnicate");
        Assert.Equal("A parameter cannot be found that matches parameter name 'Frobnicate'.", message);
    }

    [Fact]
    public async Task Unknown_cmdlet_is_a_CommandNotFoundException()
    {
        using var response = await InvokeAsync(Body("Get-Nothing", new { }));

        var message = await AssertCmdletErrorAsync(response, 400, "CommandNotFoundException", "13", "System.Management.Automation.CommandNotFoundException", "Get-Nothing");
        Assert.StartsWith("The term 'Get-Nothing' is not recognized as a name of a cmdlet", message);
    }

    [Theory]
    [InlineData("{\"ResultSize\":\"lots\"}", "ResultSize")]
    [InlineData("{\"ResultSize\":0}", "ResultSize")]
    [InlineData("{\"RecipientTypeDetails\":\"MailUser\"}", "RecipientTypeDetails")]
    public async Task Bad_parameter_values_are_binding_errors(string parametersJson, string parameter)
    {
        using var response = await InvokeAsync($"{{\"CmdletInput\":{{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{parametersJson}}}}}");

        var message = await AssertCmdletErrorAsync(response, 400, "ParameterBindingException", "5", "System.Management.Automation.ParameterBindingException", parameter);
        Assert.StartsWith($"Cannot process argument transformation on parameter '{parameter}'.", message);
    }

    [Fact]
    public async Task Body_without_cmdlet_input_is_a_400()
    {
        using var response = await InvokeAsync("{\"Cmdlet\":\"Get-Mailbox\"}");
        Assert.Equal("BadRequest", (await response.JsonAsync(400)).GetProperty("error").GetProperty("code").GetString());
    }

    private static string Body(string cmdlet, object parameters) =>
        JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = cmdlet, Parameters = parameters } });

    private async Task<HttpResponseMessage> InvokeAsync(string body, string? prefer = null, string? url = null) =>
        await sandbox.PostJsonAsync(url ?? InvokeUrl, await sandbox.AccessTokenAsync(Contoso), body, prefer);

    /// <summary>Posts the body, then the same body to every next link, as the generated module does.</summary>
    private async Task<List<JsonElement>> InvokeAllPagesAsync(string body, string? prefer)
    {
        var pages = new List<JsonElement>();
        string? url = InvokeUrl;
        while (url is not null)
        {
            using var response = await InvokeAsync(body, prefer, url);
            var page = await response.JsonAsync();
            pages.Add(page);
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            Assert.True(pages.Count <= SandboxFixture.MailboxCount + 1, "paging does not end");
        }

        return pages;
    }

    /// <summary>The section 8.2 error shape; returns the message.</summary>
    private static async Task<string> AssertCmdletErrorAsync(HttpResponseMessage response, int status, string exception, string category, string type, string target)
    {
        var error = (await response.JsonAsync(status)).GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.Equal(exception, error.GetProperty("code").GetString());
        var detail = error.GetProperty("details").EnumerateArray().Single();
        Assert.Equal(category, detail.GetProperty("code").GetString());
        var parts = detail.GetProperty("message").GetString()!.Split('|', 3);
        Assert.Equal(type, parts[1]);
        Assert.Equal(message, parts[2]);
        Assert.Equal(target, detail.GetProperty("target").GetString());
        Assert.Equal(type, error.GetProperty("innererror").GetProperty("type").GetString());
        Assert.Equal(exception, response.Headers.GetValues("x-ExceptionType").Single());
        return message;
    }
}

/// <summary>Get-Mailbox's default ResultSize of 1000 needs more mailboxes than the shared fixture has.</summary>
public sealed class InvokeCommandDefaultLimitTests(LargeSandboxFixture sandbox) : IClassFixture<LargeSandboxFixture>
{
    [Fact]
    public async Task Without_ResultSize_1000_mailboxes_come_back_with_the_default_warning()
    {
        var token = await sandbox.AccessTokenAsync(SandboxFixture.Contoso);
        const string body = "{\"CmdletInput\":{\"CmdletName\":\"Get-Mailbox\",\"Parameters\":{}}}";
        var url = sandbox.AdminApi(SandboxFixture.Contoso) + "/InvokeCommand";
        var counts = new List<int>();
        JsonElement last = default;
        string? next = url;
        while (next is not null)
        {
            last = await (await sandbox.PostJsonAsync(next, token, body, "odata.maxpagesize=400")).JsonAsync();
            counts.Add(last.GetProperty("value").GetArrayLength());
            next = last.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal([400, 400, 200], counts);
        Assert.StartsWith("By default, only the first 1000 items are returned.", last.GetProperty("@adminapi.warnings")[0].GetString());
    }
}
