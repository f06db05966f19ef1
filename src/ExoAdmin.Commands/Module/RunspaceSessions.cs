using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// One SessionManager per runspace. The module's assembly is shared by every runspace of the
/// process (ForEach-Object -Parallel, runspace pools), but connections must not be: a global
/// "current connection" is how the original mixes tenants.
/// </summary>
internal static class RunspaceSessions
{
    private static readonly ConditionalWeakTable<Runspace, SessionManager> ByRunspace = new();

    public static SessionManager Current
    {
        get
        {
            // DefaultRunspace is per thread: only the pipeline thread knows which runspace it serves.
            var runspace = Runspace.DefaultRunspace
                ?? throw new InvalidOperationException("ExoAdmin sessions can only be reached from a PowerShell pipeline thread.");
            return ByRunspace.GetValue(runspace, _ => new SessionManager());
        }
    }

    /// <summary>Disconnects and forgets the current runspace's connections (module removal).</summary>
    public static void Reset()
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace is not null && ByRunspace.TryGetValue(runspace, out var sessions))
        {
            sessions.Clear();
            ByRunspace.Remove(runspace);
        }
    }
}
