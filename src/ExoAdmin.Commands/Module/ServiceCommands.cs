using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Makes the cmdlets of a connection's module file into commands (§3.2, §17) in a module ExoAdmin owns: ExoAdmin.Exchange
/// (ExoAdmin.Compliance for Connect-IPPSSession), with ".&lt;Prefix&gt;" under -Prefix. It is listed by Get-Module and
/// Get-Command -Module, Remove-Module takes its commands away, and connecting again under the same prefix or
/// Disconnect-ExchangeOnline replaces or removes it. A command is never made where one of that name already exists
/// outside this module: ExoAdmin's compiled cmdlets keep their names, and a module file exporting Get-Credential or
/// ConvertTo-SecureString shadows nothing.
/// </summary>
internal static class ServiceCommands
{
    private static readonly Regex CmdletName = new(@"^[A-Za-z]+-[A-Za-z0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>The modules made, per runspace's session manager, by connection kind and prefix.</summary>
    private static readonly ConditionalWeakTable<SessionManager, Dictionary<string, PSModuleInfo>> Made = new();

    /// <summary>
    /// Runs in the new module's scope: the functions, bound to the module, and what their bodies look up. No
    /// Export-ModuleMember: a dynamic module exports all its functions (and no variables) by default, and naming several
    /// hundred functions matches each name as a pattern against every function, which costs more than making them.
    /// </summary>
    private static readonly Lazy<ScriptBlock> ModuleScript = new(() => ScriptBlock.Create("""
        param($Commands, $Runner, [string[]] $Names, [scriptblock[]] $Scripts)
        $script:ExoAdminServiceCommands = $Commands
        $script:ExoAdminServiceRunner = $Runner
        $module = $ExecutionContext.SessionState.Module
        for ($i = 0; $i -lt $Names.Length; $i++) {
            $null = $ExecutionContext.InvokeProvider.Item.Set("function:\$($Names[$i])", $module.NewBoundScriptBlock($Scripts[$i]))
        }
        """));

    private const string ImportScript =
        "param($Name, $Script, $Arguments) New-Module -Name $Name -ScriptBlock $Script -ArgumentList $Arguments | Import-Module -Global -PassThru -DisableNameChecking";

    private static readonly CmdletInfo Runner = new("Invoke-ExoServiceCommand", typeof(ServiceCommandRunner));

    /// <summary>The name a service cmdlet gets under a prefix: the prefix goes on the noun (Get-ContosoMailbox).</summary>
    internal static string CommandNameOf(string cmdletName, string prefix)
    {
        var dash = cmdletName.IndexOf('-');
        return cmdletName.Substring(0, dash + 1) + prefix + cmdletName.Substring(dash + 1);
    }

    /// <summary>The module of a connection's commands.</summary>
    internal static string ModuleNameOf(ExoConnection connection) =>
        (connection.IsEopSession ? "ExoAdmin.Compliance" : "ExoAdmin.Exchange") + (connection.Prefix.Length > 0 ? "." + connection.Prefix : string.Empty);

    /// <summary>
    /// Which declared cmdlets become which commands: each valid name, prefixed, unless a command of that name exists
    /// (<paramref name="exists"/>) outside this connection's own module.
    /// </summary>
    internal static IReadOnlyList<KeyValuePair<string, ServiceCmdlet>> Plan(ServiceModule module, string prefix, Func<string, bool> exists, out IReadOnlyList<string> skipped)
    {
        var made = new List<KeyValuePair<string, ServiceCmdlet>>();
        var kept = new List<string>();
        foreach (var cmdlet in module.Cmdlets.Where(c => CmdletName.IsMatch(c.Name)))
        {
            var name = CommandNameOf(cmdlet.Name, prefix);
            if (exists(name))
            {
                kept.Add(name);
            }
            else
            {
                made.Add(new KeyValuePair<string, ServiceCmdlet>(name, cmdlet));
            }
        }

        skipped = kept;
        return made;
    }

    /// <summary>Makes a new connection's commands, replacing those an earlier connection of the same kind and prefix made in this runspace.</summary>
    /// <param name="helpFiles">The service's help files (-LoadCmdletHelp), which the commands' help then comes from; none otherwise.</param>
    internal static void Expose(PSCmdlet cmdlet, ExoConnection connection, SessionManager sessions, IReadOnlyList<Engine.Operations.ExoHelpFile>? helpFiles = null)
    {
        if (connection.Module is not { } module)
        {
            return;
        }

        var key = Key(connection);
        var made = Made.GetOrCreateValue(sessions);
        if (made.TryGetValue(key, out var old))
        {
            Remove(old);
            made.Remove(key);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Exchange's own names, prefixed, are still only Exchange's: a prefix does not make them someone else's.
        var exchangeNames = new HashSet<string>(CatalogueCmdletNames.All.Select(n => CommandNameOf(n, connection.Prefix)), StringComparer.OrdinalIgnoreCase);
        var existing = ExistingCommands.Names(module.Cmdlets.Select(c => CommandNameOf(c.Name, connection.Prefix)), exchangeNames);
        var plan = Plan(module, connection.Prefix, existing.Contains, out var skipped);
        var lookup = clock.ElapsedMilliseconds;
        var help = helpFiles is { Count: > 0 } ? ServiceHelp.Write(connection, helpFiles, plan) : null;
        var commands = new Hashtable(StringComparer.OrdinalIgnoreCase);
        var names = new string[plan.Count];
        var scripts = new ScriptBlock[plan.Count];
        for (var i = 0; i < plan.Count; i++)
        {
            commands[plan[i].Key] = new ServiceCommand(plan[i].Value, plan[i].Key, connection.ConnectionId, connection.IsEopSession);
            names[i] = plan[i].Key;
            var helpPath = help is not null && plan[i].Value.HelpFile is { } file && help.TryGetValue(file, out var path) ? path : null;
            scripts[i] = ServiceFunctionBuilder.Build(plan[i].Value, helpPath);
        }

        var built = clock.ElapsedMilliseconds;
        var moduleName = ModuleNameOf(connection);
        using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
        {
            // In a scope of its own: New-Module also imports into the caller's scope, and that copy must not outlive this call.
            shell.AddScript(ImportScript, useLocalScope: true)
                .AddArgument(moduleName).AddArgument(ModuleScript.Value).AddArgument(new object[] { commands, Runner, names, scripts });
            var result = shell.Invoke();
            if (shell.Streams.Error.Count > 0 || result.Count == 0 || result[0].BaseObject is not PSModuleInfo imported)
            {
                throw Engine.Errors.Failures.Protocol($"The service's cmdlets could not be made into commands: {(shell.Streams.Error.Count > 0 ? shell.Streams.Error[0].ToString() : "no module was made")}", "EXOModuleFile");
            }

            made[key] = imported;
        }

        cmdlet.WriteVerbose($"The service offers {module.Exported.Count} cmdlets; {plan.Count} became commands in module {moduleName}"
            + (skipped.Count > 0 ? $"; {skipped.Count} kept the command that already has the name ({string.Join(", ", skipped.Take(20))}{(skipped.Count > 20 ? ", …" : string.Empty)})" : string.Empty) + ".");
        cmdlet.WriteDebug($"Connect: module file read in {module.ReadTime.TotalMilliseconds:0} ms{(module.UsedFallbackReader ? " (by PowerShell's parser)" : string.Empty)}, existing commands looked up in {lookup} ms, {plan.Count} functions made in {built - lookup} ms, module made in {clock.ElapsedMilliseconds - built} ms.");
    }

    /// <summary>Removes the commands a connection made (Disconnect-ExchangeOnline).</summary>
    internal static void Withdraw(ExoConnection connection, SessionManager sessions)
    {
        var key = Key(connection);
        if (Made.TryGetValue(sessions, out var made) && made.TryGetValue(key, out var module))
        {
            Remove(module);
            made.Remove(key);
        }
    }

    /// <summary>The connection whose module made this command (Get-ContosoMailboxPermission: Contoso's), or null for any other command.</summary>
    internal static ExoConnection? ConnectionOf(string commandName, SessionManager sessions)
    {
        if (!Made.TryGetValue(sessions, out var made))
        {
            return null;
        }

        var key = made.FirstOrDefault(m => m.Value.ExportedFunctions.ContainsKey(commandName)).Key;
        return key is null ? null : sessions.Connections.FirstOrDefault(c => Key(c) == key);
    }

    private static string Key(ExoConnection connection) => (connection.IsEopSession ? "ipps:" : "exo:") + connection.Prefix;

    /// <summary>
    /// Removes a module and its functions. Remove-Module alone is not enough when Connect- was called from inside another
    /// module (a script's helper module, Pester): it clears only that module's scopes, and the functions imported into the
    /// global scope would stay. So each exported function still found by name, and still this module's, is removed too.
    /// </summary>
    private static void Remove(PSModuleInfo module)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript(RemoveScript, useLocalScope: true).AddArgument(module).AddArgument(module.ExportedFunctions.Keys.ToArray());
        shell.Invoke();
    }

    // The provider directly, not Get-Item/Remove-Item: those would load Microsoft.PowerShell.Management on first use, and
    // module auto-loading writes PowerShell's module analysis cache to disk.
    private const string RemoveScript = """
        param($Module, [string[]] $Names)
        Remove-Module -ModuleInfo $Module -Force -ErrorAction SilentlyContinue
        $items = $ExecutionContext.InvokeProvider.Item
        foreach ($name in $Names) {
            $path = "function:\$name"
            for ($i = 0; $i -lt 4 -and $items.Exists($path); $i++) {
                if ($items.Get($path)[0].Module -ne $Module) { break }
                $items.Remove($path, $false)
            }
        }
        """;
}
