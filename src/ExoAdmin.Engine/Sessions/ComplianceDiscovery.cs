using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.Http.Transport;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// Security &amp; Compliance's regional host (notes §15): GET {CU}/adminapi/beta/{tid}/EXOBanner('AutogenSession')
/// without following redirects; a 302 Location names the tenant's regional host, which every later call uses.
/// Locations on *.admin.protection.outlook.com become *.ps.compliance.protection.outlook.com, and port 446 becomes 443.
/// A 2xx answer means the endpoint serves the tenant itself.
/// </summary>
internal static class ComplianceDiscovery
{
    public static async Task<Uri> FindRegionalEndpointAsync(Uri endpoint, string tenantId, ITokenProvider tokens, SandboxTrust? trust, IOperationSink sink, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint, $"/adminapi/beta/{Uri.EscapeDataString(tenantId)}/EXOBanner('AutogenSession')?Version={ConnectionHeaders.ProtocolModuleVersion}");
        // The transport never follows redirects: the 302 is read here on purpose, its Location checked before it is used.
        using var http = new HttpClient(HttpTransport.Create(trust)) { Timeout = TimeSpan.FromSeconds(100) };
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Failures.Connection($"The Security & Compliance endpoint {endpoint} could not be reached: {ex.Message}", endpoint.AbsoluteUri, ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var regional = Rewrite(location.IsAbsoluteUri ? location : new Uri(endpoint, location));
                if (regional.Scheme != Uri.UriSchemeHttps)
                {
                    throw Failures.Protocol($"The Security & Compliance endpoint redirected to '{regional.GetLeftPart(UriPartial.Authority)}', which is not https. It was not followed.", regional.AbsoluteUri);
                }

                sink.WriteVerbose($"Security & Compliance for tenant {tenantId} is served at {regional.GetLeftPart(UriPartial.Authority)}.");
                return new Uri(regional.GetLeftPart(UriPartial.Authority));
            }

            if (response.IsSuccessStatusCode)
            {
                return endpoint;
            }

            // An error's text is read at most BodyLimits.ErrorBytes, like every other error answer.
            var body = response.Content is null ? null : System.Text.Encoding.UTF8.GetString(await BoundedBody.ReadPrefixAsync(
                response.Content, BodyLimits.ErrorBytes, BodyLimits.Whole(BodyLimits.ErrorBytes, RetrySettings.Default), TimeProvider.System, cancellationToken).ConfigureAwait(false));
            throw ServiceErrorReader.Read(status, body, ExoRestClient.RequestIdOf(response), target: endpoint.AbsoluteUri);
        }
    }

    internal static Uri Rewrite(Uri location)
    {
        var builder = new UriBuilder(location);
        if (builder.Host.EndsWith(".admin.protection.outlook.com", StringComparison.OrdinalIgnoreCase))
        {
            builder.Host = builder.Host.Substring(0, builder.Host.Length - ".admin.protection.outlook.com".Length) + ".ps.compliance.protection.outlook.com";
        }

        if (builder.Port == 446)
        {
            builder.Port = 443;
        }

        return builder.Uri;
    }
}
