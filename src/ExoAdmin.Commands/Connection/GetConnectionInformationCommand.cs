using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>Lists this runspace's connections; State comes from a live ping of each.</summary>
[Cmdlet(VerbsCommon.Get, "ConnectionInformation", DefaultParameterSetName = "Default")]
[OutputType("ExoAdmin.Engine.Sessions.ConnectionInformation")]
public sealed class GetConnectionInformationCommand : ExoCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = "ConnectionId")]
    [ValidateNotNullOrEmpty]
    public string[]? ConnectionId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "ModulePrefix")]
    [ValidateNotNullOrEmpty]
    public string[]? ModulePrefix { get; set; }

    protected override void EndProcessing()
    {
        var chosen = Sessions.Select(ConnectionId, ModulePrefix);

        RunEngine(async (sink, cancellation) =>
        {
            // Ping all connections at once; report in connection order.
            var descriptions = await Task.WhenAll(chosen.Select(c => c.DescribeAsync(cancellation, sink))).ConfigureAwait(false);
            foreach (var description in descriptions)
            {
                sink.WriteObject(description);
            }
        });
    }
}
