using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace ExoAdmin.Commands.Tests;

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
    public void The_engine_s_public_surface_exposes_no_Azure_or_MSAL_type()
    {
        // The cmdlets see the engine only through BCL and PowerShell types; an Azure.* or MSAL type in a public
        // signature would drag the library into the default load context.
        var engine = typeof(ExoAdmin.Engine.Sessions.Connector).Assembly;
        var leaks = engine.GetExportedTypes()
            .SelectMany(t => t.GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
                .SelectMany(SignatureTypes).Append(t.BaseType).Where(x => x is not null)
                .Where(x => Isolated.Any(prefix => (x!.Assembly.GetName().Name ?? string.Empty).StartsWith(prefix, StringComparison.Ordinal)))
                .Select(x => $"{t.FullName}: {x}"))
            .ToList();

        Assert.Empty(leaks);
    }

    private static IEnumerable<Type?> SignatureTypes(System.Reflection.MemberInfo member) => member switch
    {
        System.Reflection.MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        System.Reflection.PropertyInfo p => new[] { p.PropertyType },
        System.Reflection.FieldInfo f => new[] { f.FieldType },
        System.Reflection.ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        _ => Array.Empty<Type>(),
    };

    [Fact]
    public void The_engine_is_where_those_libraries_are_used()
    {
        var references = ReferencesOf("ExoAdmin.Engine.dll");

        Assert.Contains("Microsoft.Identity.Client", references);
        Assert.Contains("Polly.Core", references);
        // Azure.Identity's ManagedIdentityCredential: the package forwards the type to Azure.Core, where it now lives.
        Assert.Contains("Azure.Core", references);
    }
}
