using System.Net;
using System.Reflection;
using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// POST /_sandbox/reset, which lets one sandbox serve many Pester files: after it the sandbox answers as it did when it
/// started, whatever the files before changed. Its own fixture (with a command-line fault and budget, which a reset
/// must bring back), since it resets.
/// </summary>
public sealed class ResetTests(ResetTests.Fixture sandbox) : IClassFixture<ResetTests.Fixture>
{
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => SandboxOptions.Parse(
        [
            "--tenant", Contoso, "--tenant", Fabrikam, "--mailboxes", MailboxCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--fault", "kind=503;path=/adminapi/beta/*/Nothing;count=1", "--rate-limit", "5000/60",
        ]);
    }

    private const string Contoso = SandboxFixture.Contoso;
    private const string Fabrikam = SandboxFixture.Fabrikam;
    private const string PublicClient = "fb78d390-0c51-40cd-8e17-fdbfab77341b";

    /// <summary>What a client can read of the tenants' state, as text, to compare before a change and after a reset.</summary>
    private async Task<string> ObservableStateAsync()
    {
        var reads = new List<string>();
        foreach (var domain in new[] { Contoso, Fabrikam })
        {
            using (var list = await sandbox.GetAsync(sandbox.AdminApi(domain) + "/Mailbox?PropertySet=All", await sandbox.AccessTokenAsync(domain)))
            {
                reads.Add(await list.Content.ReadAsStringAsync());
            }

            foreach (var (cmdlet, parameters) in new (string, object)[]
            {
                ("Get-MailboxPermission", new { Identity = "sales" }),
                ("Get-RecipientPermission", new { Identity = "sales" }),
                ("Get-DistributionGroupMember", new { Identity = "team" }),
                ("Get-CASMailbox", new { Identity = "alex" }),
                ("Get-MailboxAutoReplyConfiguration", new { Identity = "admin" }),
            })
            {
                using var response = await sandbox.InvokeAsync(domain, cmdlet, parameters);
                reads.Add($"{cmdlet}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        return string.Join('\n', reads);
    }

    private async Task<JsonElement> ResetAsync(object? body = null)
    {
        using var response = await sandbox.ControlAsync(HttpMethod.Post, "/reset", body);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task Reset_brings_back_every_tenants_seeded_state_and_the_faults_budgets_audit_and_counts_of_the_start()
    {
        await ResetAsync();
        var seeded = await ObservableStateAsync();

        // What a test file leaves behind: changes in both tenants, its own fault and budget, an audit trail, counts.
        foreach (var domain in new[] { Contoso, Fabrikam })
        {
            foreach (var (cmdlet, parameters) in new (string, object)[]
            {
                ("Set-Mailbox", new { Identity = "alex", DisplayName = "Changed By A Test", HiddenFromAddressListsEnabled = true }),
                ("Add-MailboxPermission", new { Identity = "sales", User = "alex", AccessRights = new[] { "FullAccess" } }),
                ("Add-RecipientPermission", new { Identity = "sales", Trustee = "alex", AccessRights = new[] { "SendAs" } }),
                ("Remove-DistributionGroupMember", new { Identity = "team", Member = "admin" }),
                ("Set-CASMailbox", new { Identity = "alex", OWAEnabled = false }),
                ("Set-MailboxAutoReplyConfiguration", new { Identity = "admin", AutoReplyState = "Enabled", InternalMessage = "Away" }),
            })
            {
                using var response = await sandbox.InvokeAsync(domain, cmdlet, parameters);
                Assert.True(response.IsSuccessStatusCode, $"{cmdlet} in {domain}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.NotEqual(seeded, await ObservableStateAsync());
        await sandbox.ClearFaultsAsync();
        await sandbox.AddFaultAsync(new { kind = "429", path = "/adminapi/*", tenant = Fabrikam });
        using (var budget = await sandbox.ControlAsync(HttpMethod.Put, "/rate-limit", new { limit = 3, windowSeconds = 600 }))
        {
            Assert.Equal(HttpStatusCode.OK, budget.StatusCode);
        }

        Assert.NotEmpty(await sandbox.AuditAsync());
        using (var moved = await sandbox.ControlAsync(HttpMethod.Put, "/clock", new { offsetSeconds = 600 }))
        {
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var reset = await ResetAsync();

        Assert.Equal(SandboxFixture.MailboxCount, reset.GetProperty("mailboxes").GetInt32());
        Assert.Empty(await sandbox.AuditAsync());
        using (var clock = await sandbox.ControlAsync(HttpMethod.Get, "/clock"))
        {
            Assert.Equal(0, (await clock.JsonAsync()).GetProperty("offsetSeconds").GetDouble());
        }

        var stats = await sandbox.StatsAsync();
        Assert.Equal(0, stats.GetProperty("total").GetInt64());
        Assert.Equal(0, stats.GetProperty("rateLimited").GetInt64());
        Assert.All(stats.GetProperty("faults").EnumerateObject(), f => Assert.Equal(0, f.Value.GetInt64()));
        using (var budget = await sandbox.ControlAsync(HttpMethod.Get, "/rate-limit"))
        {
            var limit = await budget.JsonAsync();
            Assert.Equal(5000, limit.GetProperty("limit").GetInt32());
            Assert.Empty(limit.GetProperty("tenants").EnumerateArray());
        }

        using (var faults = await sandbox.ControlAsync(HttpMethod.Get, "/faults"))
        {
            // Only the command-line rule, armed again: nothing matched, nothing injected.
            var rule = Assert.Single((await faults.JsonAsync()).GetProperty("faults").EnumerateArray());
            Assert.Equal("503", rule.GetProperty("kind").GetString());
            Assert.Equal(0, rule.GetProperty("matched").GetInt64());
            Assert.Equal(0, rule.GetProperty("injected").GetInt64());
        }

        // Read last: these reads are counted and spend budget, as they would in the next test file.
        Assert.Equal(seeded, await ObservableStateAsync());
    }

    [Fact]
    public async Task Reset_seeds_as_many_mailboxes_as_asked_and_as_many_as_at_start_without_a_body()
    {
        try
        {
            var reset = await ResetAsync(new { mailboxes = 7 });

            Assert.Equal(7, reset.GetProperty("mailboxes").GetInt32());
            Assert.All(reset.GetProperty("tenants").EnumerateArray(), t => Assert.Equal(7, t.GetProperty("mailboxes").GetInt32()));
            using var list = await sandbox.GetAsync(sandbox.AdminApi(Fabrikam) + "/Mailbox", await sandbox.AccessTokenAsync(Fabrikam));
            var mailboxes = (await list.JsonAsync()).GetProperty("value").EnumerateArray().ToArray();
            Assert.Equal(7, mailboxes.Length);
            // The same seed: a shorter tenant is a prefix of the longer one, so known mailboxes keep their names.
            Assert.Equal("admin", mailboxes[0].GetProperty("Alias").GetString());
        }
        finally
        {
            Assert.Equal(SandboxFixture.MailboxCount, (await ResetAsync()).GetProperty("mailboxes").GetInt32());
        }
    }

    [Fact]
    public async Task Reset_seeds_the_tenants_it_names_with_as_many_mailboxes_as_asked_and_the_others_as_at_start()
    {
        try
        {
            var reset = await ResetAsync(new { mailboxes = 7, tenants = new[] { Fabrikam } });

            var counts = reset.GetProperty("tenants").EnumerateArray().ToDictionary(t => t.GetProperty("organization").GetString()!, t => t.GetProperty("mailboxes").GetInt32());
            Assert.Equal(7, counts[Fabrikam]);
            Assert.Equal(SandboxFixture.MailboxCount, counts[Contoso]);
            foreach (var (domain, expected) in new[] { (Fabrikam, 7), (Contoso, SandboxFixture.MailboxCount) })
            {
                using var list = await sandbox.GetAsync(sandbox.AdminApi(domain) + "/Mailbox", await sandbox.AccessTokenAsync(domain));
                Assert.Equal(expected, (await list.JsonAsync()).GetProperty("value").GetArrayLength());
            }
        }
        finally
        {
            await ResetAsync();
        }
    }

    [Fact]
    public async Task Reset_arguments_set_the_services_behaviour_as_at_start_and_the_next_reset_takes_it_back()
    {
        try
        {
            await ResetAsync(new { arguments = new[] { "--token-lifetime", "7s", "--throttle-token-endpoint", "30s", "--claims-challenge-every", "2", "--latency-ms", "250" } });

            using (var throttled = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso)))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
                Assert.Contains("AADSTS90055", await throttled.Content.ReadAsStringAsync());
                Assert.Equal("30", throttled.Headers.GetValues("Retry-After").Single());
            }

            await ResetAsync(new { arguments = new[] { "--token-lifetime", "7s", "--claims-challenge-every", "3", "--latency-ms", "250", "--page-link-lifetime", "90s", "--role", Contoso + "=HelpDesk" } });
            Assert.Equal(TimeSpan.FromSeconds(90), sandbox.Server.Services.GetRequiredService<PageLinks>().Lifetime);
            using (var denied = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "Help desk" }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);   // HelpDesk only reads (the first accepted request)
            }

            var token = await NewAppTokenAsync();
            Assert.Equal(7, Lifetime(token));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, await ReadMailboxesAsync(token));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(240), $"the latency was applied ({clock.Elapsed.TotalMilliseconds} ms)");
            Assert.Equal(HttpStatusCode.Unauthorized, await ReadMailboxesAsync(token));   // the third accepted request is challenged

            await ResetAsync();
            token = await NewAppTokenAsync();
            Assert.Equal(3600, Lifetime(token));
            Assert.Equal(TimeSpan.FromMinutes(30), sandbox.Server.Services.GetRequiredService<PageLinks>().Lifetime);
            using (var allowed = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "Organization management" }))
            {
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }

            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(HttpStatusCode.OK, await ReadMailboxesAsync(token));   // no challenge any more
            }
        }
        finally
        {
            await ResetAsync();
        }

        async Task<string> NewAppTokenAsync()
        {
            using var response = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso));
            return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
        }

        async Task<HttpStatusCode> ReadMailboxesAsync(string token)
        {
            using var response = await sandbox.GetAsync(sandbox.AdminApi(Contoso) + "/Mailbox", token);
            return response.StatusCode;
        }

        static long Lifetime(string token)
        {
            var jwt = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token);
            return jwt.GetPayloadValue<long>("exp") - jwt.GetPayloadValue<long>("iat");
        }
    }

    [Fact]
    public async Task Reset_sets_the_device_code_poll_interval_and_the_next_reset_takes_it_back_to_Entras_five_seconds()
    {
        try
        {
            Assert.Equal(5, await IntervalAsync());
            await ResetAsync(new { arguments = new[] { "--device-code-interval", "1s" } });
            Assert.Equal(1, await IntervalAsync());
            await ResetAsync();
            Assert.Equal(5, await IntervalAsync());
        }
        finally
        {
            await ResetAsync();
        }

        async Task<int> IntervalAsync()
        {
            using var start = await sandbox.Http.PostAsync($"{sandbox.ConnectionUri}/organizations/oauth2/v2.0/devicecode",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = PublicClient, ["scope"] = sandbox.ConnectionUri + "/.default offline_access" }));
            return (await start.JsonAsync()).GetProperty("interval").GetInt32();
        }
    }

    [Fact]
    public async Task Sign_ins_from_before_the_reset_are_forgotten_and_apps_and_users_still_sign_in()
    {
        var legacy = sandbox.Server.Ready.Tenants.Single(t => t.Organization == Contoso).Users.Single(u => u.UserPrincipalName.StartsWith("legacy@", StringComparison.Ordinal));
        using var signIn = await sandbox.PostTokenRequestAsync("organizations", new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = PublicClient, ["username"] = legacy.UserPrincipalName, ["password"] = legacy.Password,
            ["scope"] = sandbox.ConnectionUri + "/.default offline_access",
        });
        var refreshToken = (await signIn.JsonAsync()).GetProperty("refresh_token").GetString()!;

        await ResetAsync();

        using (var refresh = await sandbox.PostTokenRequestAsync("organizations", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["client_id"] = PublicClient, ["refresh_token"] = refreshToken, ["scope"] = sandbox.ConnectionUri + "/.default",
        }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
            Assert.Contains("invalid_grant", await refresh.Content.ReadAsStringAsync());
        }

        using var app = await sandbox.PostTokenRequestAsync(Contoso, sandbox.ClientCredentialsForm(Contoso));
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
    }

    [Theory]
    [InlineData("{\"mailboxes\":-1}")]
    [InlineData("{\"mailboxes\":\"ten\"}")]
    [InlineData("{\"seed\":3}")]
    [InlineData("{\"tenants\":[\"tailspin.onmicrosoft.com\"]}")]
    [InlineData("{\"tenants\":\"contoso.onmicrosoft.com\"}")]
    [InlineData("[7]")]
    [InlineData("{\"arguments\":[\"--tenant\",\"tailspin.onmicrosoft.com\"]}")]
    [InlineData("{\"arguments\":[\"--latency-ms\",\"soon\"]}")]
    [InlineData("{\"arguments\":[\"--single-port\"]}")]
    [InlineData("{\"arguments\":\"--latency-ms 5\"}")]
    [InlineData("{\"arguments\":[\"--role\",\"contoso.onmicrosoft.com=Janitor\"]}")]
    [InlineData("not json")]
    public async Task A_bad_body_is_refused_and_resets_nothing(string body)
    {
        await ResetAsync();
        var id = await sandbox.AddFaultAsync(new { kind = "500", path = "/adminapi/*/Nothing" });

        using var response = await sandbox.ControlAsync(HttpMethod.Post, "/reset", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync());
        Assert.Equal(id, (await sandbox.FaultAsync(id)).GetProperty("id").GetString());
        await ResetAsync();
    }

    [Fact]
    public async Task Without_the_runs_key_a_reset_is_refused()
    {
        await ResetAsync();
        var id = await sandbox.AddFaultAsync(new { kind = "500", path = "/adminapi/*/Nothing" });

        using var request = new HttpRequestMessage(HttpMethod.Post, sandbox.Server.Ready.Control.Uri + "/reset");
        request.Headers.Add(ControlEndpoints.KeyHeader, new string('0', 32));
        using var response = await sandbox.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(id, (await sandbox.FaultAsync(id)).GetProperty("id").GetString());
        await ResetAsync();
    }

    /// <summary>
    /// The guard that keeps the reset right as the sandbox grows: every singleton the sandbox registers that holds
    /// state (a field that is assigned after construction, or a collection) is reset by <c>POST /_sandbox/reset</c>.
    /// A new one must implement <see cref="IResettable"/> and be registered with <c>AddResettable</c>; one that is
    /// filled once at start and never changes after goes into <see cref="FixedAfterStart"/> with the reason.
    /// </summary>
    [Fact]
    public void Every_singleton_that_holds_state_is_reset()
    {
        var services = new ServiceCollection();
        var provider = sandbox.Server.Services;
        SandboxServer.AddServices(services, provider.GetRequiredService<SandboxOptions>(), provider.GetRequiredService<TenantStore>(),
            provider.GetRequiredService<TokenSigningKey>(), provider.GetRequiredService<SandboxKeys>(), provider.GetRequiredService<UserDirectory>(), TimeProvider.System);
        var resettables = provider.GetServices<IResettable>().ToHashSet(ReferenceEqualityComparer.Instance);
        var singletons = services
            .Where(d => d.Lifetime == ServiceLifetime.Singleton && d.ServiceType != typeof(IResettable))
            .Select(d => d.ServiceType)
            .Distinct()
            .SelectMany(provider.GetServices)
            .OfType<object>()
            .Where(service => service.GetType().Assembly == typeof(SandboxServer).Assembly)
            .Distinct(ReferenceEqualityComparer.Instance)
            .ToArray();
        var registered = singletons.Select(s => s.GetType()).ToHashSet();

        var missed = singletons
            .Where(service => !resettables.Contains(service) && service is not TenantStore && !FixedAfterStart.ContainsKey(service.GetType()))
            .Select(service => (Type: service.GetType(), Field: StateField(service.GetType(), registered)))
            .Where(x => x.Field is not null)
            .Select(x => $"{x.Type.Name} (field {x.Field})")
            .ToArray();

        Assert.True(missed.Length == 0, "These singletons hold state the sandbox reset does not reset: " + string.Join(", ", missed));
    }

    /// <summary>Singletons whose collections are filled when the sandbox starts and never change after, with why.</summary>
    private static readonly Dictionary<Type, string> FixedAfterStart = new()
    {
        [typeof(UserDirectory)] = "users, managed identities and partnerships are made from the tenants and options at start",
        [typeof(SandboxUrls)] = "the listeners' ports, set once when they are bound",
        [typeof(Exchange.ExchangeApi)] = "the resources by name, from the registered resources",
        [typeof(Exchange.InvokeCommand.InvokeCommandResource)] = "the cmdlets by name, from the registered cmdlets",
        [typeof(Exchange.MailboxPropertySets)] = "the property sets, read from the embedded PropertySets.json",
        [typeof(Catalogue.CmdletCatalogue)] = "the cmdlet catalogue, read once from the embedded cmdlet-catalogue.json",
        [typeof(Exchange.Resources.ModuleFiles)] = "a cache of the module files the catalogue, a role and the run's key determine",
        [typeof(Exchange.Resources.ModuleHelpFile)] = "a cache of the help files the catalogue determines",
        [typeof(Exchange.Resources.ModuleKeys)] = "the run's module-file key pair; nothing in the sandbox rotates it while it serves",
        [typeof(Exchange.InvokeCommand.ModelledCmdlets)] = "the modelled cmdlets by name, from the registered ones",
        [typeof(SandboxOptions)] = "the command line (with the seed of a tenant seeded from exports, which a reset seeds again)",
    };

    /// <summary>
    /// A field that makes instances of the type hold state: one assigned after construction (not readonly), a collection
    /// or array, or a readonly field of a sandbox type that holds state
    /// (unless that type is a registered singleton: it is checked on its own).
    /// </summary>
    private static string? StateField(Type type, IReadOnlySet<Type> registered, int depth = 0)
    {
        if (depth > 3)
        {
            return null;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            // A primary-constructor parameter kept as a field is an injected dependency, not state of the type's own.
            if (field.Name.StartsWith('<') && field.Name.EndsWith(">P", StringComparison.Ordinal))
            {
                continue;
            }

            var fieldType = field.FieldType;
            if ((!field.IsInitOnly && fieldType != typeof(Lock))
                || fieldType.IsArray
                || (fieldType.IsGenericType && MutableCollections.Contains(fieldType.GetGenericTypeDefinition()))
                || (fieldType.Assembly == type.Assembly && fieldType.IsClass && !registered.Contains(fieldType)
                    && StateField(fieldType, registered, depth + 1) is not null))
            {
                return field.Name;
            }
        }

        return null;
    }

    private static readonly HashSet<Type> MutableCollections =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(Queue<>), typeof(Stack<>),
        typeof(System.Collections.Concurrent.ConcurrentDictionary<,>), typeof(System.Collections.Concurrent.ConcurrentQueue<>),
        typeof(System.Collections.Concurrent.ConcurrentBag<>), typeof(System.Collections.Concurrent.ConcurrentStack<>),
    ];

    /// <summary>
    /// The same guard for a tenant: what a reset gives a tenant is new (its whole <see cref="TenantState"/>), and only its
    /// fixed identity is kept. A property added to <see cref="SandboxTenant"/> that keeps its instance fails here.
    /// </summary>
    [Fact]
    public void A_reseeded_tenant_keeps_only_its_identity()
    {
        var tenant = sandbox.Server.Services.GetRequiredService<TenantStore>().Find(Fabrikam)!;
        var before = Properties(tenant);

        tenant.Reseed(new MailboxStore(MailboxSeeder.Seed(tenant.Tenant, SandboxFixture.MailboxCount, seed: 1)));

        var kept = Properties(tenant)
            .Where(p => p.Value is not null && !p.Value.GetType().IsValueType && p.Value is not string && ReferenceEquals(p.Value, before[p.Key]))
            .Select(p => p.Key)
            .Order()
            .ToArray();
        Assert.Equal(["App", "Tenant"], kept);
    }

    private static Dictionary<string, object?> Properties(SandboxTenant tenant) =>
        typeof(SandboxTenant).GetProperties(BindingFlags.Instance | BindingFlags.Public).ToDictionary(p => p.Name, p => p.GetValue(tenant));
}
