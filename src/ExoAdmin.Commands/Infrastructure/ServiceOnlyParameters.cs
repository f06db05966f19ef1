using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;
using System.Runtime.CompilerServices;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// The parameters a connection's module file gives a cmdlet that ExoAdmin compiled without them. The catalogue the
/// compiled cmdlets are generated from is Microsoft's public reference, which lags the service: a parameter Exchange adds
/// this month is in every caller's module file before it is in the reference. A compiled cmdlet must never be narrower
/// than the service, so it takes such a parameter as a dynamic parameter, shaped as the module file declares it (type,
/// sets, position, aliases, pipeline binding: the same shapes as the generated functions'), and sends it as given.
/// </summary>
/// <remarks>
/// Nothing the compiled cmdlet declares is shadowed: a declared parameter keeps its compiled shape (its typed values,
/// validation, completion), a service alias that would collide with a compiled name or alias is dropped, and a position
/// a compiled parameter already holds is not given twice (PowerShell could then bind neither). A parameter in a set the
/// compiled cmdlet does not have (a set the service added with it) goes in every set, optional: in a set of its own it
/// could never be given with the compiled -Identity, and the service still refuses a combination it does not take.
/// </remarks>
internal static class ServiceOnlyParameters
{
    /// <summary>Per declaration (one per connection's module file and cmdlet): the shapes the compiled cmdlet lacks.</summary>
    private static readonly ConditionalWeakTable<ServiceCmdlet, IReadOnlyList<ParameterShape>> Shapes = new();

    /// <summary>Names, aliases and positions a compiled cmdlet's own parameters hold, per cmdlet type.</summary>
    private static readonly ConditionalWeakTable<Type, CompiledParameters> Compiled = new();

    /// <summary>The dynamic parameters for one call; null when the module file offers nothing beyond the compiled ones.</summary>
    public static RuntimeDefinedParameterDictionary? For(Type cmdletType, ServiceCmdlet declaration)
    {
        var shapes = Shapes.GetValue(declaration, d => Beyond(Compiled.GetValue(cmdletType, CompiledParameters.Of), d));
        return shapes.Count == 0 ? null : ServiceFunctionBuilder.NewParameters(shapes);
    }

    /// <summary>The declaration's parameters the compiled cmdlet does not have, adjusted so they cannot clash with it.</summary>
    internal static IReadOnlyList<ParameterShape> Beyond(CompiledParameters compiled, ServiceCmdlet declaration) =>
        ServiceFunctionBuilder.Shapes(declaration)
            .Where(shape => !compiled.Names.Contains(shape.Name))
            .Select(shape => new ParameterShape(shape.Name, shape.Type, InKnownSets(shape.Attributes, compiled).Select(a => Fit(a, compiled)).OfType<Attribute>().ToArray()))
            .ToArray();

    /// <summary>The attributes as they are when every set they name is the compiled cmdlet's; else one binding for every set.</summary>
    private static IEnumerable<Attribute> InKnownSets(Attribute[] attributes, CompiledParameters compiled)
    {
        var bindings = attributes.OfType<ParameterAttribute>().ToArray();
        if (bindings.All(b => b.ParameterSetName == ParameterAttribute.AllParameterSets || compiled.Sets.Contains(b.ParameterSetName)))
        {
            return attributes;
        }

        var everySet = new ParameterAttribute
        {
            ValueFromPipeline = bindings.Any(b => b.ValueFromPipeline),
            ValueFromPipelineByPropertyName = bindings.Any(b => b.ValueFromPipelineByPropertyName),
        };
        return attributes.Where(a => a is not ParameterAttribute).Prepend(everySet);
    }

    private static Attribute? Fit(Attribute attribute, CompiledParameters compiled)
    {
        switch (attribute)
        {
            case AliasAttribute alias:
                var kept = alias.AliasNames.Where(a => !compiled.Names.Contains(a)).ToArray();
                return kept.Length == 0 ? null : new AliasAttribute(kept);
            case ParameterAttribute { Position: >= 0 } parameter when compiled.Positions.Contains(parameter.Position):
                return new ParameterAttribute
                {
                    ParameterSetName = parameter.ParameterSetName,
                    Mandatory = parameter.Mandatory,
                    ValueFromPipeline = parameter.ValueFromPipeline,
                    ValueFromPipelineByPropertyName = parameter.ValueFromPipelineByPropertyName,
                };
            default:
                return attribute;
        }
    }

    /// <summary>What a compiled cmdlet's own parameters (and PowerShell's common ones) already hold.</summary>
    internal sealed class CompiledParameters
    {
        private CompiledParameters(HashSet<string> names, HashSet<int> positions, HashSet<string> sets)
        {
            Names = names;
            Positions = positions;
            Sets = sets;
        }

        /// <summary>Parameter names and aliases, case-insensitive.</summary>
        public HashSet<string> Names { get; }

        public HashSet<int> Positions { get; }

        /// <summary>The parameter sets the compiled parameters name, case-insensitive.</summary>
        public HashSet<string> Sets { get; }

        public static CompiledParameters Of(Type cmdletType)
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var positions = new HashSet<int>();
            var sets = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var type in new[] { cmdletType, typeof(CommonParameters), typeof(ShouldProcessParameters) })
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    var bindings = property.GetCustomAttributes<ParameterAttribute>(inherit: true).ToArray();
                    if (bindings.Length == 0)
                    {
                        continue;
                    }

                    names.Add(property.Name);
                    foreach (var alias in property.GetCustomAttributes<AliasAttribute>(inherit: true).SelectMany(a => a.AliasNames))
                    {
                        names.Add(alias);
                    }

                    foreach (var binding in bindings)
                    {
                        if (binding.Position >= 0)
                        {
                            positions.Add(binding.Position);
                        }

                        sets.Add(binding.ParameterSetName);
                    }
                }
            }

            return new CompiledParameters(names, positions, sets);
        }
    }
}
