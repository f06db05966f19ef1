using System.Management.Automation;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// One command made from the service's module file, as its generated function hands it to the runner: which service
/// cmdlet it runs, on which connection, and how much a change of it matters.
/// </summary>
public sealed class ServiceCommand
{
    internal ServiceCommand(string cmdletName, string commandName, string connectionId, bool isCompliance, ConfirmImpact impact)
    {
        CmdletName = cmdletName;
        CommandName = commandName;
        ConnectionId = connectionId;
        IsCompliance = isCompliance;
        Impact = impact;
    }

    /// <summary>The service's name for it (never prefixed).</summary>
    public string CmdletName { get; }

    /// <summary>The command's name in the session (Get-ContosoMailbox under -Prefix Contoso).</summary>
    public string CommandName { get; }

    public string ConnectionId { get; }

    public bool IsCompliance { get; }

    /// <summary>The service's ConfirmImpact for it.</summary>
    public ConfirmImpact Impact { get; }

    public override string ToString() => CommandName;
}
