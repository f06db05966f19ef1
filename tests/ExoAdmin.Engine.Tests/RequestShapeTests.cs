using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Net.Http.Headers;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// The headers each kind of request carries, against the real module's traffic (§3.1, §3.2, §3.4, §5.1, §6.1, §6.2,
/// §9.1, §10): anchors of app-only connections, client-request-id across retries, WarningAction, Accept-Language,
/// Disable-WAM, is-cloud-shell-environment once, and a refused -AccessToken.
/// </summary>
public class RequestShapeTests
{
    private const string Tid = "6babcaad-604b-40ac-a9d7-9fd97c0b779f";
    private static readonly Uri Api = new("https://exo.test/adminapi/beta/" + Tid + "/");

    private static readonly (string Context, string OData) AppOnly = RoutingHints.For(isCompliance: false, userPrincipalName: null, Tid, "contoso.onmicrosoft.com");

    private static ExoRestClient Client(FakeService service, ExoAdmin.Engine.Auth.ITokenProvider? tokens = null, TimeProvider? time = null) =>
        new(TestClients.ServiceRoot, tokens ?? new StaticTokenProvider(), new ConnectionHeaders("conn-1", AppOnly.Context, AppOnly.OData, "7.6.9", "0.1.0"), service,
            new RetrySettings { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(10) }, time);

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static int Count(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.Count() : 0;

    [Theory]
    [InlineData(false, null, "APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@" + Tid, "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com")]
    [InlineData(false, "admin@contoso.onmicrosoft.com", "UPN:admin@contoso.onmicrosoft.com", "UPN:admin@contoso.onmicrosoft.com")]
    [InlineData(true, null, "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com", "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com")]
    [InlineData(true, "admin@contoso.onmicrosoft.com", "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com", "UPN:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com")]
    public void Anchors_follow_section_6_2_APP_for_app_only_connection_context_requests_and_UPN_on_Get_EXO(bool compliance, string? user, string context, string odata)
    {
        Assert.Equal((context, odata), RoutingHints.For(compliance, user, Tid, "contoso.onmicrosoft.com"));
    }

    [Fact]
    public async Task An_app_only_module_file_request_carries_section_3_2_s_headers_with_the_APP_anchor_and_is_cloud_shell_environment_once()
    {
        var service = new FakeService((_, _) => Task.FromResult(FakeService.Json("{\"value\":[{\"fileName\":\"m.psm1\",\"fileContent\":\"function Get-Mailbox {}\",\"exportedCmdlets\":\"Get-Mailbox\"}]}")));
        var connection = TestConnections.Create(service, client: Client(service));
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
        try
        {
            await ModuleFileOperations.GetAsync(connection, ["Get-Mailbox", "Set-Mailbox"], new RecordingSink(), CancellationToken.None);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        var request = Assert.Single(service.Requests);
        Assert.Equal(AppOnly.Context, Header(request, "X-AnchorMailbox"));
        Assert.Equal("Get-Mailbox,Set-Mailbox", Header(request, "CommandName"));
        Assert.Equal("True", Header(request, "Disable-WAM")); // ExoAdmin never uses WAM
        Assert.Equal(1, Count(request, "Disable-WAM"));
        Assert.Equal("de-DE", Header(request, "Accept-Language"));
        Assert.Equal(1, Count(request, "is-cloud-shell-environment"));
        Assert.Null(Header(request, "is-cloud-shell"));
        Assert.Equal("ClientCertSigned:false", Header(request, "x-ms-diagnostics"));
        Assert.Equal("true", Header(request, "X-InitializeConnectionContextObjectIdDynamic"));
        foreach (var name in new[] { "client-process-id", "connection-id", "client-request-id", "ps-version", "exomodule-version", "os-version" })
        {
            Assert.NotNull(Header(request, name));
        }

        // Nothing of the OData client's set (§6.1) leaks onto it.
        Assert.Null(Header(request, "OData-Version"));
        Assert.Null(Header(request, "Prefer"));
    }

    [Fact]
    public async Task The_banner_and_the_ping_carry_only_Authorization()
    {
        var service = new FakeService((request, _) => Task.FromResult(FakeService.Json(request.RequestUri!.AbsolutePath.Contains("basicinfo")
            ? "{\"PropertyName\":\"AdminApiState\",\"PropertyValue\":\"Running\"}"
            : "{\"sessionType\":\"AutogenSession\",\"moduleBannerContent\":\"hi\"}")));
        var connection = TestConnections.Create(service, client: Client(service));

        var state = await connection.DescribeAsync(CancellationToken.None);

        Assert.Equal(ExoAdmin.Engine.Sessions.ConnectionState.Connected, state.State);
        var ping = Assert.Single(service.Requests);
        Assert.Equal(["Authorization"], ping.Headers.Select(h => h.Key).Where(k => k != "Host"));
    }

    [Fact]
    public async Task InvokeCommand_keeps_the_cmdlets_client_request_id_across_retries_and_pages_and_sends_WarningAction_and_Accept_Language()
    {
        var calls = 0;
        var service = new FakeService((request, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                var throttled = FakeService.Json("{}", (HttpStatusCode)429);
                throttled.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.Zero);
                throttled.Headers.Add("request-id", "rid-throttled");
                return Task.FromResult(throttled);
            }

            var next = request.RequestUri!.Query.Contains("skiptoken") ? null : "https://exo.test/adminapi/beta/" + Tid + "/InvokeCommand?$skiptoken=1";
            var json = next is null
                ? "{\"@odata.context\":\"x\",\"value\":[{\"Name\":\"b\"}]}"
                : "{\"@odata.context\":\"x\",\"value\":[{\"Name\":\"a\"}],\"@odata.nextLink\":\"" + next + "\"}";
            return Task.FromResult(FakeService.Json(json));
        });
        var pager = new ODataPager(Client(service), pageSize: 1, "Get-Mailbox");
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = new CultureInfo("fr-FR");
        try
        {
            await pager.ReadAsync(new Uri(Api, "InvokeCommand"), ResultSize.Unlimited, new ExoAdmin.Engine.Model.ObjectMaterializer(new ExoAdmin.Engine.Model.EdmStructuredType("GenericHashTable", new Dictionary<string, ExoAdmin.Engine.Model.EdmProperty>()), "ExoAdmin.Object"),
                "cmdlet-call-id", new RecordingSink(), CancellationToken.None, new InvokeCommandCall("Get-Mailbox", "{}", isReadOnly: true, "alex", "SilentlyContinue"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }

        Assert.Equal(3, service.Requests.Count); // throttled, retried, next page
        Assert.All(service.Requests, r =>
        {
            Assert.Equal("cmdlet-call-id", Header(r, "client-request-id"));
            Assert.Equal(AppOnly.Context, Header(r, "X-AnchorMailbox"));
            Assert.Equal("SilentlyContinue", Header(r, "WarningAction"));
            Assert.Equal("fr-FR", Header(r, "Accept-Language"));
            Assert.Null(Header(r, "is-cloud-shell"));
        });
    }

    [Fact]
    public async Task Get_EXO_retries_carry_the_failed_responses_request_id_and_the_UPN_system_mailbox_anchor()
    {
        var calls = 0;
        var service = new FakeService((_, _) =>
        {
            var response = Interlocked.Increment(ref calls) switch
            {
                1 => FakeService.Json("{}", HttpStatusCode.ServiceUnavailable),
                2 => FakeService.Json("{}", HttpStatusCode.ServiceUnavailable),
                _ => FakeService.Json(TestClients.MailboxPage([1], null)),
            };
            if (calls == 1)
            {
                response.Headers.Add("request-id", "rid-first");
            }

            return Task.FromResult(response);
        });

        var clock = new VirtualClock(); // the two back-off waits pass in virtual time
        using var response = await clock.RunAsync(Client(service, time: clock).SendAsync(new RestCall(HttpMethod.Get, new Uri(Api, "Mailbox"), "cmdlet-id"), null, CancellationToken.None));

        Assert.Equal(["cmdlet-id", "rid-first", string.Empty], service.Requests.Select(r => Header(r, "client-request-id")));
        Assert.All(service.Requests, r => Assert.Equal(AppOnly.OData, Header(r, "X-AnchorMailbox")));
        Assert.All(service.Requests, r => Assert.Equal("False", Header(r, "is-cloud-shell")));
    }

    [Fact]
    public async Task With_AccessToken_a_401_fails_at_once_saying_the_token_was_refused()
    {
        var service = new FakeService((_, _) =>
        {
            var refused = FakeService.Json("{\"error\":{\"code\":\"InvalidToken\",\"message\":\"The token's audience is not this service.\"}}", HttpStatusCode.Unauthorized);
            refused.Headers.Add("request-id", "rid-401");
            return Task.FromResult(refused);
        });
        var token = "eyJhbGciOiJub25lIn0." + Convert.ToBase64String("{\"tid\":\"t\"}"u8.ToArray()).TrimEnd('=') + ".sig";

        var error = await Assert.ThrowsAsync<ExoServiceException>(() => Client(service, new ExoAdmin.Engine.Auth.StaticTokenProvider(token)).SendAsync(new RestCall(HttpMethod.Get, new Uri(Api, "Mailbox"), "c"), null, CancellationToken.None));

        Assert.Single(service.Requests);
        Assert.Equal("AccessTokenRefused", error.ErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.Category);
        Assert.Contains("refused the access token given to -AccessToken", error.Message);
        Assert.Contains("rid-401", error.Message);
        Assert.Contains("The token's audience is not this service.", error.Message); // the service's own reason
        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain(token, error.Message);
    }
}
