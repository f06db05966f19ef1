using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// OpenID Connect discovery (GET /{tenant}/v2.0/.well-known/openid-configuration) and the signing keys
/// (GET /{tenant}/discovery/v2.0/keys). {tenant} is a domain, a tenant id, or "organizations"/"common",
/// for which the issuer is the "{tenantid}" template, as Entra ID publishes it. Addresses are on the name the
/// client called (127.0.0.1, or login.microsoftonline.com with --instance-discovery). And MSAL's instance
/// discovery, GET /common/discovery/instance?api-version=1.1&amp;authorization_endpoint=… (§18.5), for the hosts the
/// sandbox serves Entra ID on.
/// </summary>
internal sealed class DiscoveryEndpoints(TenantStore tenants, SandboxUrls urls, TokenSigningKey signingKey)
{
    private static readonly string[] MultiTenantSegments = ["organizations", "common"];

    public Task OpenIdConfigurationAsync(HttpContext context) => AnswerAsync(context, (writer, segment, issuer) =>
    {
        var root = $"{urls.AuthorityRoot(context)}/{segment}";
        writer.WriteString("issuer", issuer);
        writer.WriteString("token_endpoint", root + "/oauth2/v2.0/token");
        writer.WriteString("authorization_endpoint", root + "/oauth2/v2.0/authorize");
        writer.WriteString("device_authorization_endpoint", root + "/oauth2/v2.0/devicecode");
        writer.WriteString("jwks_uri", root + "/discovery/v2.0/keys");
        WriteArray(writer, "token_endpoint_auth_methods_supported", "private_key_jwt", "none");
        WriteArray(writer, "grant_types_supported", "client_credentials", "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "password");
        WriteArray(writer, "response_modes_supported", "query", "form_post");
        WriteArray(writer, "code_challenge_methods_supported", "S256", "plain");
        WriteArray(writer, "id_token_signing_alg_values_supported", "RS256");
        writer.WriteString("tenant_region_scope", "NA");
    });

    public Task KeysAsync(HttpContext context) => AnswerAsync(context, (writer, _, _) =>
    {
        var jwk = signingKey.PublicJwk;
        writer.WriteStartArray("keys");
        writer.WriteStartObject();
        writer.WriteString("kty", "RSA");
        writer.WriteString("use", "sig");
        writer.WriteString("alg", "RS256");
        writer.WriteString("kid", jwk.Kid);
        writer.WriteString("n", jwk.N);
        writer.WriteString("e", jwk.E);
        writer.WriteEndObject();
        writer.WriteEndArray();
    });

    /// <summary>
    /// The instance metadata MSAL asks for before it uses an authority it has no metadata for. An authority on a host
    /// the sandbox serves Entra ID on is known, and is its own only alias, so MSAL keeps sending to that name; any
    /// other host is AADSTS50049, as Entra answers for an instance it does not know.
    /// </summary>
    public async Task InstanceDiscoveryAsync(HttpContext context)
    {
        var authorize = context.Request.Query["authorization_endpoint"].ToString();
        if (!Uri.TryCreate(authorize, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps || !urls.ServesEntraOn(endpoint.Host))
        {
            await AadErrors.UnknownInstance().WriteAsync(context);
            return;
        }

        // The tenant is the authorization endpoint's first path segment: /{tenant}/oauth2/v2.0/authorize.
        var tenant = endpoint.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "common";
        var authority = endpoint.GetLeftPart(UriPartial.Authority);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("tenant_discovery_endpoint", $"{authority}/{tenant}/v2.0/.well-known/openid-configuration");
        writer.WriteString("api-version", "1.1");
        writer.WriteStartArray("metadata");
        writer.WriteStartObject();
        writer.WriteString("preferred_network", endpoint.Host);
        writer.WriteString("preferred_cache", endpoint.Host);
        WriteArray(writer, "aliases", endpoint.Host);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Resolves {tenant} and writes one JSON object, or answers AADSTS90002 for an unknown tenant.</summary>
    private async Task AnswerAsync(HttpContext context, Action<Utf8JsonWriter, string, string> writeProperties)
    {
        var segment = (string)context.Request.RouteValues["tenant"]!;
        string pathSegment, issuer;
        if (MultiTenantSegments.Contains(segment, StringComparer.OrdinalIgnoreCase))
        {
            (pathSegment, issuer) = (segment.ToLowerInvariant(), $"{urls.AuthorityRoot(context)}/{{tenantid}}/v2.0");
        }
        else if (tenants.Find(segment) is { } tenant)
        {
            (pathSegment, issuer) = (tenant.TenantId.ToString(), SandboxUrls.Issuer(urls.AuthorityRoot(context), tenant.TenantId));
        }
        else
        {
            await AadErrors.UnknownTenant(segment).WriteAsync(context);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writeProperties(writer, pathSegment, issuer);
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, params string[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
