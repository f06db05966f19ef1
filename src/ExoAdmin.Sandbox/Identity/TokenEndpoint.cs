using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// POST /{tenant}/oauth2/v2.0/token with the grants MSAL sends: client_credentials (certificate assertion),
/// authorization_code (with PKCE), refresh_token, device_code and password (ROPC). Also
/// POST /{tenant}/oauth2/v2.0/devicecode and GET /common/userrealm/{user} (MSAL asks it before ROPC).
/// Unknown form fields (client_info, x-client-*…) are ignored. With --throttle-token-endpoint every token
/// request is answered 429 with Retry-After.
/// </summary>
internal sealed class TokenEndpoint(
    TenantStore tenants,
    ClientAssertionValidator assertions,
    AccessTokenIssuer issuer,
    UserDirectory directory,
    SignInStore store,
    SignInPages pages,
    SandboxUrls urls,
    Control.ServiceBehaviour behaviour)
{
    private const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    private const string DefaultScopeSuffix = "/.default";
    private static readonly string[] OpenIdScopes = ["openid", "profile", "offline_access", "email"];

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (behaviour.Current.ThrottleTokenEndpoint is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new AadErrorException(AadErrors.Throttled());
            }

            var segment = (string)context.Request.RouteValues["tenant"]!;
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
            var grantType = Required(form, "grant_type");
            if (grantType == "client_credentials")
            {
                var tenant = tenants.Find(segment) ?? throw new AadErrorException(AadErrors.UnknownTenant(segment));
                var audience = await AuthenticateClientAsync(context.Request, tenant, form);
                await WriteAppTokenAsync(context.Response, issuer.Issue(tenant, audience));
                return;
            }

            if (!SignInPages.IsMultiTenant(segment) && tenants.Find(segment) is null)
            {
                throw new AadErrorException(AadErrors.UnknownTenant(segment));
            }

            var grant = grantType switch
            {
                "authorization_code" => RedeemCode(form),
                "refresh_token" => RedeemRefreshToken(form),
                DeviceCodeGrant or "device_code" => RedeemDeviceCode(form), // MSAL sends the short name to authorities it does not recognise
                "password" => SignInWithPassword(segment, form),
                _ => throw new AadErrorException(AadErrors.UnsupportedGrantType(grantType)),
            };
            await WriteUserTokenAsync(context.Response, grant);
        }
        catch (AadErrorException e)
        {
            await e.Error.WriteAsync(context);
        }
    }

    /// <summary>POST /{tenant}/oauth2/v2.0/devicecode: starts a device-code flow.</summary>
    public async Task DeviceCodeAsync(HttpContext context)
    {
        try
        {
            var segment = (string)context.Request.RouteValues["tenant"]!;
            if (!SignInPages.IsMultiTenant(segment) && tenants.Find(segment) is null)
            {
                throw new AadErrorException(AadErrors.UnknownTenant(segment));
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var clientId = Required(form, "client_id");
            RequirePublicClient(clientId, segment);
            var scope = Required(form, "scope");
            ResourceOf(scope, delegated: true);
            var lifetime = TimeSpan.FromMinutes(15);
            var device = store.AddDevice(segment, clientId, scope, lifetime);
            var verificationUri = urls.AuthorityRoot(context) + "/devicelogin";
            context.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
            writer.WriteStartObject();
            writer.WriteString("user_code", device.UserCode);
            writer.WriteString("device_code", device.DeviceCode);
            writer.WriteString("verification_uri", verificationUri);
            writer.WriteNumber("expires_in", (int)lifetime.TotalSeconds);
            writer.WriteNumber("interval", (int)behaviour.Current.DeviceCodeInterval.TotalSeconds);
            writer.WriteString("message", $"To sign in, use a web browser to open the page {verificationUri} and enter the code {device.UserCode} to authenticate.");
            writer.WriteEndObject();
        }
        catch (AadErrorException e)
        {
            await e.Error.WriteAsync(context);
        }
    }

    /// <summary>GET /common/userrealm/{user}: every sandbox user is a managed (cloud) account.</summary>
    public async Task UserRealmAsync(HttpContext context)
    {
        var user = (string)context.Request.RouteValues["user"]!;
        var domain = user.Contains('@', StringComparison.Ordinal) ? user[(user.IndexOf('@', StringComparison.Ordinal) + 1)..] : user;
        var known = tenants.Find(domain) is not null;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("ver", "1.0");
        writer.WriteString("account_type", known ? "Managed" : "Unknown");
        writer.WriteString("domain_name", domain);
        writer.WriteString("cloud_instance_name", "microsoftonline.com");
        writer.WriteString("cloud_audience_urn", "urn:federation:MicrosoftOnline");
        writer.WriteEndObject();
    }

    private Grant RedeemCode(IFormCollection form)
    {
        var code = store.RedeemCode(Required(form, "code")) ?? throw new AadErrorException(AadErrors.CodeOrRefreshTokenInvalid());
        if (Required(form, "client_id") != code.Grant.ClientId)
        {
            throw new AadErrorException(AadErrors.ClientIdMismatch());
        }

        if (Required(form, "redirect_uri") != code.RedirectUri)
        {
            throw new AadErrorException(AadErrors.RedirectUriMismatch(form["redirect_uri"].ToString(), code.Grant.ClientId));
        }

        if (code.CodeChallenge is not null)
        {
            var verifier = form["code_verifier"].ToString();
            var expected = code.CodeChallengeMethod == "S256"
                ? Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
                : verifier;
            if (verifier.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code.CodeChallenge)))
            {
                throw new AadErrorException(AadErrors.PkceMismatch());
            }
        }

        return code.Grant;
    }

    private Grant RedeemRefreshToken(IFormCollection form)
    {
        var grant = store.RedeemRefreshToken(Required(form, "refresh_token")) ?? throw new AadErrorException(AadErrors.CodeOrRefreshTokenInvalid());
        if (Required(form, "client_id") != grant.ClientId)
        {
            throw new AadErrorException(AadErrors.ClientIdMismatch());
        }

        // A refresh may ask for another resource's .default; the user and tenant stay.
        var scope = form["scope"].ToString();
        return scope.Length > 0 ? grant with { Scope = scope, Nonce = null } : grant with { Nonce = null };
    }

    private Grant RedeemDeviceCode(IFormCollection form)
    {
        var deviceCode = form["device_code"].ToString();
        if (deviceCode.Length == 0)
        {
            deviceCode = Required(form, "code"); // MSAL sends the device code as "device_code"; the v2.0 spec also allows "code"
        }

        var device = store.FindDevice(deviceCode) ?? throw new AadErrorException(AadErrors.CodeOrRefreshTokenInvalid());
        if (device.DeniedReason is { } reason)
        {
            throw new AadErrorException(AadErrors.DeviceCodeDeclined(reason));
        }

        if (device.ExpiresOn <= DateTimeOffset.UtcNow)
        {
            throw new AadErrorException(AadErrors.DeviceCodeExpired());
        }

        if (device.Approved is not { } grant)
        {
            throw new AadErrorException(AadErrors.AuthorizationPending());
        }

        if (device.Redeemed)
        {
            throw new AadErrorException(AadErrors.CodeOrRefreshTokenInvalid());
        }

        device.Redeemed = true;
        return grant;
    }

    private Grant SignInWithPassword(string segment, IFormCollection form)
    {
        var clientId = Required(form, "client_id");
        RequirePublicClient(clientId, segment);
        var user = directory.FindUser(Required(form, "username"));
        var password = Required(form, "password");
        if (user is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(user.Password), Encoding.UTF8.GetBytes(password)))
        {
            throw new AadErrorException(AadErrors.InvalidCredentials());
        }

        if (user.RequiresMfa)
        {
            throw new AadErrorException(AadErrors.MfaRequired());
        }

        var resource = pages.ResourceTenantOf(segment, user, out var refusal) ?? throw new AadErrorException(refusal!);
        return new Grant(user, resource, clientId, Required(form, "scope"), null);
    }

    private void RequirePublicClient(string clientId, string segment)
    {
        if (!pages.IsKnownPublicClient(clientId))
        {
            throw new AadErrorException(AadErrors.UnknownApplication(clientId, segment));
        }
    }

    /// <returns>The resource the token is for.</returns>
    private async Task<string> AuthenticateClientAsync(HttpRequest request, SandboxTenant tenant, IFormCollection form)
    {
        var clientId = Required(form, "client_id");
        if (!Guid.TryParse(clientId, out var appId) || appId != tenant.App.AppId)
        {
            throw new AadErrorException(AadErrors.UnknownApplication(clientId, tenant.TenantId.ToString()));
        }

        var audience = ResourceOf(Required(form, "scope"), delegated: false);
        if (!string.IsNullOrEmpty(form["client_secret"]))
        {
            throw new AadErrorException(AadErrors.ClientSecretNotAccepted(clientId));
        }

        var assertion = form["client_assertion"].ToString();
        if (form["client_assertion_type"] != JwtBearerAssertionType || assertion.Length == 0)
        {
            throw new AadErrorException(AadErrors.MissingClientCredential());
        }

        // The assertion's audience is this endpoint's URL as the client called it, naming the tenant by domain or id.
        var origin = $"{request.Scheme}://{request.Host}";
        string[] endpoints = [$"{origin}/{tenant.Domain}/oauth2/v2.0/token", $"{origin}/{tenant.TenantId}/oauth2/v2.0/token"];
        await assertions.ValidateAsync(assertion, clientId, tenant.App, endpoints);
        return audience;
    }

    /// <summary>
    /// "https://host/.default" → "https://host". Client credentials take exactly one resource's .default scope;
    /// delegated requests may add openid, profile, offline_access and email.
    /// </summary>
    internal static string ResourceOf(string scope, bool delegated)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => !delegated || !OpenIdScopes.Contains(s, StringComparer.OrdinalIgnoreCase)).ToArray();
        if (scopes.Length != 1 || !scopes[0].EndsWith(DefaultScopeSuffix, StringComparison.Ordinal)
            || !Uri.TryCreate(scopes[0][..^DefaultScopeSuffix.Length], UriKind.Absolute, out _))
        {
            throw new AadErrorException(AadErrors.InvalidScope(scope));
        }

        return scopes[0][..^DefaultScopeSuffix.Length].TrimEnd('/');
    }

    private static string Required(IFormCollection form, string name)
    {
        var value = form[name].ToString();
        return value.Length > 0 ? value : throw new AadErrorException(AadErrors.MissingParameter(name));
    }

    private async Task WriteAppTokenAsync(HttpResponse response, string accessToken)
    {
        var lifetime = (long)issuer.Lifetime.TotalSeconds;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        await using var writer = new Utf8JsonWriter(response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("token_type", "Bearer");
        writer.WriteNumber("expires_in", lifetime);
        writer.WriteNumber("ext_expires_in", lifetime);
        writer.WriteString("access_token", accessToken);
        writer.WriteEndObject();
    }

    /// <summary>A delegated token response: access, refresh and id tokens and MSAL's client_info (uid.utid of the home account).</summary>
    private async Task WriteUserTokenAsync(HttpResponse response, Grant grant)
    {
        var resource = ResourceOf(grant.Scope, delegated: true);
        var lifetime = (long)issuer.Lifetime.TotalSeconds;
        var clientInfo = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["uid"] = grant.User.ObjectId.ToString(),
            ["utid"] = grant.User.Home.TenantId.ToString(),
        }));
        response.ContentType = "application/json; charset=utf-8";
        response.Headers.CacheControl = "no-store, no-cache";
        await using var writer = new Utf8JsonWriter(response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("token_type", "Bearer");
        writer.WriteString("scope", resource + "/" + AccessTokenIssuer.DelegatedScopes.Replace(" ", " " + resource + "/", StringComparison.Ordinal));
        writer.WriteNumber("expires_in", lifetime);
        writer.WriteNumber("ext_expires_in", lifetime);
        writer.WriteString("access_token", issuer.IssueForUser(grant.ResourceTenant, grant.User, resource, grant.ClientId));
        writer.WriteString("refresh_token", store.IssueRefreshToken(grant));
        writer.WriteString("id_token", issuer.IssueIdToken(grant.ResourceTenant, grant.User, grant.ClientId, grant.Nonce));
        writer.WriteString("client_info", clientInfo);
        writer.WriteEndObject();
    }
}
