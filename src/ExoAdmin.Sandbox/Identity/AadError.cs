using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>An error the token endpoint answers with, in Entra ID's shape (AADSTS code, OAuth error).</summary>
internal sealed record AadError(int Code, string Error, int Status, string Description)
{
    /// <summary>
    /// Writes {"error","error_description","error_codes","timestamp","trace_id","correlation_id"}; the
    /// description ends with the trace and correlation ids and the timestamp, as Entra's does.
    /// </summary>
    public async Task WriteAsync(HttpContext context)
    {
        var traceId = Guid.NewGuid();
        var correlationId = Guid.TryParse(context.Request.Headers["client-request-id"], out var requested) ? requested : Guid.NewGuid();
        var timestamp = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        context.Response.StatusCode = Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store, no-cache";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("error", Error);
        writer.WriteString("error_description", $"AADSTS{Code}: {Description}\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlationId}\r\nTimestamp: {timestamp}");
        writer.WriteStartArray("error_codes");
        writer.WriteNumberValue(Code);
        writer.WriteEndArray();
        writer.WriteString("timestamp", timestamp);
        writer.WriteString("trace_id", traceId);
        writer.WriteString("correlation_id", correlationId);
        writer.WriteEndObject();
    }
}

/// <summary>Ends a token request with an Entra-style error; caught where the response is written.</summary>
internal sealed class AadErrorException(AadError error) : Exception(error.Description)
{
    public AadError Error { get; } = error;
}

/// <summary>
/// Every AADSTS error the sandbox gives, in one table. Codes and texts are Entra's where known:
/// 90002, 700016, 700027, 700024, 700023, 700021, 70003, 900144, 7000218, 7000215, 50027, 1002012, 50011, 50020,
/// 50126, 50076, 501481, 70008, 70016, 70019, 70000; 90055 (throttling) is worded by the sandbox.
/// </summary>
internal static class AadErrors
{
    public static AadError UnknownTenant(string tenant) => new(90002, "invalid_request", 400,
        $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");

    public static AadError UnknownApplication(string clientId, string tenant) => new(700016, "unauthorized_client", 400,
        $"Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.");

    public static AadError InvalidSignature(string reason) => new(700027, "invalid_client", 401,
        $"Client assertion contains an invalid signature. [Reason - {reason}]");

    public static AadError AssertionOutsideValidity(DateTime now, DateTime? validFrom, DateTime? validTo) => new(700024, "invalid_client", 401,
        $"Client assertion is not within its valid time range. Current time: {Format(now)}, assertion valid from {Format(validFrom)}, expiry time of assertion {Format(validTo)}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");

    public static AadError AudienceMismatch() => new(700023, "invalid_client", 401,
        "Client assertion audience claim does not match Realm issuer. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");

    public static AadError ClientIdMismatch() => new(700021, "invalid_client", 401,
        "Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .");

    public static AadError MalformedAssertion() => new(50027, "invalid_request", 400,
        "JWT token is invalid or malformed.");

    public static AadError UnsupportedGrantType(string grantType) => new(70003, "unsupported_grant_type", 400,
        $"The app requested an unsupported grant type '{grantType}'.");

    public static AadError MissingParameter(string name) => new(900144, "invalid_request", 400,
        $"The request body must contain the following parameter: '{name}'.");

    public static AadError MissingClientCredential() => new(7000218, "invalid_client", 401,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");

    public static AadError ClientSecretNotAccepted(string clientId) => new(7000215, "invalid_client", 401,
        $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'.");

    public static AadError InvalidScope(string scope) => new(1002012, "invalid_scope", 400,
        $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");

    public static AadError RedirectUriMismatch(string redirectUri, string clientId) => new(50011, "invalid_request", 400,
        $"The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.");

    public static AadError UnsupportedResponseType(string responseType) => new(900144, "unsupported_response_type", 400,
        $"The request body must contain the following parameter: 'response_type'. Only 'code' is supported here, not '{responseType}'.");

    /// <summary>Entra hides the address in this message ({EmailHidden}); so does the sandbox.</summary>
    public static AadError UserNotInTenant(string userPrincipalName, Guid homeTenantId, string tenantName) => new(50020, "invalid_grant", 400,
        $"User account '{{EmailHidden}}' from identity provider 'https://sts.windows.net/{homeTenantId}/' does not exist in tenant '{tenantName}' and cannot access the application 'fb78d390-0c51-40cd-8e17-fdbfab77341b'(Microsoft Exchange REST API Based Powershell) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.");

    public static AadError InvalidCredentials() => new(50126, "invalid_grant", 400,
        "Error validating credentials due to invalid username or password.");

    /// <summary>ROPC for a user who must use MFA; the resource is Exchange Online's application id.</summary>
    public static AadError MfaRequired() => new(50076, "invalid_grant", 400,
        "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.");

    public static AadError PkceMismatch() => new(501481, "invalid_grant", 400,
        "The Code_Verifier does not match the code_challenge supplied in the authorization request.");

    public static AadError CodeOrRefreshTokenInvalid() => new(70008, "invalid_grant", 400,
        "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");

    public static AadError AuthorizationPending() => new(70016, "authorization_pending", 400,
        "OAuth 2.0 device flow error. Authorization is pending. Continue polling.");

    public static AadError DeviceCodeExpired() => new(70019, "expired_token", 400,
        "Verification code expired.");

    public static AadError DeviceCodeDeclined(string reason) => new(70000, "authorization_declined", 400, reason);

    public static AadError Throttled() => new(90055, "temporarily_unavailable", 429,
        "There are too many incoming requests. Wait for the time the Retry-After header gives, then try again.");

    /// <summary>
    /// Instance discovery for an authority host Entra ID does not serve (AADSTS50049): MSAL then refuses the
    /// authority instead of guessing.
    /// </summary>
    public static AadError UnknownInstance() => new(50049, "invalid_instance", 400, "Unknown or invalid instance.");

    private static string Format(DateTime? time) =>
        time?.ToUniversalTime().ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture) ?? "(none)";
}
