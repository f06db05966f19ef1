using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// What the function of a service cmdlet is made of. Its script is ExoAdmin's own and shared: [CmdletBinding()] with the
/// service's default parameter set, ShouldProcess support and ConfirmImpact, a dynamicparam block that asks the command for
/// its parameters, and a body that hands each item to the runner. The parameters (the service's sets, positions,
/// mandatory flags, aliases and pipeline binding; types from <see cref="ParameterTypes"/>) are made from the module file's
/// declaration the first time PowerShell asks for them (a call, Get-Command, completion), so connecting does not pay for
/// the hundreds of param blocks an organization administrator's file holds. Nothing of the service's text is ever run.
/// </summary>
internal static class ServiceFunctionBuilder
{
    /// <summary>Exchange's parameter names; anything else in a module file is left out.</summary>
    private static readonly Regex SafeName = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The body every function shares: its parameters from the command, then a steppable pipeline over the runner fed each
    /// item's $PSBoundParameters; the clean block (PowerShell 7.3+) disposes it when the pipeline stops early.
    /// </summary>
    private const string Body = """
        param()
        dynamicparam { $script:ExoAdminServiceCommands[$MyInvocation.MyCommand.Name].NewParameters() }
        begin {
            $__exoCommand = $script:ExoAdminServiceCommands[$MyInvocation.MyCommand.Name]
            $__exoRunner = { & $script:ExoAdminServiceRunner -ServiceCommand $__exoCommand -Caller $PSCmdlet }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $__exoRunner.Begin($true)
        }
        process { $__exoRunner.Process($PSBoundParameters) }
        end { $__exoRunner.End() }
        """;

    private const string CleanBlock = "\nclean { if ($null -ne $__exoRunner) { $__exoRunner.Dispose() } }\n";

    private static readonly bool HasCleanBlocks = typeof(PSObject).Assembly.GetName().Version >= new Version(7, 3);

    /// <summary>One script per distinct [CmdletBinding()]: functions share it (each binds its own copy to the module).</summary>
    private static readonly ConcurrentDictionary<string, ScriptBlock> Scripts = new(StringComparer.Ordinal);

    /// <summary>
    /// The function's script block (unbound: the module binds it). With <paramref name="helpPath"/> (-LoadCmdletHelp) its
    /// help comes from that MAML file; scripts are still shared, per binding and help file.
    /// </summary>
    public static ScriptBlock Build(ServiceCmdlet cmdlet, string? helpPath = null)
    {
        var header = (helpPath is null ? string.Empty : "# .ExternalHelp " + helpPath + "\n") + CmdletBinding(cmdlet);
        return Scripts.GetOrAdd(header, text => ScriptBlock.Create(text + "\n" + Body + (HasCleanBlocks ? CleanBlock : string.Empty)));
    }

    /// <summary>Whether a change of this cmdlet goes through ShouldProcess: the service's declaration, else ExoAdmin's rule.</summary>
    public static bool SupportsShouldProcess(ServiceCmdlet cmdlet) =>
        cmdlet.Binding.SupportsShouldProcess ?? !CmdletEffect.IsReadOnly(cmdlet.Name);

    public static ConfirmImpact ImpactOf(ServiceCmdlet cmdlet) =>
        Enum.TryParse<ConfirmImpact>(cmdlet.Binding.ConfirmImpact, ignoreCase: true, out var impact) ? impact : ConfirmImpact.Medium;

    /// <summary>
    /// The set PowerShell binds when the parameters given fit several: the service's declared default, else "Identity",
    /// else the set with the most parameters (a function without one would refuse a call that names no set's own parameter).
    /// </summary>
    public static string? DefaultSet(ServiceCmdlet cmdlet)
    {
        if (cmdlet.Binding.DefaultParameterSetName is { Length: > 0 } declared)
        {
            return declared;
        }

        if (!cmdlet.MayNameParameterSets)
        {
            return null; // one set at most, known without reading the parameters (most cmdlets: connect stays lazy)
        }

        var sets = cmdlet.Parameters.SelectMany(p => p.Bindings).Select(b => b.ParameterSetName).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return sets.Length <= 1 ? null
            : sets.FirstOrDefault(s => s.Equals("Identity", StringComparison.OrdinalIgnoreCase))
              ?? sets.OrderByDescending(s => cmdlet.Parameters.Count(p => p.Bindings.Any(b => string.Equals(b.ParameterSetName, s, StringComparison.OrdinalIgnoreCase)))).First();
    }

