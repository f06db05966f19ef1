using System.Collections.Specialized;
using System.Management.Automation;
using System.Net;
using System.Text;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests;

/// <summary>InvokeCommand through the pager: POST, the same body re-POSTed to next links, warnings once, errors per entry.</summary>
public class InvokeCommandPagingTests
{
    [Fact]
    public async Task Pages_are_reposted_with_the_same_body_and_annotations_become_warnings_and_errors()
    {
        var bodies = new List<string>();
        var service = new FakeService(async (request, _) =>
        {
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("Get-Thing", request.Headers.GetValues("X-CmdletName").Single());
            Assert.Equal("json", request.Headers.GetValues("X-ResponseFormat").Single());
            Assert.Equal("odata.maxpagesize=2", request.Headers.GetValues("Prefer").Single());
            bodies.Add(await request.Content!.ReadAsStringAsync());
            var second = request.RequestUri!.Query.Contains("skiptoken");
            var json = second
                ? """{"@odata.context":"x","value":[{"Name":"c"}],"@adminapi.warnings":["careful"],"@adminapi.errors":["one item failed"]}"""
                : """{"@odata.context":"x","value":[{"Name":"a","Size":"1 KB (1,024 bytes)"},{"Name":"b"}],"@odata.nextLink":"https://exo.test/adminapi/beta/t/InvokeCommand?$skiptoken=2","@adminapi.warnings":["careful"]}""";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        });
        var sink = new RecordingSink();
        var body = new InvokeCommandRequest("Get-Thing", [new("Identity", "x")]).Body;
        var pager = new ODataPager(TestClients.Create(service), pageSize: 2);

        await pager.ReadAsync(new Uri("https://exo.test/adminapi/beta/t/InvokeCommand"), ResultSize.Unlimited,
            new ObjectMaterializer(new EdmStructuredType("GenericHashTable", new Dictionary<string, EdmProperty>()), "ExoAdmin.Object"),
            "req", sink, CancellationToken.None, new InvokeCommandCall("Get-Thing", body, isReadOnly: true));

        Assert.Equal(2, bodies.Count);
        Assert.All(bodies, b => Assert.Equal(body, b));
        Assert.Equal(["a", "b", "c"], sink.Objects.Cast<PSObject>().Select(o => (string)o.Properties["Name"].Value));
        Assert.IsType<UnlimitedSize>(sink.Objects.Cast<PSObject>().First().Properties["Size"].Value);
        Assert.Equal(["careful"], sink.Warnings);
        var error = Assert.Single(sink.Errors);
        Assert.Equal("AdminApiError", error.FullyQualifiedErrorId);
        Assert.Equal("one item failed", error.Exception.Message);
    }
}
