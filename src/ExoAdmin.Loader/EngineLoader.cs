using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace ExoAdmin.Loader;

/// <summary>
/// Called once by the cmdlet assembly when the module is imported on PowerShell 7.
/// </summary>
public static class EngineLoader
{
    private const string EngineAssemblyName = "ExoAdmin.Engine";
    private static readonly object Gate = new();
    private static EngineLoadContext? _context;

    /// <summary>
    /// Hooks the default context so that a request for ExoAdmin.Engine, and only that name, is
    /// answered from the private context. Idempotent: several runspaces import the module.
    /// </summary>
    public static void Install(string engineDirectory)
    {
        lock (Gate)
        {
            if (_context is not null)
            {
                return;
            }

            _context = new EngineLoadContext(Path.GetFullPath(engineDirectory));
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        return string.Equals(name.Name, EngineAssemblyName, StringComparison.OrdinalIgnoreCase)
            ? _context!.LoadFromAssemblyName(name)
            : null;
    }
}
