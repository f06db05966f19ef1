using System.Net;
using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Exchange.InvokeCommand;
using ExoAdmin.Sandbox.Exchange.Resources;
using ExoAdmin.Sandbox.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>
/// One running sandbox: a single HTTPS listener on 127.0.0.1 that serves both Entra ID and Exchange Online,
/// with its CA, certificates and seeded tenants. Disposing it stops the listener and deletes the run's
/// temporary folder (never a --ca-dir).
/// </summary>
internal sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _runDirectory;
    private readonly IDisposable[] _owned;

    private SandboxServer(WebApplication app, DirectoryInfo runDirectory, ReadyInfo ready, IDisposable[] owned)
    {
        _app = app;
        _runDirectory = runDirectory;
        Ready = ready;
        _owned = owned;
    }

    public ReadyInfo Ready { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The run's temporary folder (app certificates, and the CA when no --ca-dir is given).</summary>
    public string RunDirectory => _runDirectory.FullName;

    /// <param name="time">The clock the sandbox runs by (<see cref="SandboxClock"/>, which tests can also move through the control
    /// endpoint): the system's, unless a test gives a virtual one.</param>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default, TimeProvider? time = null)
    {
        var runDirectory = Directory.CreateTempSubdirectory("exoadmin-sandbox-");
        var owned = new List<IDisposable>();
        try
        {
            var authority = options.CaDirectory is { } caDirectory
                ? CertificateAuthority.LoadOrCreate(caDirectory)
                : CertificateAuthority.CreateForRun(runDirectory.FullName);
            owned.Add(authority);
            var keys = options.CaDirectory is { } keptWith ? SandboxKeys.KeptWith(keptWith) : SandboxKeys.New;
            var urls = new SandboxUrls(options);
            X509Certificate2 serverCertificate;
            using (var serverKey = keys.Get("server"))
            {
                serverCertificate = authority.IssueServerCertificate(serverKey, options.InstanceDiscovery ? [SandboxUrls.LoginHost] : []);
            }

            owned.Add(serverCertificate);
            var tenants = TenantStore.Seed(options.Tenants, options.MailboxesPerTenant, options.Seed, runDirectory.FullName, keys, options.FirstTenantSeed, Console.Error.WriteLine);
            owned.Add(tenants);
            var signingKey = new TokenSigningKey(keys.Get("token-signing"));
            owned.Add(signingKey);

            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
            {
                ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
                ContentRootPath = AppContext.BaseDirectory,
            });
            ConfigureLogging(builder.Logging);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                // The main listener, then (unless on one port) the compliance endpoint and its "regional" host, on free ports.
                foreach (var port in urls.ListenerPorts)
                {
                    kestrel.Listen(IPAddress.Loopback, port, listen =>
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        listen.UseHttps(serverCertificate);
                    });
                }
            });
            var directory = new UserDirectory(tenants, options.Partners);
            builder.Services.AddSingleton(urls);
            AddServices(builder.Services, options, tenants, signingKey, keys, directory, time ?? TimeProvider.System);

            var app = builder.Build();
            MapEndpoints(app);
            await app.StartAsync(cancellationToken);

            urls.SetPorts(ListeningPorts(app));
            var ready = new ReadyInfo(
                urls.ConnectionUri,
                urls.AuthorizationEndpoint,
                authority.CertificatePath,
                tenants.Tenants.Select(t => new TenantReadyInfo(
                    t.Domain, t.TenantId, t.App.AppId, t.App.CertificatePath, t.App.CertificatePassword, t.Mailboxes.Count,
                    directory.UserAssignedIdentityOf(t)!.ClientId,
                    directory.UsersOf(t).Select(u => new UserReadyInfo(
                        u.UserPrincipalName, u.Password, u.MfaSecret is null ? null : Totp.ToBase32(u.MfaSecret), u.Roles.Select(DirectoryRoles.NameOf).ToArray())).ToArray())).ToArray(),
                urls.ComplianceConnectionUri,
                new ManagedIdentityReadyInfo(urls.ConnectionUri + "/msi/token", directory.IdentityHeader, urls.ConnectionUri, directory.SystemIdentity?.ClientId),
                new ControlReadyInfo(urls.ConnectionUri + ControlEndpoints.PathPrefix, app.Services.GetRequiredService<ControlEndpoints>().Key),
                urls.DiscoveredAuthorizationEndpoint is { } discovered ? new InstanceDiscoveryReadyInfo(discovered, $"{SandboxUrls.Host} {SandboxUrls.LoginHost}") : null);
            return new SandboxServer(app, runDirectory, ready, owned.ToArray());
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            runDirectory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (SIGINT, SIGTERM or <see cref="Stop"/>).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public void Stop() => _app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _runDirectory.Delete(recursive: true);
    }

    /// <summary>Logs go to stderr only: stdout carries nothing but the ready line.</summary>
    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
    }

    internal static void AddServices(IServiceCollection services, SandboxOptions options, TenantStore tenants, TokenSigningKey signingKey, SandboxKeys keys, UserDirectory directory, TimeProvider time)
    {
        // The sandbox's now (next links, rate windows, tokens): the given clock plus the offset tests may set.
        services.AddResettable(_ => new SandboxClock(time));
        services.AddSingleton<TimeProvider>(provider => provider.GetRequiredService<SandboxClock>());
        services.AddSingleton<PageLinks>();
        services.AddHttpContextAccessor();
        services.AddSingleton(options);
        services.AddResettable<ServiceBehaviour>();
        services.AddSingleton(directory);
        services.AddResettable<SignInStore>();
        services.AddSingleton<SignInPages>();
        services.AddSingleton<ManagedIdentityEndpoints>();
        services.AddSingleton(tenants);
        services.AddSingleton(signingKey);
        services.AddSingleton(MailboxPropertySets.Load());
        // Read when first needed (the first module file or InvokeCommand), so the ready line does not wait for it.
        services.AddSingleton(_ => Catalogue.CmdletCatalogue.Load().With(options.UndocumentedParameters));
        services.AddSingleton<ServiceCatalogues>();
        services.AddSingleton(keys);
        // Made when first needed (the first module file or SecureString), as the catalogue is.
        services.AddSingleton(provider => new ModuleKeys(provider.GetRequiredService<SandboxKeys>().Get("module")));
        services.AddSingleton<ModuleFiles>();

        services.AddSingleton<ClientAssertionValidator>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddResettable<AccessTokenValidator>();
        services.AddSingleton<TokenEndpoint>();
        services.AddSingleton<DiscoveryEndpoints>();

        services.AddSingleton<IExchangeResource, BasicInfoResource>();
        services.AddSingleton<IExchangeResource, BannerResource>();
        services.AddSingleton<IExchangeResource, MailboxResource>();
        services.AddSingleton<IExchangeResource, InvokeCommandResource>();
        services.AddSingleton<IExchangeResource, CasMailboxResource>();
        services.AddSingleton<IExchangeResource, RecipientResource>();
        services.AddSingleton<IExchangeResource, ModuleFileResource>();
        services.AddSingleton<IExchangeResource, ModuleHelpFile>();
        services.AddSingleton<IExchangeResource, BatchResource>();
        services.AddSingleton<IExchangeResource, MobileDeviceByIdentityResource>();
        // The classic cmdlets the sandbox models; every other catalogue cmdlet reads nothing and refuses changes.
        services.AddSingleton<ICmdlet, GetOrganizationConfigCmdlet>();
        services.AddSingleton<ICmdlet, GetMailboxCmdlet>();
        services.AddSingleton<ICmdlet, SetMailboxCmdlet>();
        services.AddSingleton<ICmdlet, RemoveMailboxCmdlet>();
        services.AddSingleton<ICmdlet, UndoSoftDeletedMailboxCmdlet>();
        services.AddSingleton<ICmdlet, GetUserCmdlet>();
        services.AddSingleton<ICmdlet, SetUserCmdlet>();
        services.AddSingleton<ICmdlet, GetMailUserCmdlet>();
        services.AddSingleton<ICmdlet, NewMailUserCmdlet>();
        services.AddSingleton<ICmdlet, SetMailUserCmdlet>();
        services.AddSingleton<ICmdlet, RemoveMailUserCmdlet>();
        services.AddSingleton<ICmdlet, GetMailboxPermissionCmdlet>();
        services.AddSingleton<ICmdlet, AddMailboxPermissionCmdlet>();
        services.AddSingleton<ICmdlet, RemoveMailboxPermissionCmdlet>();
        services.AddSingleton<ICmdlet, GetRecipientPermissionCmdlet>();
        services.AddSingleton<ICmdlet, AddRecipientPermissionCmdlet>();
        services.AddSingleton<ICmdlet, RemoveRecipientPermissionCmdlet>();
        services.AddSingleton<ICmdlet, GetMailboxAutoReplyConfigurationCmdlet>();
        services.AddSingleton<ICmdlet, SetMailboxAutoReplyConfigurationCmdlet>();
        services.AddSingleton<ICmdlet, GetDistributionGroupCmdlet>();
        services.AddSingleton<ICmdlet, NewDistributionGroupCmdlet>();
        services.AddSingleton<ICmdlet, SetDistributionGroupCmdlet>();
        services.AddSingleton<ICmdlet, RemoveDistributionGroupCmdlet>();
        services.AddSingleton<ICmdlet, GetDistributionGroupMemberCmdlet>();
        services.AddSingleton<ICmdlet, AddDistributionGroupMemberCmdlet>();
        services.AddSingleton<ICmdlet, RemoveDistributionGroupMemberCmdlet>();
        services.AddSingleton<ICmdlet, UpdateDistributionGroupMemberCmdlet>();
        services.AddSingleton<ICmdlet, GetRecipientCmdlet>();
        services.AddSingleton<ICmdlet, GetInboxRuleCmdlet>();
        services.AddSingleton<ICmdlet, NewInboxRuleCmdlet>();
        services.AddSingleton<ICmdlet, SetInboxRuleCmdlet>();
        services.AddSingleton<ICmdlet>(new InboxRuleStateCmdlet("Remove-InboxRule", enable: null));
        services.AddSingleton<ICmdlet>(new InboxRuleStateCmdlet("Enable-InboxRule", enable: true));
        services.AddSingleton<ICmdlet>(new InboxRuleStateCmdlet("Disable-InboxRule", enable: false));
        services.AddSingleton<ICmdlet, GetCasMailboxCmdlet>();
        services.AddSingleton<ICmdlet, SetCasMailboxCmdlet>();
        services.AddSingleton<ICmdlet, GetRetentionCompliancePolicyCmdlet>();
        services.AddSingleton<ICmdlet, NewRetentionCompliancePolicyCmdlet>();
        services.AddSingleton<ICmdlet, SetRetentionCompliancePolicyCmdlet>();
        services.AddSingleton<ICmdlet, RemoveRetentionCompliancePolicyCmdlet>();
        services.AddSingleton<ModelledCmdlets>();
        services.AddSingleton<ExchangeApi>();
        services.AddResettable<RequestCounter>();
        services.AddResettable<FaultInjector>();
        services.AddResettable(provider => new RateLimiter(tenants, options, provider.GetRequiredService<TimeProvider>()));
        services.AddResettable<AuditLog>();
        services.AddSingleton<ControlEndpoints>();
    }

    /// <summary>Entra ID's endpoints by route (case-insensitive); everything else is the Exchange API.</summary>
    private static void MapEndpoints(WebApplication app)
    {
        var discovery = app.Services.GetRequiredService<DiscoveryEndpoints>();
        var token = app.Services.GetRequiredService<TokenEndpoint>();
        var exchange = app.Services.GetRequiredService<ExchangeApi>();
        var pages = app.Services.GetRequiredService<SignInPages>();
        var managedIdentity = app.Services.GetRequiredService<ManagedIdentityEndpoints>();
        var urls = app.Services.GetRequiredService<SandboxUrls>();
        var control = app.Services.GetRequiredService<ControlEndpoints>();

        // Every request is counted for the control endpoint's stats before anything answers it.
        app.Use((context, next) =>
        {
            control.Observe(context.Request);
            return next(context);
        });

        // Which service a request is for (SandboxUrls.SideOf): the compliance discovery endpoint only redirects to the
        // regional one (§15); the regional one is the Exchange pipeline with the compliance audience; neither serves
        // Entra endpoints. The login host (--instance-discovery) serves Entra ID and nothing else.
        app.Use(async (context, next) =>
        {
            switch (urls.SideOf(context))
            {
                case SandboxSide.ComplianceDiscovery:
                    context.Response.StatusCode = StatusCodes.Status302Found;
                    context.Response.Headers.Location = urls.ComplianceRegionalUri + context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                    return;
                case SandboxSide.Compliance:
                    await exchange.HandleAsync(context);
                    return;
                case SandboxSide.Login when context.GetEndpoint()?.Metadata.GetMetadata<EntraIdEndpoint>() is null:
                    // As Entra answers a path it has no endpoint for: 404, nothing else.
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                default:
                    await next(context);
                    return;
            }
        });

        var entra = app.MapGroup(string.Empty).WithMetadata(new EntraIdEndpoint());
        entra.MapGet("/common/discovery/instance", discovery.InstanceDiscoveryAsync);
        entra.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", discovery.OpenIdConfigurationAsync);
        entra.MapGet("/{tenant}/discovery/v2.0/keys", discovery.KeysAsync);
        entra.MapPost("/{tenant}/oauth2/v2.0/token", token.HandleAsync);
        entra.MapPost("/{tenant}/oauth2/v2.0/devicecode", token.DeviceCodeAsync);
        entra.MapGet("/{tenant}/oauth2/v2.0/authorize", pages.AuthorizeAsync);
        entra.MapGet("/common/userrealm/{user}", token.UserRealmAsync);
        entra.MapGet("/devicelogin", pages.DeviceLoginPageAsync);
        entra.MapPost("/devicelogin", pages.DeviceLoginAsync).DisableAntiforgery();
        entra.MapPost("/signin", pages.SignInAsync).DisableAntiforgery();
        app.MapGet("/msi/token", managedIdentity.AppServiceAsync);
        app.MapGet("/metadata/identity/oauth2/token", managedIdentity.ImdsAsync);
        control.Map(app);
        app.MapFallback("{*path}", exchange.HandleAsync);
    }

    /// <summary>Marks Entra ID's endpoints: the only ones the login host answers.</summary>
    private sealed class EntraIdEndpoint;

    /// <summary>The listeners' ports, in the order they were configured.</summary>
    private static int[] ListeningPorts(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Select(a => new Uri(a).Port).ToArray();
    }
}
