using System.Net;
using System.Web;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Tests;

/// <summary>The completers' internals: the bounded identity search, the registration plan, quoting.</summary>
public class CompletionTests
{
    [Fact]
    public void A_typed_prefix_becomes_a_startswith_filter_on_the_names_an_admin_types()
    {
        Assert.Null(CompletionQueries.MailboxFilter(" "));
        Assert.Equal(
            "Name -like 'o''br*' -or DisplayName -like 'o''br*' -or Alias -like 'o''br*' -or PrimarySmtpAddress -like 'o''br*'",
            CompletionQueries.MailboxFilter("o'br*"));
    }

    [Fact]
    public async Task The_search_is_one_request_for_one_page_of_at_most_the_limit()
    {
        var service = new FakeService((request, _) =>
            Task.FromResult(FakeService.Json(TestClients.MailboxPage(new[] { 1, 2 }, "https://exo.test/adminapi/beta/t/Mailbox?$skiptoken=2"))));
        var connection = TestConnections.Create(service);

        var found = await CompletionQueries.FindMailboxesAsync(connection, "al", 2, CancellationToken.None);

        Assert.Equal(2, found.Count);
        var request = Assert.Single(service.Requests);
        Assert.Equal("odata.maxpagesize=2;", request.Headers.GetValues("Prefer").Single());
        var filter = HttpUtility.ParseQueryString(request.RequestUri!.Query)["$filter"];
        Assert.Contains("startswith(Name, 'al')", filter);
        Assert.Contains("startswith(PrimarySmtpAddress, 'al')", filter);
        Assert.Contains(" or ", filter);
    }

    [Fact]
    public void Every_cmdlet_parameter_with_a_completer_is_registered_and_identity_only_for_mailbox_nouns()
    {
        var plan = CompleterRegistration.Plan().ToDictionary(p => p.Parameter, p => p.Commands);

        Assert.Contains("Get-EXOMailbox", plan["ConnectionId"]);
        Assert.Contains("Get-ConnectionInformation", plan["ModulePrefix"]);
        Assert.Contains("Disconnect-ExchangeOnline", plan["ModulePrefix"]);
        Assert.Equal(new[] { "Connect-ExchangeOnline", "Connect-IPPSSession" }, plan["Prefix"].OrderBy(c => c, StringComparer.Ordinal));
        Assert.Contains("Get-EXOMailbox", plan["Identity"]);
        Assert.All(plan["Identity"], c => Assert.True(CompleterRegistration.IsMailboxCommand(c), c));
        Assert.Equal("Mailbox", CompleterRegistration.OutputEntity("Get-EXOMailbox"));
    }

    [Theory]
    [InlineData("alex@contoso.com", "alex@contoso.com")]
    [InlineData("Alex Wilber", "'Alex Wilber'")]
    [InlineData("o'brien@contoso.com", "'o''brien@contoso.com'")]
    [InlineData("@home", "'@home'")]
    public void Values_are_quoted_only_when_PowerShell_needs_it(string value, string expected)
    {
        Assert.Equal(expected, ExoCompleter.Quote(value));
    }
}
