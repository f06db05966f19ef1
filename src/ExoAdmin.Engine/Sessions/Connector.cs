using System;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Sessions;

/// <summary>Connect-ExchangeOnline's work: sign in, check the service answers, register the connection.</summary>
public static class Connector
{
    private static readonly Regex ValidPrefix = new("^[A-Za-z0-9]+$", RegexOptions.CultureInvariant);

    public static async Task<ExoConnection> ConnectAsync(SessionManager sessions, ConnectRequest request, IOperationSink sink, CancellationToken cancellationToken)
    {
        Validate(request);

        var serviceRoot = new Uri(request.ConnectionUri.GetLeftPart(UriPartial.Authority));
        var organization = request.Organization!;
        // App-only sign-in asks the organization's own authority: .../organizations becomes .../contoso.onmicrosoft.com.
        var authority = new Uri(new Uri(request.AuthorityUri.GetLeftPart(UriPartial.Authority)), "/" + Uri.EscapeDataString(organization));
        var tokens = new MsalClientCredentialTokenProvider(request.AppId!, request.Certificate!, authority, serviceRoot.AbsoluteUri);
        var headers = new ConnectionHeaders(
            Guid.NewGuid().ToString(),
            $"UPN:{ExoConnection.SystemMailbox}@{organization}",
            request.PowerShellVersion,
            request.ModuleVersion);
        var client = new ExoRestClient(serviceRoot, tokens, headers);
        try
        {
            sink.WriteVerbose($"Signing in to {authority} as application {request.AppId}.");
            var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            var tenantId = JwtPayload.ReadClaim(token.Value, "tid") ?? organization;
            var connection = new ExoConnection(sessions.NextId(), request, tenantId, userPrincipalName: null, certificateAuthentication: true, client);

            var banner = request.ShowBanner ? ReadBannerAsync(connection, sink, cancellationToken) : Task.FromResult<string?>(null);
            var description = await connection.DescribeAsync(cancellationToken, sink).ConfigureAwait(false);
            if (description.State != ConnectionState.Connected)
            {
                throw Failures.Connection($"Signed in, but the Exchange Online service at {serviceRoot} did not report itself running for tenant {tenantId}.", serviceRoot.AbsoluteUri);
            }

            if (await banner.ConfigureAwait(false) is { } text)
            {
                sink.WriteHost(text);
            }

            sessions.Add(connection);
            sink.WriteVerbose($"Connected to {organization} (tenant {tenantId}) as {connection.Name}{(connection.Prefix.Length > 0 ? $" with prefix {connection.Prefix}" : string.Empty)}.");
            return connection;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static void Validate(ConnectRequest request)
    {
        RequireHttps(request.ConnectionUri, "ConnectionUri");
        RequireHttps(request.AuthorityUri, "AzureADAuthorizationEndpointUri");
        if (request.PageSize is < 1 or > 1000)
        {
            throw Failures.InvalidArgument($"PageSize must be between 1 and 1000; {request.PageSize} was given.", "InvalidPageSize", request.PageSize);
        }

        if (request.Prefix.Length > 0 && (!ValidPrefix.IsMatch(request.Prefix) || string.Equals(request.Prefix, "EXO", StringComparison.OrdinalIgnoreCase)))
        {
            throw Failures.InvalidArgument($"The prefix '{request.Prefix}' is not valid: use letters and digits only, and not 'EXO', which the built-in Get-EXO* cmdlets already use.", "InvalidPrefix", request.Prefix);
        }

        if (string.IsNullOrWhiteSpace(request.AppId) || string.IsNullOrWhiteSpace(request.Organization) || request.Certificate is null)
        {
            throw Failures.InvalidArgument("App-only sign-in needs -AppId, -Organization and a certificate (-Certificate, or -CertificateFilePath with -CertificatePassword).", "IncompleteAppOnlySignIn", null);
        }

        if (Guid.TryParse(request.Organization, out _))
        {
            throw Failures.InvalidArgument($"-Organization must be the tenant's domain (for example contoso.onmicrosoft.com), not a GUID.", "OrganizationIsGuid", request.Organization);
        }
    }

    private static void RequireHttps(Uri uri, string parameter)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Failures.InvalidArgument($"-{parameter} must be an https URI; '{uri}' is not.", "UriNotHttps", uri.ToString());
        }
    }

    /// <summary>The connect banner; like the original, failures only reach the Verbose stream.</summary>
    private static async Task<string?> ReadBannerAsync(ExoConnection connection, IOperationSink sink, CancellationToken cancellationToken)
    {
        var uri = new Uri(connection.ConnectionUri, $"/AdminApi/v1.0/{Uri.EscapeDataString(connection.TenantId)}/EXOBanner('AutogenSession')?Version={ConnectionHeaders.ProtocolModuleVersion}");
        try
        {
            using var response = await connection.Client.SendAsync(new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString()), sink, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
            var root = document.RootElement;
            if (root.TryGetProperty("sessionType", out var type) && string.Equals(type.GetString(), "AutogenSession", StringComparison.OrdinalIgnoreCase) &&
                root.TryGetProperty("moduleBannerContent", out var content))
            {
                return content.GetString();
            }

            sink.WriteVerbose("No banner content returned by the service.");
            return null;
        }
        catch (Exception ex) when (ex is ExoException or JsonException or InvalidOperationException)
        {
            sink.WriteVerbose($"The banner could not be read: {ex.Message}");
            return null;
        }
    }
}
