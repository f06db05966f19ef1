using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// OpenID Connect discovery (GET /{tenant}/v2.0/.well-known/openid-configuration) and the signing keys
/// (GET /{tenant}/discovery/v2.0/keys). {tenant} is a domain, a tenant id, or "organizations"/"common",
/// for which the issuer is the "{tenantid}" template, as Entra ID publishes it.
/// </summary>
internal sealed class DiscoveryEndpoints(TenantStore tenants, SandboxUrls urls, TokenSigningKey signingKey)
{
    private static readonly string[] MultiTenantSegments = ["organizations", "common"];

    public Task OpenIdConfigurationAsync(HttpContext context) => AnswerAsync(context, (writer, segment, issuer) =>
    {
        var root = $"{urls.ConnectionUri}/{segment}";
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

    /// <summary>Resolves {tenant} and writes one JSON object, or answers AADSTS90002 for an unknown tenant.</summary>
    private async Task AnswerAsync(HttpContext context, Action<Utf8JsonWriter, string, string> writeProperties)
    {
        var segment = (string)context.Request.RouteValues["tenant"]!;
        string pathSegment, issuer;
        if (MultiTenantSegments.Contains(segment, StringComparer.OrdinalIgnoreCase))
        {
            (pathSegment, issuer) = (segment.ToLowerInvariant(), $"{urls.ConnectionUri}/{{tenantid}}/v2.0");
        }
        else if (tenants.Find(segment) is { } tenant)
        {
            (pathSegment, issuer) = (tenant.TenantId.ToString(), urls.Issuer(tenant.TenantId));
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
