using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The sandbox in front of a client that follows OData to the letter: Microsoft.OData.Core's reader (what
/// Microsoft's OData client is built on), with every validation on, against the schema the sandbox embeds. One test
/// over every example of every route in the sandbox's own route table, so a new route cannot skip it.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class StrictODataReaderTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(StrictODataReaderTests));

    private const string Contoso = SandboxFixture.Contoso;

    /// <summary>The Exchange GET resources that answer plain JSON, not OData (§3): nothing else may stay out of the route table.</summary>
    private static readonly string[] NotOData = ["EXOBanner", "EXOModuleFile", "EXOHelpFile"];

    private static readonly Lazy<IEdmModel> Model = new(LoadModel);

    [Fact]
    public async Task Every_answer_of_every_Get_EXO_route_reads_strictly_against_the_schema()
    {
        var resources = sandbox.Server.Services.GetServices<IExchangeResource>().ToArray();
        var unrouted = resources.Where(r => r.Method == "GET" && r is not IODataResource).Select(r => r.Name);
        Assert.Equal(NotOData.Order(), unrouted.Order());

        var token = await sandbox.AccessTokenAsync(Contoso);
        var failures = new List<string>();
        var read = 0;
        foreach (var resource in resources.OfType<IODataResource>())
        {
            foreach (var route in resource.Routes)
            {
                foreach (var example in route.Examples)
                {
                    var url = sandbox.AdminApi(Contoso) + "/" + Fill(example.Url, escape: true);
                    try
                    {
                        var items = await ReadStrictlyAsync(url, token, example.Headers.Select(h => (h.Name, Fill(h.Value, escape: false))));
                        if (items == 0)
                        {
                            failures.Add($"{example.Url}: the answer holds nothing, so nothing in it was checked; give the route an example that finds something.");
                        }

                        read++;
                    }
                    catch (Exception e) when (e is ODataException or InvalidOperationException or HttpRequestException)
                    {
                        failures.Add($"{example.Url}: {e.Message}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(read >= 20, $"Only {read} answers were read.");
    }

    /// <summary>Reads one answer as a strict client would, and returns how many resources (entities, complex values) it held.</summary>
    private async Task<int> ReadStrictlyAsync(string url, string token, IEnumerable<(string Name, string Value)> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json;odata.metadata=minimal");
        request.Headers.TryAddWithoutValidation("Prefer", "odata.maxpagesize=1000;");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await sandbox.Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
        }

        var message = new ResponseMessage(body, response.Content.Headers.ContentType!.ToString());
        var settings = new ODataMessageReaderSettings
        {
            BaseUri = new Uri(sandbox.AdminApi(Contoso) + "/"),
            Validations = ValidationKinds.All,
            MaxProtocolVersion = ODataVersion.V4,
        };
        using var reader = new ODataMessageReader(message, settings, Model.Value);
        // A collection is an object with "value"; the reader then resolves @odata.context against the schema itself.
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var odataReader = json.RootElement.TryGetProperty("value", out _) ? reader.CreateODataResourceSetReader() : reader.CreateODataResourceReader();
        var resources = 0;
        while (odataReader.Read())
        {
            if (odataReader.State == ODataReaderState.ResourceEnd)
            {
                resources++;
            }
        }

        return resources;
    }

    /// <summary>Fills an example's placeholders (<see cref="ODataExample"/>) from the seeded tenant.</summary>
    private string Fill(string template, bool escape)
    {
        var tenant = sandbox.Server.Services.GetRequiredService<TenantStore>().Find(Contoso)!;
        var text = template.Replace("{tenantId}", tenant.TenantId.ToString(), StringComparison.Ordinal);
        // {deviceGuid:ALIAS}, the mailbox's first mobile device, is filled first: it may sit inside {b64:…}.
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\{deviceGuid:([^}]*)\}", m =>
            MailboxActivity.MobileDevices(tenant.Mailboxes.Find(m.Groups[1].Value).Single())[0].Guid.ToString());
        return System.Text.RegularExpressions.Regex.Replace(text, @"\{(key|b64|exchangeGuid|databaseGuid):([^}]*)\}", m =>
        {
            var argument = m.Groups[2].Value;
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(argument));
            return m.Groups[1].Value switch
            {
                "key" => escape ? Uri.EscapeDataString(base64) : base64,
                "b64" => base64,
                "exchangeGuid" => tenant.Mailboxes.Find(argument).Single().ExchangeGuid.ToString(),
                _ => tenant.Mailboxes.Find(argument).Single().Database.Guid.ToString(),
            };
        });
    }

    /// <summary>The schema the sandbox embeds, read by the OData library's own CSDL reader.</summary>
    private static IEdmModel LoadModel()
    {
        using var stream = typeof(Exchange.ExchangeApi).Assembly.GetManifestResourceStream("adminapi-edmx.xml")!;
        using var xml = XmlReader.Create(stream);
        if (!CsdlReader.TryParse(xml, out var model, out var errors))
        {
            throw new InvalidOperationException("The schema does not parse: " + string.Join("; ", errors.Select(e => e.ErrorMessage)));
        }

        return model;
    }

    private sealed class ResponseMessage(byte[] body, string contentType) : IODataResponseMessage
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType, ["OData-Version"] = "4.0" };

        public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

        public int StatusCode { get; set; } = 200;

        public string? GetHeader(string headerName) => _headers.GetValueOrDefault(headerName);

        public void SetHeader(string headerName, string headerValue) => _headers[headerName] = headerValue;

        public Stream GetStream() => new MemoryStream(body, writable: false);
    }
}
