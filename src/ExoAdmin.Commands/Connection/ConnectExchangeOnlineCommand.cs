using System.Management.Automation;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// Signs in to Exchange Online and registers the connection for this runspace, under -Prefix when given.
/// Parameter names and defaults follow ExchangeOnlineManagement.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ExchangeOnline")]
public sealed class ConnectExchangeOnlineCommand : ConnectCommandBase
{
    /// <summary>Device-code sign-in: the code and URL are shown here, the sign-in happens in any browser.</summary>
    [Parameter]
    public SwitchParameter Device { get; set; }

    /// <summary>Objects per page for bulk reads, 1 to 1000.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int PageSize { get; set; } = 1000;

    /// <summary>
    /// How many requests a pipeline may have in flight: pipelined per-identity cmdlets (Get-EXOMailboxStatistics,
    /// Set-Mailbox…) run this many items at once, their output still in input order. 1 runs them one at a time.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int MaxConcurrency { get; set; } = ExoConnection.DefaultMaxConcurrency;

    /// <summary>Only these classic cmdlets (wildcards allowed) are made available; all the caller's role allows by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? CommandName { get; set; }

    /// <summary>Shows the service's banner after connecting (on by default, as in the original).</summary>
    [Parameter]
    public SwitchParameter ShowBanner { get; set; } = true;

    /// <summary>Progress bars for long reads and pipelined changes; only ever shown in interactive hosts.</summary>
    [Parameter]
    public SwitchParameter ShowProgress { get; set; } = true;

    private protected override bool IsCompliance => false;

    protected override void EndProcessing()
    {
        var request = BuildRequest();
        request.Device = Device.IsPresent;
        request.PageSize = PageSize;
        request.MaxConcurrency = MaxConcurrency;
        request.ShowBanner = ShowBanner.IsPresent;
        request.ShowProgress = ShowProgress.IsPresent;
        // The classic cmdlets this connection may run come from the service's module file (§3.2): read, never run. It is
        // asked for alongside the connect's own check of the service, one round trip instead of two.
        var commandNames = CommandName;
        var connection = Connect(request, async (connected, sink, cancellation) =>
            connected.Module = ServiceModule.Read(await ModuleFileOperations.GetAsync(connected, commandNames, sink, cancellation).ConfigureAwait(false)));
        ServiceCommands.Expose(this, connection, Sessions);
    }
}
