using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Commands.Module;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// Closes connections and forgets their tokens: all of them, or those named by -ConnectionId or
/// -ModulePrefix. Like the original it asks for confirmation (ConfirmImpact High), so scripts pass
/// -Confirm:$false. No request is sent to the service.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "ExchangeOnline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "DefaultParameterSet")]
public sealed class DisconnectExchangeOnlineCommand : ExoCmdlet
{
    /// <summary>Binds by property name, so Get-ConnectionInformation output pipes in, as in Microsoft's module.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "ConnectionId", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? ConnectionId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ModulePrefix")]
    [ValidateNotNullOrEmpty]
    public string[]? ModulePrefix { get; set; }

    private readonly System.Collections.Generic.List<string> _connectionIds = new();

    /// <summary>Piped connections are collected, then closed once the pipeline has named them all.</summary>
    protected override void ProcessRecord()
    {
        if (ConnectionId is not null)
        {
            _connectionIds.AddRange(ConnectionId);
        }
    }

    protected override void EndProcessing()
    {
        var chosen = Sessions.Select(_connectionIds, ModulePrefix);

        foreach (var connection in chosen)
        {
            var description = connection.Prefix.Length > 0 ? $"{connection.Name} (prefix {connection.Prefix}, {connection.Organization})" : $"{connection.Name} ({connection.Organization})";
            if (ShouldProcess(description, "Disconnect"))
            {
                Sessions.Remove(connection);
                ServiceCommands.Withdraw(connection, Sessions);
                WriteVerbose($"Disconnected {description}; its tokens are forgotten and its service commands removed.");
            }
        }
    }
}
