using System.Text.Json;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// The repository's cmdlet catalogue read directly as JSON, so tests check what the sandbox serves against the
/// source rather than against the sandbox's own reading of it.
/// </summary>
internal static class CatalogueFile
{
    private static readonly Lazy<JsonElement[]> Cmdlets = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ExoAdmin.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory.FullName, "src", "Schema", "cmdlet-catalogue.json")));
        return document.RootElement.GetProperty("cmdlets").EnumerateArray().Select(c => c.Clone()).ToArray();
    });

    private static readonly string[] CompiledHelpFiles =
    [
        "ExchangeOnlineManagement-help.xml", "Microsoft.Exchange.Management.RestApiClient.dll-Help.xml",
        "Microsoft.Exchange.Management.ExoPowershellGalleryModule.dll-Help.xml",
    ];

    public static JsonElement Cmdlet(string name) => Cmdlets.Value.Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Names of the cmdlets a service's module file carries: the service's, less those compiled into Microsoft's module.</summary>
    public static string[] ServedNames(string service) => Cmdlets.Value
        .Where(c => c.GetProperty("services").EnumerateArray().Any(s => s.GetString() == service))
        .Where(c => !CompiledHelpFiles.Contains(c.GetProperty("helpFile").GetString()))
        .Select(c => c.GetProperty("name").GetString()!)
        .ToArray();

    /// <summary>The cmdlet's parameters on a service.</summary>
    public static JsonElement[] Parameters(JsonElement cmdlet, string service) =>
        cmdlet.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("services").EnumerateArray().Any(s => s.GetString() == service))
            .ToArray();

    public static string[] Sets(JsonElement parameter) => parameter.GetProperty("sets").EnumerateArray().Select(s => s.GetString()!).ToArray();
}
