using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// The commands that already exist in the session under names a module file wants. A service command never takes such a
/// name: ExoAdmin's compiled cmdlets keep theirs, and a file exporting Get-Credential or ConvertTo-SecureString shadows
/// nothing, even where PowerShell has not loaded that module yet.
/// </summary>
/// <remarks>
/// Exchange's own cmdlet names (the catalogue's) are only looked up among the commands already loaded: no module PowerShell
/// would load on first use has them, and looking up several hundred names that do not exist costs seconds (each miss
/// searches every module path). A name outside the catalogue (a cmdlet newer than it, or a file that exports something it
/// should not) is looked up everywhere, loaded or loadable.
/// </remarks>
internal static class ExistingCommands
{
    private static readonly string[] Types = { "Alias", "Function", "Filter", "Cmdlet" };

    /// <summary>Of these names, the ones a command already has (case-insensitive).</summary>
    public static HashSet<string> Names(IEnumerable<string> wanted, ISet<string> exchangeNames)
    {
        var names = new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand("Get-Command").AddParameter("ListImported").AddParameter("CommandType", Types)
            .AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
        var unknown = names.Where(n => !exchangeNames.Contains(n)).ToArray();
        if (unknown.Length > 0)
        {
            shell.AddStatement().AddCommand("Get-Command").AddParameter("Name", unknown).AddParameter("CommandType", Types)
                .AddParameter("ErrorAction", ActionPreference.SilentlyContinue);
        }

        foreach (var command in shell.Invoke())
        {
            if (command?.BaseObject is CommandInfo info && names.Contains(info.Name))
            {
                existing.Add(info.Name);
            }
        }

        return existing;
    }
}
