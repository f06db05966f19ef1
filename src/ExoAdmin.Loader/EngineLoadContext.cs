using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ExoAdmin.Loader;

/// <summary>
/// The private load context that holds ExoAdmin.Engine and the libraries it brings (MSAL, Polly, ...).
/// Another module may already have loaded other versions of those into the default context; ours
/// live here and never meet them.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    // Types that cross the boundary must be single: PowerShell's own, the cmdlet assembly's, and
    // the platform's. Everything else the engine asks for comes from the engine folder.
    private static readonly HashSet<string> SharedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "System.Management.Automation", "ExoAdmin", "ExoAdmin.Loader", "netstandard", "mscorlib",
    };

    private readonly string _engineDirectory;
    private readonly Dictionary<string, string> _platformAssemblies;

    public EngineLoadContext(string engineDirectory) : base("ExoAdmin.Engine", isCollectible: false)
    {
        _engineDirectory = engineDirectory;
        _platformAssemblies = ReadPlatformAssemblies();
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || SharedNames.Contains(name) || IsProvidedByPlatform(assemblyName))
        {
            return null; // resolved by the default context
        }

        var path = Path.Combine(_engineDirectory, name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>
    /// A framework assembly (System.Memory, System.Text.Json on .NET 8+, ...) must come from the
    /// framework when it is at least the version asked for: loading the engine folder's
    /// netstandard copy would create a second Span or JsonElement type.
    /// </summary>
    private bool IsProvidedByPlatform(AssemblyName requested)
    {
        if (!_platformAssemblies.TryGetValue(requested.Name!, out var path))
        {
            return false;
        }

        var available = AssemblyName.GetAssemblyName(path).Version;
        return requested.Version is null || (available is not null && available >= requested.Version);
    }

    private static Dictionary<string, string> ReadPlatformAssemblies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
        foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            result[Path.GetFileNameWithoutExtension(path)] = path;
        }

        return result;
    }
}
