using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using ExoAdmin.Sandbox.Exchange.InvokeCommand;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET /AdminApi/v1.0/{tenant}/EXOHelpFile (§3.3): MAML help for the cmdlets the caller's role allows, for each
/// name in the HelpFileNames header (a JSON array) that the generated module declared in $global:HelpFileNames.
/// Gzip-compressed when the client accepts it, as the original's client expects and decompresses itself.
/// </summary>
internal sealed class ModuleHelpFile(IEnumerable<ICmdlet> cmdlets, SandboxOptions options) : IExchangeResource
{
    public const string FileName = "tmpEXO-help.xml";

    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

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

        var role = options.RoleOf(request.Tenant);
        var allowed = cmdlets.Where(c => ManagementRoles.Allows(role, c.Name)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToArray();
        using var body = new MemoryStream();
        using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.context", request.ContextUrl("Collection(Exchange.HelpFile)"));
            writer.WriteStartArray("value");
            foreach (var name in names.Where(n => string.Equals(n, FileName, StringComparison.OrdinalIgnoreCase)))
            {
                writer.WriteStartObject();
                writer.WriteString("fileName", FileName);
                writer.WriteString("helpFileContent", HelpXml(allowed));
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

    /// <summary>One command element per cmdlet: name, verb, noun, a synopsis, and its parameters.</summary>
    internal static string HelpXml(IEnumerable<ICmdlet> allowed)
    {
        var commands = allowed.Select(cmdlet =>
        {
            var dash = cmdlet.Name.IndexOf('-');
            var changes = ManagementRoles.ChangesState(cmdlet.Name);
            var synopsis = $"Runs {cmdlet.Name} in Exchange Online through the InvokeCommand endpoint{(changes ? "; supports -WhatIf and -Confirm" : string.Empty)}.";
            return new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", MamlNs.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
                new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
                new XElement(Command + "details",
                    new XElement(Command + "name", cmdlet.Name),
                    new XElement(MamlNs + "description", new XElement(MamlNs + "para", synopsis)),
                    new XElement(Command + "verb", cmdlet.Name[..dash]),
                    new XElement(Command + "noun", cmdlet.Name[(dash + 1)..])),
                new XElement(MamlNs + "description", new XElement(MamlNs + "para", synopsis)),
                new XElement(Command + "parameters", cmdlet.ParameterNames
                    .Where(p => !p.Equals("Confirm", StringComparison.OrdinalIgnoreCase))
                    .Select(p => new XElement(Command + "parameter",
                        new XAttribute("required", "false"),
                        new XAttribute("pipelineInput", p.Equals("Identity", StringComparison.OrdinalIgnoreCase) ? "True (ByValue, ByPropertyName)" : "True (ByPropertyName)"),
                        new XAttribute("position", p.Equals("Identity", StringComparison.OrdinalIgnoreCase) ? "0" : "named"),
                        new XElement(MamlNs + "name", p),
                        new XElement(MamlNs + "description", new XElement(MamlNs + "para", $"The {p} parameter of {cmdlet.Name}, passed to the service as given."))))));
        });
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands);
    }
}
