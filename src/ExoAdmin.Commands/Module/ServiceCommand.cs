using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Engine.ModuleFile;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// One command made from the service's module file, as its generated function hands it to the runner: which service
/// cmdlet it runs, on which connection, and how much a change of it matters.
/// </summary>
public sealed class ServiceCommand
{
    private readonly Lazy<IReadOnlyList<ParameterShape>> _parameters;

    internal ServiceCommand(ServiceCmdlet declaration, string commandName, string connectionId, bool isCompliance)
    {
        CmdletName = declaration.Name;
        CommandName = commandName;
        ConnectionId = connectionId;
        IsCompliance = isCompliance;
        Impact = ServiceFunctionBuilder.ImpactOf(declaration);
        _parameters = new Lazy<IReadOnlyList<ParameterShape>>(() => ServiceFunctionBuilder.Shapes(declaration));
    }

    /// <summary>The service's name for it (never prefixed).</summary>
    public string CmdletName { get; }

    /// <summary>The command's name in the session (Get-ContosoMailbox under -Prefix Contoso).</summary>
    public string CommandName { get; }

    public string ConnectionId { get; }

    public bool IsCompliance { get; }

    /// <summary>The service's ConfirmImpact for it.</summary>
    public ConfirmImpact Impact { get; }

    /// <summary>The function's parameters for one call (its dynamicparam block): the service's declaration, read on first use.</summary>
    public RuntimeDefinedParameterDictionary NewParameters() => ServiceFunctionBuilder.NewParameters(_parameters.Value);

    public override string ToString() => CommandName;
}
