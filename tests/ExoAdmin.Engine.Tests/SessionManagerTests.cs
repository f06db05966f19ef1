using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Tests;

public class SessionManagerTests
{
    private static ExoConnection Connection(SessionManager sessions, string prefix, out StaticTokenProvider tokens, bool compliance = false)
    {
        tokens = new StaticTokenProvider();
        var request = new ConnectRequest(new Uri("https://exo.test"), new Uri("https://login.test/organizations")) { Prefix = prefix, Organization = $"{prefix}org.test", IsCompliance = compliance };
        var client = TestClients.Create(new FakeService((_, _) => Task.FromResult(new HttpResponseMessage())), tokens);
        return new ExoConnection(sessions.NextId(), request, new Uri("https://exo.test"), request.Organization, "tid", null, true, client);
    }

    [Fact]
    public void Without_connections_a_cmdlet_is_told_to_connect_first()
    {
        var error = Assert.Throws<ExoException>(() => new SessionManager().Resolve(string.Empty));

        Assert.Equal("NotConnected", error.ErrorId);
        Assert.Contains("Connect-ExchangeOnline", error.Message);
    }

    [Fact]
    public void An_unprefixed_call_never_picks_one_of_several_prefixed_connections()
    {
        var sessions = new SessionManager();
        sessions.Add(Connection(sessions, "Contoso", out _));
        sessions.Add(Connection(sessions, "Fabrikam", out _));

        var error = Assert.Throws<ExoException>(() => sessions.Resolve(string.Empty));

        Assert.Equal("AmbiguousConnection", error.ErrorId);
        Assert.Contains("Contoso, Fabrikam", error.Message);
        Assert.Equal("Fabrikamorg.test", sessions.Resolve("fabrikam").Organization); // prefixes are case-insensitive
    }

    [Fact]
    public void Reconnecting_with_a_prefix_replaces_that_connection_and_forgets_its_token()
    {
        var sessions = new SessionManager();
        var first = Connection(sessions, "Contoso", out var firstTokens);
        sessions.Add(first);
        var second = Connection(sessions, "Contoso", out _);
        sessions.Add(second);

        Assert.Same(second, sessions.Resolve("Contoso"));
        Assert.Single(sessions.Connections);
        Assert.Null(firstTokens.Current);
    }

    [Fact]
    public void Connections_can_be_chosen_by_id_and_removed()
    {
        var sessions = new SessionManager();
        var contoso = Connection(sessions, "Contoso", out var tokens);
        sessions.Add(contoso);
        sessions.Add(Connection(sessions, string.Empty, out _));

        Assert.Same(contoso, sessions.Resolve(string.Empty, contoso.ConnectionId));
        sessions.Remove(contoso);

        Assert.Null(tokens.Current);
        Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Throws<ExoException>(() => sessions.Resolve(null, contoso.ConnectionId)).Category);
        Assert.Single(sessions.Connections);
    }

    [Fact]
    public void A_compliance_connection_sits_next_to_the_Exchange_one_and_each_kind_of_cmdlet_gets_its_own()
    {
        var sessions = new SessionManager();
        var exchange = Connection(sessions, string.Empty, out _);
        var compliance = Connection(sessions, string.Empty, out _, compliance: true);
        sessions.Add(exchange);
        sessions.Add(compliance);

        Assert.Equal(2, sessions.Connections.Count);
        Assert.Same(exchange, sessions.Resolve(string.Empty));
        Assert.Same(compliance, sessions.Resolve(string.Empty, compliance: true));
        Assert.Equal("WrongConnectionKind", Assert.Throws<ExoException>(() => sessions.Resolve(null, compliance.ConnectionId)).ErrorId);

        sessions.Remove(compliance);
        var error = Assert.Throws<ExoException>(() => sessions.Resolve(string.Empty, compliance: true));
        Assert.Equal("NotConnected", error.ErrorId);
        Assert.Contains("Connect-IPPSSession", error.Message);
    }
}
