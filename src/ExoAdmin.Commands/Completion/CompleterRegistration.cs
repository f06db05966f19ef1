using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Completion;

/// <summary>
/// Registers the completers by parameter name for every cmdlet of this assembly at import, so a new
/// cmdlet with -ConnectionId, -Prefix/-ModulePrefix, -PropertySets, -Properties, -RecipientTypeDetails
/// or (for mailbox nouns) -Identity completes without any code of its own.
/// </summary>
internal static class CompleterRegistration
{
    private static readonly Dictionary<string, Type> ByParameter = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ConnectionId"] = typeof(ConnectionIdCompleter),
        ["ModulePrefix"] = typeof(PrefixCompleter),
        ["Prefix"] = typeof(PrefixCompleter),
        ["PropertySets"] = typeof(PropertySetCompleter),
        ["Properties"] = typeof(PropertyNameCompleter),
        ["RecipientTypeDetails"] = typeof(RecipientTypeDetailsCompleter),
        ["Identity"] = typeof(MailboxIdentityCompleter),
    };

    private static readonly Lazy<Dictionary<string, Type>> Cmdlets = new(() =>
        typeof(CompleterRegistration).Assembly.GetTypes()
            .Where(t => typeof(ExoCmdlet).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Type: t, Attribute: t.GetCustomAttribute<CmdletAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToDictionary(x => $"{x.Attribute!.VerbName}-{x.Attribute.NounName}", x => x.Type, StringComparer.OrdinalIgnoreCase));

    public static bool IsMailboxCommand(string commandName) =>
        commandName.Substring(commandName.IndexOf('-') + 1).IndexOf("Mailbox", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>The schema entity a cmdlet returns, from [OutputType("ExoAdmin.Mailbox")]; null when it names none.</summary>
    public static string? OutputEntity(string commandName)
    {
        if (!Cmdlets.Value.TryGetValue(commandName, out var type))
        {
            return null;
        }

        var name = type.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Name).FirstOrDefault(n => n.StartsWith("ExoAdmin.", StringComparison.Ordinal));
        return name?.Substring("ExoAdmin.".Length);
    }

    /// <summary>The type one of our cmdlets' parameters takes; null when the command or parameter is not ours.</summary>
    public static Type? ParameterType(string commandName, string parameterName) =>
        Cmdlets.Value.TryGetValue(commandName, out var type)
            ? type.GetProperty(parameterName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType
            : null;

    /// <summary>(command names, parameter, completer) for every completable parameter of every cmdlet.</summary>
    internal static IEnumerable<(string[] Commands, string Parameter, Type Completer)> Plan()
    {
        foreach (var parameter in ByParameter)
        {
            var commands = Cmdlets.Value
                .Where(c => HasParameter(c.Value, parameter.Key))
                .Where(c => !parameter.Key.Equals("Identity", StringComparison.OrdinalIgnoreCase) || IsMailboxCommand(c.Key))
                .Select(c => c.Key)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .ToArray();
            if (commands.Length > 0)
            {
                yield return (commands, parameter.Key, parameter.Value);
            }
        }
    }

    /// <summary>Registers the plan in the importing runspace with Register-ArgumentCompleter; never fails the import.</summary>
    public static void Register()
    {
        if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace is null)
        {
            return;
        }

        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        foreach (var (commands, parameter, completer) in Plan())
        {
            var script = ScriptBlock.Create(
                "param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters) " +
                $"[{completer.FullName}]::new().CompleteArgument($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)");
            shell.AddCommand("Register-ArgumentCompleter")
                .AddParameter("CommandName", commands)
                .AddParameter("ParameterName", parameter)
                .AddParameter("ScriptBlock", script)
                .AddStatement();
        }

        try
        {
            shell.Invoke();
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            // A host that refuses nested pipelines or script blocks (constrained language) loses
            // completion, never the module.
        }
    }

    private static bool HasParameter(Type cmdlet, string name) =>
        cmdlet.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && p.GetCustomAttributes<ParameterAttribute>().Any());
}
