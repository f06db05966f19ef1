using System.Text;
using System.Text.Json;

namespace ExoAdmin.Tests.Shared;

/// <summary>
/// Module files in the real service's shape (§18.1), written from the cmdlet catalogue (src/Schema/cmdlet-catalogue.json,
/// copied beside the tests): per cmdlet a "# .ExternalHelp" line, <c>function script:&lt;Name&gt;</c>, [CmdletBinding()] and
/// a param block with one [Parameter()] per set, ${Name} variables and [System.Object] for Exchange's own types, as
/// Microsoft's generated proxies write them. Used as fixtures until (and besides) the sandbox's own file.
/// </summary>
internal static class CatalogueModuleFile
{
    private static readonly Lazy<JsonDocument> Catalogue = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "cmdlet-catalogue.json"))));

    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["String"] = "string", ["String[]"] = "string[]", ["Boolean"] = "bool", ["System.Boolean"] = "System.Boolean",
        ["SwitchParameter"] = "switch", ["Int32"] = "int", ["DateTime"] = "datetime", ["SecureString"] = "securestring",
        ["PSCredential"] = "pscredential", ["Guid"] = "guid", ["Byte[]"] = "byte[]",
    };

    /// <summary>The Exchange Online cmdlets of the catalogue (the service's own, not the 35 compiled into Microsoft's module).</summary>
    public static IReadOnlyList<string> ExchangeCmdlets(int? take = null) =>
        Cmdlets("exchange").Select(c => c.GetProperty("name").GetString()!).Take(take ?? int.MaxValue).ToArray();

    /// <summary>The psm1 text for these cmdlets, with a key and a helper function before them as the real file has.</summary>
    public static string Write(IEnumerable<string> names, string? rsaKeyXml = null)
    {
        var wanted = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        text.Append("# Generated module file\n");
        if (rsaKeyXml is not null)
        {
            text.Append("$script:PublicKey = '").Append(rsaKeyXml).Append("'\n");
        }

        text.Append("function Execute-Command { param([string] $CmdletName, $Parameters) if ($Parameters.Count -gt 0) { \"}\" } }\n\n");
        foreach (var cmdlet in Cmdlets("exchange").Where(c => wanted.Contains(c.GetProperty("name").GetString()!)))
        {
            var name = cmdlet.GetProperty("name").GetString()!;
            var sets = cmdlet.GetProperty("parameterSets").EnumerateArray().ToArray();
            var defaultSet = sets.FirstOrDefault(s => s.GetProperty("default").GetBoolean()).ValueKind == JsonValueKind.Object
                ? sets.First(s => s.GetProperty("default").GetBoolean()).GetProperty("name").GetString()
                : sets.Select(s => s.GetProperty("name").GetString()).FirstOrDefault(n => n == "Identity")
                  ?? sets.Select(s => s.GetProperty("name").GetString()!).OrderByDescending(s => cmdlet.GetProperty("parameters").EnumerateArray().Count(p => p.GetProperty("sets").EnumerateArray().Any(x => x.GetString() == s))).First();
            var changes = !name.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
            text.Append("# .ExternalHelp ").Append(cmdlet.GetProperty("helpFile").GetString()).Append('\n')
                .Append("function script:").Append(name).Append("\n{\n")
                .Append("    [CmdletBinding(DefaultParameterSetName='").Append(defaultSet).Append("', SupportsShouldProcess=$").Append(changes ? "true" : "false")
                .Append(name.StartsWith("Remove-", StringComparison.OrdinalIgnoreCase) ? ", ConfirmImpact='High'" : string.Empty).Append(")]\n    param(\n");
            var parameters = cmdlet.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("services").EnumerateArray().Any(s => s.GetString() == "exchange")).ToArray();
            var positions = parameters.Select(p => p.GetProperty("position")).Where(p => p.ValueKind == JsonValueKind.Number)
                .Select(p => p.GetInt32()).Distinct().Order().ToList();
            for (var i = 0; i < parameters.Length; i++)
            {
                var p = parameters[i];
                foreach (var set in p.GetProperty("sets").EnumerateArray())
                {
                    text.Append("    [Parameter(ParameterSetName='").Append(set.GetString()).Append('\'');
                    if (p.GetProperty("required").GetBoolean())
                    {
                        text.Append(", Mandatory=$true");
                    }

                    if (p.GetProperty("position").ValueKind == JsonValueKind.Number)
                    {
                        text.Append(", Position=").Append(positions.IndexOf(p.GetProperty("position").GetInt32()));
                    }

                    if (p.GetProperty("pipeline").GetProperty("byValue").GetBoolean())
                    {
                        text.Append(", ValueFromPipeline=$true");
                    }

                    if (p.GetProperty("pipeline").GetProperty("byPropertyName").GetBoolean())
                    {
                        text.Append(", ValueFromPipelineByPropertyName=$true");
                    }

                    text.Append(")]\n");
                }

                var aliases = p.GetProperty("aliases").EnumerateArray().Select(a => "'" + a.GetString() + "'").ToArray();
                if (aliases.Length > 0)
                {
                    text.Append("    [Alias(").Append(string.Join(", ", aliases)).Append(")]\n");
                }

                text.Append("    [").Append(Types.TryGetValue(p.GetProperty("type").GetString()!, out var type) ? type : "System.Object").Append("]\n    ${")
                    .Append(p.GetProperty("name").GetString()).Append('}').Append(i < parameters.Length - 1 ? ",\n\n" : "\n");
            }

            text.Append("    )\n    Begin {\n        $CmdletRequestId = [System.Guid]::NewGuid().ToString()\n    }\n    Process {\n")
                .Append("        $result = Execute-Command -CmdletName '").Append(name).Append("' -Parameters $PSBoundParameters -CmdletRequestId $CmdletRequestId\n")
                .Append("        return $result\n    }\n}\n\n");
        }

        return text.ToString();
    }

    private static IEnumerable<JsonElement> Cmdlets(string service) =>
        Catalogue.Value.RootElement.GetProperty("cmdlets").EnumerateArray()
            .Where(c => c.GetProperty("services").EnumerateArray().Any(s => s.GetString() == service))
            .Where(c => c.GetProperty("helpFile").GetString() is not ("ExchangeOnlineManagement-help.xml"
                or "Microsoft.Exchange.Management.RestApiClient.dll-Help.xml" or "Microsoft.Exchange.Management.ExoPowershellGalleryModule.dll-Help.xml"));
}
