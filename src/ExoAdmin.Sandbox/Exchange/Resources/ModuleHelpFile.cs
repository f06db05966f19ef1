using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using ExoAdmin.Sandbox.Catalogue;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET /AdminApi/v1.0/{tenant}/EXOHelpFile (§3.3): for each name in the HelpFileNames header (a JSON array; the
/// module file lists its files in $global:HelpFileNames), MAML for the cmdlets of that help file the caller's role
/// allows on this listener (<see cref="ModuleHelp"/>), generated once per file and role. Names the module does not
/// use are left out. Gzip-compressed when the client accepts it; the original's client decompresses it itself.
/// </summary>
internal sealed class ModuleHelpFile(ServiceCatalogues catalogues, ModuleFiles files, Control.ServiceBehaviour behaviour) : IExchangeResource
{
    private readonly ConcurrentDictionary<(CatalogueService, string, string), Lazy<string>> _help = new();

    public string Name => "EXOHelpFile";

    public string Method => HttpMethods.Get;

    public async Task HandleAsync(ExchangeRequest request)
    {
        request.RejectUnsupportedOptions([], []);
        string[] names;
        try
        {
            names = JsonSerializer.Deserialize<string[]>(request.Http.Request.Headers["HelpFileNames"].ToString()) ?? [];
        }
        catch (JsonException)
        {
            throw new ExchangeErrorException(ExchangeErrors.BadRequest("The HelpFileNames header must be a JSON array of file names."));
        }

        var role = behaviour.Current.RoleOf(request.Tenant);
        var module = files.For(catalogues.For(request), role);
        var served = module.Cmdlets.Select(c => c.HelpFile).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", request.ContextUrl("Collection(Exchange.HelpFile)"));
            writer.WriteStartArray("value");
            foreach (var name in names.Where(served.Contains).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                var file = module.Cmdlets.First(c => c.HelpFile.Equals(name, StringComparison.OrdinalIgnoreCase)).HelpFile;
                writer.WriteStartObject();
                writer.WriteString("fileName", file);
                writer.WriteString("helpFileContent", _help.GetOrAdd((module.Service, role, file), _ => new Lazy<string>(() =>
                    ModuleHelp.For(module.Cmdlets.Where(c => c.HelpFile == file)))).Value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var response = request.Response;
        response.ContentType = "application/json; charset=utf-8";
        var bytes = body.ToArray();
        if (request.Http.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(bytes);
            }

            bytes = compressed.ToArray();
            response.Headers.ContentEncoding = "gzip";
        }

        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes);
    }
}
