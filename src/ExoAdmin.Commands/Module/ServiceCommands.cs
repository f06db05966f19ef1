using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;
using System.Text.RegularExpressions;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Turns the service's EXOModuleFile into commands (§3.2, §17): the psm1 is only parsed (PowerShell's parser), never
/// run; from each exported cmdlet's param block ExoAdmin takes the parameter names, a whitelisted type and the
/// position/pipeline flags, and writes its own function that calls Invoke-ExoCommand on this connection. Cmdlets
/// ExoAdmin implements natively keep their compiled version unless a -Prefix asks for prefixed names.
/// </summary>
internal static class ServiceCommands
{
    private static readonly Regex CmdletName = new(@"^[A-Za-z]+-[A-Za-z0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex ParameterName = new(@"^[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);

    private static readonly Dictionary<Type, string> SafeTypes = new()
    {
        [typeof(string)] = "[string]",
        [typeof(string[])] = "[string[]]",
        [typeof(bool)] = "[bool]",
        [typeof(SwitchParameter)] = "[switch]",
        [typeof(DateTime)] = "[datetime]",
        [typeof(int)] = "[int]",
        [typeof(long)] = "[long]",
        [typeof(System.Collections.Hashtable)] = "[hashtable]",
    };

    private static readonly Lazy<HashSet<string>> NativeCmdlets = new(() => new HashSet<string>(
        typeof(ClassicCmdlet).Assembly.GetTypes()
            .Where(t => typeof(ClassicCmdlet).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().FirstOrDefault())
            .Where(a => a is not null)
            .Select(a => a!.VerbName + "-" + a.NounName),
        StringComparer.OrdinalIgnoreCase));

    /// <summary>The commands a module file becomes: each command's name and the body of its function.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Generate(ExoModuleFile file, string prefix, string connectionId)
    {
        var ast = Parser.ParseInput(file.ModuleText, out _, out var errors);
        if (errors.Length > 0)
        {
            throw Engine.Errors.Failures.Protocol($"The service's module file does not parse: {errors[0].Message}", "EXOModuleFile");
        }

        var functions = ast.FindAll(a => a is FunctionDefinitionAst, false).Cast<FunctionDefinitionAst>()
            .GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var made = new List<KeyValuePair<string, string>>();
        foreach (var name in file.ExportedCmdlets.Where(n => CmdletName.IsMatch(n)))
        {
            if ((prefix.Length == 0 && NativeCmdlets.Value.Contains(name)) || !functions.TryGetValue(name, out var function))
            {
                continue;
            }

            var dash = name.IndexOf('-');
            var commandName = name.Substring(0, dash + 1) + prefix + name.Substring(dash + 1);
            var changes = !name.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
            var script = new StringBuilder();
            script.Append("    [CmdletBinding(SupportsShouldProcess = $").Append(changes ? "true" : "false").Append(")]\n    param(\n");
            var parameters = (function.Body.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>)function.Parameters ?? Array.Empty<ParameterAst>())
                .Where(p => ParameterName.IsMatch(p.Name.VariablePath.UserPath) && !IsCommon(p.Name.VariablePath.UserPath))
                .ToArray();
            for (var i = 0; i < parameters.Length; i++)
            {
                script.Append("        ").Append(ParameterAttribute(parameters[i])).Append(' ')
                      .Append(SafeTypes.TryGetValue(parameters[i].StaticType, out var type) ? type : "[object]")
                      .Append(" $").Append(parameters[i].Name.VariablePath.UserPath).Append(",\n");
            }

            script.Append("        [Parameter()] [string] $ConnectionId = '").Append(connectionId).Append("'\n    )\n    process {\n")
                  .Append("        $sent = @{}; foreach ($key in $PSBoundParameters.Keys) { if ($key -ne 'ConnectionId') { $sent[$key] = $PSBoundParameters[$key] } }\n")
                  .Append("        ExoAdmin\\Invoke-ExoCommand -Name '").Append(name).Append("' -Parameters $sent -ConnectionId $ConnectionId\n    }\n");
            made.Add(new KeyValuePair<string, string>(commandName, script.ToString()));
        }

        return made;
    }

