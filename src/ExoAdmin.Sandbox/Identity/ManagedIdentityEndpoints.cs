using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// The two managed-identity token endpoints, as Azure hosts serve them to code running there:
///   GET /msi/token?api-version=2019-08-01&amp;resource=R[&amp;client_id=C]   with X-IDENTITY-HEADER
///       (App Service, Functions, Azure Automation: IDENTITY_ENDPOINT + IDENTITY_HEADER)
///   GET /metadata/identity/oauth2/token?api-version=2018-02-01&amp;resource=R[&amp;client_id=C]   with Metadata: true
///       (the VM endpoint, IMDS; clients are pointed here with AZURE_POD_IDENTITY_AUTHORITY_HOST)
/// Without client_id the tenant's system-assigned identity answers (the first tenant's); with it, the
/// user-assigned identity of that id.
/// </summary>
internal sealed class ManagedIdentityEndpoints(UserDirectory directory, AccessTokenIssuer issuer)
{
    public Task AppServiceAsync(HttpContext context)
    {
        var header = context.Request.Headers["X-IDENTITY-HEADER"].ToString();
        if (header.Length == 0 || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(header), System.Text.Encoding.ASCII.GetBytes(directory.IdentityHeader)))
        {
            return ErrorAsync(context, 401, "invalid_request", "The X-IDENTITY-HEADER header is missing or wrong.");
        }

        if (context.Request.Query["api-version"] != "2019-08-01")
        {
            return ErrorAsync(context, 400, "invalid_request", "api-version 2019-08-01 is required.");
        }

        return IssueAsync(context, appService: true);
    }

    public Task ImdsAsync(HttpContext context)
    {
        if (!string.Equals(context.Request.Headers["Metadata"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorAsync(context, 400, "invalid_request", "Required metadata header not specified");
        }

        return IssueAsync(context, appService: false);
    }

    private async Task IssueAsync(HttpContext context, bool appService)
    {
        var query = context.Request.Query;
        var resource = query["resource"].ToString().TrimEnd('/');
        if (resource.EndsWith("/.default", StringComparison.Ordinal))
        {
            resource = resource[..^"/.default".Length];
        }

        if (!Uri.TryCreate(resource, UriKind.Absolute, out _))
        {
            await ErrorAsync(context, 400, "invalid_resource", "AADSTS500011: The resource principal named was not found in the tenant.");
            return;
        }

        var clientId = query["client_id"].ToString();
        var identity = directory.FindIdentity(clientId);
        if (identity is null)
        {
            await ErrorAsync(context, 400, "invalid_request", "Identity not found");
            return;
        }

        var lifetime = (long)issuer.Lifetime.TotalSeconds;
        var expiresOn = DateTimeOffset.UtcNow.AddSeconds(lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var token = issuer.IssueForApp(identity.Tenant, resource, identity.ClientId, identity.PrincipalId);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("access_token", token);
        if (!appService)
        {
            writer.WriteString("refresh_token", string.Empty);
            writer.WriteString("expires_in", lifetime.ToString(CultureInfo.InvariantCulture));
            writer.WriteString("not_before", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteString("expires_on", expiresOn);
        writer.WriteString("resource", resource);
        writer.WriteString("token_type", "Bearer");
        writer.WriteString("client_id", identity.ClientId.ToString());
        writer.WriteEndObject();
    }

    private static async Task ErrorAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", description);
        writer.WriteEndObject();
    }
}
