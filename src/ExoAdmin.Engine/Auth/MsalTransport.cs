using System.Net.Http;
using ExoAdmin.Engine.Http.Transport;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>MSAL's token requests leave by the connection's transport, so a sandbox CA (EXOADMIN_SANDBOX_CA_FILE) applies to them too.</summary>
internal sealed class MsalTransport : IMsalHttpClientFactory
{
    private readonly HttpClient _client;

    public MsalTransport(SandboxTrust? trust) => _client = new HttpClient(HttpTransport.Create(trust), disposeHandler: true);

    public HttpClient GetHttpClient() => _client;
}