    /// <summary>
    /// Makes a new connection's commands, as global functions, replacing those an earlier connection under the
    /// same prefix made in this runspace (also when the new one offers none).
    /// </summary>
    internal static void Expose(PSCmdlet cmdlet, ExoConnection connection, ExoModuleFile file, SessionManager sessions)
    {
        connection.AllowedCmdlets = new HashSet<string>(file.ExportedCmdlets, StringComparer.OrdinalIgnoreCase);
        var commands = Generate(file, connection.Prefix, connection.ConnectionId);
        var made = Made.GetOrCreateValue(sessions);
        made.TryGetValue(connection.Prefix, out var old);
        cmdlet.WriteVerbose($"The service offers {file.ExportedCmdlets.Count} cmdlets; {commands.Count} become commands: {string.Join(", ", commands.Select(c => c.Key))}.");

        // Function definitions with the global: scope modifier, so the commands land in the global scope
        // whichever module or function called Connect-ExchangeOnline. The text is ExoAdmin's own (Generate).
        var script = new StringBuilder(RemoveFunctionsScript);
        foreach (var command in commands)
        {
            script.Append("function global:").Append(command.Key).Append(" {\n").Append(command.Value).Append("}\n");
        }

        RunInCurrentRunspace(script.ToString(), old);
        made[connection.Prefix] = commands.Select(c => c.Key).ToList();
    }

    /// <summary>Removes the commands a connection made (Disconnect-ExchangeOnline).</summary>
    internal static void Withdraw(ExoConnection connection, SessionManager sessions)
    {
        if (connection.IsEopSession || !Made.TryGetValue(sessions, out var made) || !made.TryGetValue(connection.Prefix, out var names))
        {
            return;
        }

        RunInCurrentRunspace(RemoveFunctionsScript, names);
        made.Remove(connection.Prefix);
    }

    // Removes the named global functions (a name may be defined in more than one scope).
    private const string RemoveFunctionsScript =
        "param([string[]] $Old) foreach ($name in $Old) { for ($i = 0; $i -lt 4 -and (Test-Path -LiteralPath \"Function:\\$name\"); $i++) { Remove-Item -LiteralPath \"Function:\\$name\" -Force -ErrorAction SilentlyContinue } }\n";

    private static void RunInCurrentRunspace(string script, List<string>? old)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript(script).AddArgument(old?.ToArray() ?? Array.Empty<string>());
        shell.Invoke();
        if (shell.Streams.Error.Count > 0)
        {
            throw Engine.Errors.Failures.Protocol($"The service's cmdlets could not be made into commands: {shell.Streams.Error[0]}", "EXOModuleFile");
        }
    }

    /// <summary>The commands made per prefix, per runspace's session manager.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SessionManager, Dictionary<string, List<string>>> Made = new();

    private static string ParameterAttribute(ParameterAst parameter)
    {
        var flags = new List<string>();
        foreach (var attribute in parameter.Attributes.OfType<AttributeAst>().Where(a => a.TypeName.Name.Equals("Parameter", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var argument in attribute.NamedArguments)
            {
                var value = argument.ExpressionOmitted || (argument.Argument is VariableExpressionAst v && v.VariablePath.UserPath.Equals("true", StringComparison.OrdinalIgnoreCase));
                if (argument.ArgumentName.Equals("Position", StringComparison.OrdinalIgnoreCase)
                    && argument.Argument is ConstantExpressionAst { Value: int position })
                {
                    flags.Add("Position = " + position);
                }
                else if (value && argument.ArgumentName is var n
                         && (n.Equals("Mandatory", StringComparison.OrdinalIgnoreCase) || n.Equals("ValueFromPipeline", StringComparison.OrdinalIgnoreCase)
                             || n.Equals("ValueFromPipelineByPropertyName", StringComparison.OrdinalIgnoreCase)))
                {
                    flags.Add(n + " = $true");
                }
            }
        }

        return "[Parameter(" + string.Join(", ", flags) + ")]";
    }

    private static bool IsCommon(string name) =>
        Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name) || name.Equals("ConnectionId", StringComparison.OrdinalIgnoreCase);
}
