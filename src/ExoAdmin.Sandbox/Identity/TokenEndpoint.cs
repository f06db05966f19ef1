using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// POST /{tenant}/oauth2/v2.0/token: the client-credentials grant with a certificate assertion, which is what
/// MSAL's confidential client sends. Unknown form fields (client_info, x-client-*…) are ignored.
/// </summary>
internal sealed class TokenEndpoint(TenantStore tenants, ClientAssertionValidator assertions, AccessTokenIssuer issuer)
{
    private const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private const string DefaultScopeSuffix = "/.default";

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var tenantSegment = (string)context.Request.RouteValues["tenant"]!;
            var tenant = tenants.Find(tenantSegment) ?? throw new AadErrorException(AadErrors.UnknownTenant(tenantSegment));
            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : FormCollection.Empty;
            var audience = await AuthenticateAsync(context.Request, tenant, form);
            await WriteTokenAsync(context.Response, issuer.Issue(tenant, audience));
        }
        catch (AadErrorException e)
        {
            await e.Error.WriteAsync(context);
        }
    }

    /// <returns>The resource the token is for.</returns>
    private async Task<string> AuthenticateAsync(HttpRequest request, SandboxTenant tenant, IFormCollection form)
    {
        var grantType = Required(form, "grant_type");
        if (grantType != "client_credentials")
        {
            throw new AadErrorException(AadErrors.UnsupportedGrantType(grantType));
        }

        var clientId = Required(form, "client_id");
        if (!Guid.TryParse(clientId, out var appId) || appId != tenant.App.AppId)
        {
            throw new AadErrorException(AadErrors.UnknownApplication(clientId, tenant.TenantId.ToString()));
        }

        var audience = ResourceOf(Required(form, "scope"));
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

    /// <summary>"https://host/.default" → "https://host": client credentials take exactly one resource's .default scope.</summary>
    private static string ResourceOf(string scope)
    {
        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
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

    private async Task WriteTokenAsync(HttpResponse response, string accessToken)
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
}
