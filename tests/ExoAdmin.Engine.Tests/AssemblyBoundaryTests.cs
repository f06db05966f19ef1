using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ExoAdmin.Engine.Tests;

/// <summary>
/// The cmdlet assembly loads in the default context next to whatever other modules bring; if it
/// referenced MSAL, Azure, Polly or System.Text.Json it would bind to their versions. Only the
/// engine, in its private context, may reference them.
/// </summary>
public class AssemblyBoundaryTests
{
    private static readonly string[] Isolated = { "Microsoft.Identity.Client", "Azure.", "Polly", "System.Text.Json", "Microsoft.IdentityModel" };

    private static IReadOnlyList<string> ReferencesOf(string assemblyFile)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, assemblyFile));
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToList();
    }

    [Fact]
    public void The_cmdlet_assembly_references_none_of_the_isolated_libraries()
    {
        var references = ReferencesOf("ExoAdmin.dll");

        Assert.Contains("ExoAdmin.Engine", references); // sanity: the check reads real metadata
        Assert.DoesNotContain(references, r => Isolated.Any(prefix => r.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public void The_engine_is_where_those_libraries_are_used()
    {
        var references = ReferencesOf("ExoAdmin.Engine.dll");

        Assert.Contains("Microsoft.Identity.Client", references);
        Assert.Contains("Polly.Core", references);
    }
}
