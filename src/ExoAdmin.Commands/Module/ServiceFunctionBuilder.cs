using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Text.RegularExpressions;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Builds the function of one service cmdlet directly as a syntax tree: the service's param block as the module file
/// declares it (sets, positions, mandatory flags, aliases, pipeline binding; types from <see cref="ParameterTypes"/>), and
/// a body of ExoAdmin's own that hands each item to the runner. Nothing of the service's text is run or parsed again:
/// building the trees costs milliseconds where parsing several hundred param blocks costs most of a second.
/// </summary>
internal static class ServiceFunctionBuilder
{
    /// <summary>Exchange's parameter names; anything else in a module file is left out.</summary>
    private static readonly Regex SafeName = new(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    private static readonly IScriptExtent Nowhere = new ScriptExtent(new ScriptPosition("ExoAdmin service command", 1, 1, string.Empty), new ScriptPosition("ExoAdmin service command", 1, 1, string.Empty));

    /// <summary>
    /// The body every function shares, parsed once: a steppable pipeline over the runner, fed each item's
    /// $PSBoundParameters; the clean block (PowerShell 7.3+) disposes it when the pipeline stops early.
    /// </summary>
    private const string Body = """
        begin {
            $__exoCommand = $script:ExoAdminServiceCommands[$MyInvocation.MyCommand.Name]
            $__exoRunner = { & $script:ExoAdminServiceRunner -ServiceCommand $__exoCommand -Caller $PSCmdlet }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $__exoRunner.Begin($true)
        }
        process { $__exoRunner.Process($PSBoundParameters) }
        end { $__exoRunner.End() }
        """;

    private const string CleanBlock = "\nclean { if ($null -ne $__exoRunner) { $__exoRunner.Dispose() } }\n";

    private static readonly Lazy<Template> Shared = new(Template.Parse);

    /// <summary>The function's script block (unbound: the module binds it).</summary>
    public static ScriptBlock Build(ServiceCmdlet cmdlet)
    {
        var template = Shared.Value;
        var parameters = cmdlet.Parameters
            .Where(p => SafeName.IsMatch(p.Name) && !Cmdlet.CommonParameters.Contains(p.Name) && !Cmdlet.OptionalCommonParameters.Contains(p.Name))
            .GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(Parameter)
            .ToArray();
        var paramBlock = new ParamBlockAst(Nowhere, new[] { CmdletBinding(cmdlet) }, parameters);
        return template.NewScriptBlock(paramBlock).GetScriptBlock();
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

        var sets = cmdlet.Parameters.SelectMany(p => p.Bindings).Select(b => b.ParameterSetName).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return sets.Length <= 1 ? null
            : sets.FirstOrDefault(s => s.Equals("Identity", StringComparison.OrdinalIgnoreCase))
              ?? sets.OrderByDescending(s => cmdlet.Parameters.Count(p => p.Bindings.Any(b => string.Equals(b.ParameterSetName, s, StringComparison.OrdinalIgnoreCase)))).First();
    }

    private static AttributeAst CmdletBinding(ServiceCmdlet cmdlet)
    {
        var arguments = new List<NamedAttributeArgumentAst>();
        if (DefaultSet(cmdlet) is { } set)
        {
            arguments.Add(Named("DefaultParameterSetName", Text(set)));
        }

        if (SupportsShouldProcess(cmdlet))
        {
            arguments.Add(Named("SupportsShouldProcess", True()));
            arguments.Add(Named("ConfirmImpact", Text(ImpactOf(cmdlet).ToString())));
        }

        if (cmdlet.Binding.PositionalBinding is false)
        {
            arguments.Add(Named("PositionalBinding", new VariableExpressionAst(Nowhere, "false", splatted: false)));
        }

        return new AttributeAst(Nowhere, new TypeName(Nowhere, "CmdletBinding"), Array.Empty<ExpressionAst>(), arguments);
    }

    private static ParameterAst Parameter(ServiceParameter parameter)
    {
        var attributes = new List<AttributeBaseAst>();
        foreach (var binding in parameter.Bindings)
        {
            var arguments = new List<NamedAttributeArgumentAst>();
            if (binding.ParameterSetName is { } set)
            {
                arguments.Add(Named("ParameterSetName", Text(set)));
            }

            if (binding.Mandatory)
            {
                arguments.Add(Named("Mandatory", True()));
            }

            if (binding.Position is { } position)
            {
                arguments.Add(Named("Position", new ConstantExpressionAst(Nowhere, position)));
            }

            if (binding.ValueFromPipeline)
            {
                arguments.Add(Named("ValueFromPipeline", True()));
            }

            if (binding.ValueFromPipelineByPropertyName)
            {
                arguments.Add(Named("ValueFromPipelineByPropertyName", True()));
            }

            attributes.Add(new AttributeAst(Nowhere, new TypeName(Nowhere, "Parameter"), Array.Empty<ExpressionAst>(), arguments));
        }

        var aliases = parameter.Aliases.Where(a => SafeName.IsMatch(a)).ToArray();
        if (aliases.Length > 0)
        {
            attributes.Add(new AttributeAst(Nowhere, new TypeName(Nowhere, "Alias"), aliases.Select(a => (ExpressionAst)Text(a)).ToArray(), Array.Empty<NamedAttributeArgumentAst>()));
        }

        attributes.Add(new TypeConstraintAst(Nowhere, new ReflectionTypeName(TypeOf(parameter.Kind))));
        return new ParameterAst(Nowhere, new VariableExpressionAst(Nowhere, parameter.Name, splatted: false), attributes, defaultValue: null);
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

    private static NamedAttributeArgumentAst Named(string name, ExpressionAst value) => new(Nowhere, name, value, expressionOmitted: false);

    private static StringConstantExpressionAst Text(string value) => new(Nowhere, value, StringConstantType.SingleQuoted);

    private static VariableExpressionAst True() => new(Nowhere, "true", splatted: false);

    /// <summary>The shared body's blocks, and how to make a script block of them with a given param block.</summary>
    private sealed class Template
    {
        private readonly ScriptBlockAst _body;
        private readonly ConstructorInfo? _withClean;

        private Template(ScriptBlockAst body, ConstructorInfo? withClean)
        {
            _body = body;
            _withClean = withClean;
        }

        public static Template Parse()
        {
            // PowerShell 7.3+ has clean blocks (and a ScriptBlockAst constructor taking one); Windows PowerShell has neither.
            var withClean = typeof(ScriptBlockAst).GetConstructors().FirstOrDefault(c => c.GetParameters().Count(p => p.ParameterType == typeof(NamedBlockAst)) == 5);
            var ast = Parser.ParseInput(withClean is null ? Body : Body + CleanBlock, out _, out var errors);
            if (errors.Length > 0)
            {
                throw new InvalidOperationException($"The service command body does not parse: {errors[0].Message}");
            }

            return new Template(ast, withClean);
        }

        public ScriptBlockAst NewScriptBlock(ParamBlockAst paramBlock)
        {
            NamedBlockAst? Copy(NamedBlockAst? block) => (NamedBlockAst?)block?.Copy();
            if (_withClean is null)
            {
                return new ScriptBlockAst(Nowhere, paramBlock, Copy(_body.BeginBlock), Copy(_body.ProcessBlock), Copy(_body.EndBlock), dynamicParamBlock: null);
            }

            // (extent, usingStatements, attributes, paramBlock, begin, process, end, clean, dynamicparam)
            var clean = (NamedBlockAst?)typeof(ScriptBlockAst).GetProperty("CleanBlock")!.GetValue(_body);
            return (ScriptBlockAst)_withClean.Invoke(new object?[]
            {
                Nowhere, Array.Empty<UsingStatementAst>(), Array.Empty<AttributeAst>(), paramBlock,
                Copy(_body.BeginBlock), Copy(_body.ProcessBlock), Copy(_body.EndBlock), Copy(clean), null,
            });
        }
    }
}
