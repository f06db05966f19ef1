using System;
using System.Collections.Generic;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>One cmdlet of the service's module file, as its function declares it (§18.1): only data, never code.</summary>
public sealed class ServiceCmdlet
{
    private readonly Lazy<IReadOnlyList<ServiceParameter>> _parameters;

    public ServiceCmdlet(string name, string? helpFile, CmdletBindingInfo binding, IReadOnlyList<ServiceParameter> parameters)
        : this(name, helpFile, binding, () => parameters)
    {
    }

    /// <param name="readParameters">Reads the param block when it is first needed (most of a large file's cmdlets never are).</param>
    /// <param name="mayNameParameterSets">False when the declaration's text certainly names no parameter set.</param>
    public ServiceCmdlet(string name, string? helpFile, CmdletBindingInfo binding, Func<IReadOnlyList<ServiceParameter>> readParameters, bool mayNameParameterSets = true)
    {
        Name = name;
        HelpFile = helpFile;
        Binding = binding;
        MayNameParameterSets = mayNameParameterSets;
        _parameters = new Lazy<IReadOnlyList<ServiceParameter>>(readParameters);
    }

    /// <summary>
    /// False when the declaration has at most one parameter set (its text never says ParameterSetName): known without
    /// reading the param block, so a command's default set is settled at connect for the many cmdlets with one set.
    /// </summary>
    public bool MayNameParameterSets { get; }

    /// <summary>Verb-Noun, without a scope qualifier (function script:Get-Mailbox is Get-Mailbox).</summary>
    public string Name { get; }

    /// <summary>The help file the "# .ExternalHelp" line names; null when there is none.</summary>
    public string? HelpFile { get; }

    public CmdletBindingInfo Binding { get; }

    /// <summary>In declaration order; read from the file the first time they are asked for.</summary>
    public IReadOnlyList<ServiceParameter> Parameters => _parameters.Value;

    public ServiceParameter? Find(string parameterName)
    {
        foreach (var parameter in Parameters)
        {
            if (string.Equals(parameter.Name, parameterName, StringComparison.OrdinalIgnoreCase))
            {
                return parameter;
            }

            foreach (var alias in parameter.Aliases)
            {
                if (string.Equals(alias, parameterName, StringComparison.OrdinalIgnoreCase))
                {
                    return parameter;
                }
            }
        }

        return null;
    }

    public override string ToString() => Name;
}

/// <summary>What [CmdletBinding(...)] says; null members were not given.</summary>
public sealed class CmdletBindingInfo
{
    public static readonly CmdletBindingInfo None = new(false, null, null, null, null);

    public CmdletBindingInfo(bool declared, string? defaultParameterSetName, bool? supportsShouldProcess, string? confirmImpact, bool? positionalBinding)
    {
        Declared = declared;
        DefaultParameterSetName = defaultParameterSetName;
        SupportsShouldProcess = supportsShouldProcess;
        ConfirmImpact = confirmImpact;
        PositionalBinding = positionalBinding;
    }

    /// <summary>The function has a [CmdletBinding()] attribute.</summary>
    public bool Declared { get; }

    public string? DefaultParameterSetName { get; }

    public bool? SupportsShouldProcess { get; }

    /// <summary>Low, Medium or High, as written.</summary>
    public string? ConfirmImpact { get; }

    public bool? PositionalBinding { get; }
}

/// <summary>One parameter: its name, its declared type's name, aliases and one binding per [Parameter()] attribute.</summary>
public sealed class ServiceParameter
{
    public ServiceParameter(string name, string? typeName, IReadOnlyList<string> aliases, IReadOnlyList<ParameterBinding> bindings)
    {
        Name = name;
        TypeName = typeName;
        Aliases = aliases;
        Bindings = bindings;
    }

    public string Name { get; }

    /// <summary>The type constraint as written ("string", "System.Object", "System.Nullable[bool]"); null when none.</summary>
    public string? TypeName { get; }

    /// <summary>What ExoAdmin declares the parameter as (<see cref="ParameterTypes"/>).</summary>
    public ParameterKind Kind => ParameterTypes.KindOf(TypeName);

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>One per [Parameter()] attribute; a parameter without one has a single binding for all sets.</summary>
    public IReadOnlyList<ParameterBinding> Bindings { get; }

    public override string ToString() => Name;
}

/// <summary>One [Parameter(...)] attribute.</summary>
public sealed class ParameterBinding
{
    public static readonly ParameterBinding AllSets = new(null, false, null, false, false);

    public ParameterBinding(string? parameterSetName, bool mandatory, int? position, bool valueFromPipeline, bool valueFromPipelineByPropertyName)
    {
        ParameterSetName = parameterSetName;
        Mandatory = mandatory;
        Position = position;
        ValueFromPipeline = valueFromPipeline;
        ValueFromPipelineByPropertyName = valueFromPipelineByPropertyName;
    }

    /// <summary>Null for every set.</summary>
    public string? ParameterSetName { get; }

    public bool Mandatory { get; }

    public int? Position { get; }

    public bool ValueFromPipeline { get; }

    public bool ValueFromPipelineByPropertyName { get; }

    public override bool Equals(object? obj) => obj is ParameterBinding other
        && string.Equals(ParameterSetName, other.ParameterSetName, StringComparison.OrdinalIgnoreCase)
        && Mandatory == other.Mandatory && Position == other.Position
        && ValueFromPipeline == other.ValueFromPipeline && ValueFromPipelineByPropertyName == other.ValueFromPipelineByPropertyName;

    public override int GetHashCode() => (ParameterSetName?.ToUpperInvariant(), Mandatory, Position, ValueFromPipeline, ValueFromPipelineByPropertyName).GetHashCode();

    public override string ToString() =>
        $"[{ParameterSetName ?? "*"}{(Mandatory ? " mandatory" : "")}{(Position is { } p ? " pos " + p : "")}{(ValueFromPipeline ? " pipeline" : "")}{(ValueFromPipelineByPropertyName ? " by-name" : "")}]";
}
