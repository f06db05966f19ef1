using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Makes ExoAdmin.Engine loadable before any cmdlet touches it. The engine and its libraries sit
/// in the module's engine/ folder, where nothing else probes. On PowerShell 7 they load into a
/// private AssemblyLoadContext (ExoAdmin.Loader); on Windows PowerShell, which has no load
/// contexts, AssemblyResolve finds them in that folder.
/// </summary>
internal static class EngineResolver
{
    private static readonly object Gate = new();
    private static bool _installed;

    public static string ModuleDirectory => Path.GetDirectoryName(typeof(EngineResolver).Assembly.Location)!;

    public static string EngineDirectory => Path.Combine(ModuleDirectory, "engine");

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            if (IsNetFramework)
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveFromEngineFolder;
            }
            else
            {
                // One reflection call: the loader needs AssemblyLoadContext, which netstandard2.0 lacks.
                var loader = Assembly.LoadFrom(Path.Combine(ModuleDirectory, "ExoAdmin.Loader.dll"));
                loader.GetType("ExoAdmin.Loader.EngineLoader", throwOnError: true)!
                    .GetMethod("Install", BindingFlags.Public | BindingFlags.Static)!
                    .Invoke(null, new object[] { EngineDirectory });
            }

            _installed = true;
        }
    }

    private static bool IsNetFramework =>
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private static Assembly? ResolveFromEngineFolder(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        var path = Path.Combine(EngineDirectory, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
