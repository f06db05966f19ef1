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

    /// <summary>The values a parameter's ValidateSet allows, or null when it has none.</summary>
    public static IList<string>? ValidValues(string commandName, string parameterName) =>
        Parameter(commandName, parameterName)?.GetCustomAttributes(typeof(ValidateSetAttribute), inherit: true).OfType<ValidateSetAttribute>().FirstOrDefault()?.ValidValues;

    private static PropertyInfo? Parameter(string commandName, string parameterName) =>
        Cmdlets.Value.TryGetValue(commandName, out var type)
            ? type.GetProperty(parameterName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
            : null;

    /// <summary>(command names, parameter, completer) for every completable parameter of every cmdlet.</summary>
    internal static IEnumerable<(string[] Commands, string Parameter, Type Completer)> Plan()
    {
        // One pass over the cmdlets' properties (import time is spent here): which completable parameters each declares.
        var byParameter = ByParameter.Keys.ToDictionary(k => k, _ => new List<string>(), StringComparer.OrdinalIgnoreCase);
        foreach (var cmdlet in Cmdlets.Value)
        {
            foreach (var property in cmdlet.Value.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (byParameter.TryGetValue(property.Name, out var commands) && property.IsDefined(typeof(ParameterAttribute), inherit: true)
                    && (!property.Name.Equals("Identity", StringComparison.OrdinalIgnoreCase) || IsMailboxCommand(cmdlet.Key)))
                {
                    commands.Add(cmdlet.Key);
                }
            }
        }

        foreach (var parameter in ByParameter)
        {
            var commands = byParameter[parameter.Key];
            if (commands.Count > 0)
            {
                commands.Sort(StringComparer.OrdinalIgnoreCase);
                yield return (commands.ToArray(), parameter.Key, parameter.Value);
            }
        }
    }

    /// <summary>The completer for a parameter name; what the one registered script block calls.</summary>
    internal static IArgumentCompleter? For(string parameterName) =>
        ByParameter.TryGetValue(parameterName, out var type) ? (IArgumentCompleter)Activator.CreateInstance(type)! : null;

    /// <summary>Registers the plan in the importing runspace with Register-ArgumentCompleter; never fails the import.</summary>
    public static void Register()
    {
        if (System.Management.Automation.Runspaces.Runspace.DefaultRunspace is null)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var plan = Plan().ToList();
        Module.StartupTrace.Step("completion plan", clock);
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        // One script block for every parameter (parsing one is what costs): it asks ExoCompleter for the parameter's completer.
        var script = ScriptBlock.Create(
            "param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters) " +
            $"[{typeof(ExoCompleter).FullName}]::Complete($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)");
        foreach (var (commands, parameter, _) in plan)
        {
            shell.AddCommand("Register-ArgumentCompleter")
                .AddParameter("CommandName", commands)
                .AddParameter("ParameterName", parameter)
                .AddParameter("ScriptBlock", script)
                .AddStatement();
        }

        try
        {
            shell.Invoke();
            Module.StartupTrace.Step("Register-ArgumentCompleter", clock);
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            // A host that refuses nested pipelines or script blocks (constrained language) loses
            // completion, never the module.
        }
    }
}
