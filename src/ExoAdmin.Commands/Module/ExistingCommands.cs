using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// The commands that already exist in the session under names a module file wants: loaded ones, and those PowerShell
/// would load on first use (ConvertTo-SecureString lives in a module that is often not loaded yet). A service command
/// never takes such a name.
/// </summary>
internal static class ExistingCommands
{
    private static readonly string[] Types = { "Alias", "Function", "Filter", "Cmdlet" };

    /// <summary>Of these names, the ones a command already has (case-insensitive).</summary>
    public static HashSet<string> Names(IEnumerable<string> wanted)
    {
        var names = new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        // One enumeration of every command, loaded or loadable (module analysis): per-name lookups of names that do not
        // exist are far slower, each searching every module path.
        shell.AddCommand("Get-Command").AddParameter("CommandType", Types).AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
        foreach (var command in shell.Invoke())
        {
            if (command.BaseObject is CommandInfo info && names.Contains(info.Name))
            {
                existing.Add(info.Name);
            }
        }

        return existing;
    }
}