    /// <summary>The parameters PowerShell binds for one call: new objects each time (they hold the call's values).</summary>
    public static RuntimeDefinedParameterDictionary NewParameters(IReadOnlyList<ParameterShape> shapes)
    {
        var parameters = new RuntimeDefinedParameterDictionary();
        foreach (var shape in shapes)
        {
            parameters.Add(shape.Name, new RuntimeDefinedParameter(shape.Name, shape.Type, new Collection<Attribute>(shape.Attributes)));
        }

        return parameters;
    }

    /// <summary>The shape of each parameter of a declaration, made once per command.</summary>
    public static IReadOnlyList<ParameterShape> Shapes(ServiceCmdlet cmdlet) =>
        cmdlet.Parameters
            .Where(p => SafeName.IsMatch(p.Name) && !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name))
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(p => Shape(cmdlet.Name, p))
            .ToArray();

    private static ParameterShape Shape(string cmdletName, ServiceParameter parameter)
    {
        var attributes = new List<Attribute>();
        foreach (var binding in parameter.Bindings)
        {
            var attribute = new ParameterAttribute
            {
                Mandatory = binding.Mandatory,
                ValueFromPipeline = binding.ValueFromPipeline,
                ValueFromPipelineByPropertyName = binding.ValueFromPipelineByPropertyName,
            };
            if (binding.ParameterSetName is { } set)
            {
                attribute.ParameterSetName = set;
            }

            if (binding.Position is { } position)
            {
                attribute.Position = position;
            }

            attributes.Add(attribute);
        }

        var aliases = parameter.Aliases.Where(a => SafeName.IsMatch(a)).ToArray();
        if (aliases.Length > 0)
        {
            attributes.Add(new AliasAttribute(aliases));
        }

        // The module file's type when it names one, else the catalogue's (the real file declares most of them [System.Object]).
        if (ParameterTypes.IsRecipient(parameter.TypeName) || CatalogueCmdletNames.RecipientParameters.Contains(cmdletName + " -" + parameter.Name))
        {
            attributes.Add(new ArgumentCompleterAttribute(typeof(Completion.MailboxIdentityCompleter)));
        }

        return new ParameterShape(parameter.Name, TypeOf(parameter.Kind), attributes.ToArray());
    }

    private static string CmdletBinding(ServiceCmdlet cmdlet)
    {
        var arguments = new List<string>();
        if (DefaultSet(cmdlet) is { } set)
        {
            arguments.Add("DefaultParameterSetName = '" + set.Replace("'", "''") + "'");
        }

        if (SupportsShouldProcess(cmdlet))
        {
            arguments.Add("SupportsShouldProcess = $true");
            arguments.Add("ConfirmImpact = '" + ImpactOf(cmdlet).ToString() + "'");
        }

        if (cmdlet.Binding.PositionalBinding is false)
        {
            arguments.Add("PositionalBinding = $false");
        }

        return "[CmdletBinding(" + string.Join(", ", arguments) + ")]";
    }

    /// <summary>The .NET type of each kind ExoAdmin declares service parameters as.</summary>
    internal static Type TypeOf(ParameterKind kind) => kind switch
    {
        ParameterKind.ObjectArray => typeof(object[]),
        ParameterKind.String => typeof(string),
        ParameterKind.StringArray => typeof(string[]),
        ParameterKind.Boolean => typeof(bool),
        ParameterKind.Switch => typeof(SwitchParameter),
        ParameterKind.Int32 => typeof(int),
        ParameterKind.Int64 => typeof(long),
        ParameterKind.UInt32 => typeof(uint),
        ParameterKind.Double => typeof(double),
        ParameterKind.DateTime => typeof(DateTime),
        ParameterKind.Guid => typeof(Guid),
        ParameterKind.TimeSpan => typeof(TimeSpan),
        ParameterKind.SecureString => typeof(System.Security.SecureString),
        ParameterKind.Credential => typeof(PSCredential),
        ParameterKind.Hashtable => typeof(System.Collections.Hashtable),
        ParameterKind.HashtableArray => typeof(System.Collections.Hashtable[]),
        ParameterKind.ByteArray => typeof(byte[]),
        ParameterKind.ByteArrayArray => typeof(byte[][]),
        _ => typeof(object),
    };
}

/// <summary>One parameter as PowerShell will bind it: its name, type and attributes (shared by every call).</summary>
internal sealed class ParameterShape
{
    public ParameterShape(string name, Type type, Attribute[] attributes)
    {
        Name = name;
        Type = type;
        Attributes = attributes;
    }

    public string Name { get; }

    public Type Type { get; }

    public Attribute[] Attributes { get; }
}
