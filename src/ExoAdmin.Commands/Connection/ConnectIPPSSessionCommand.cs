using System.Management.Automation;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// Signs in to Security &amp; Compliance PowerShell: the same ways of signing in as Connect-ExchangeOnline, its own
/// resource (https://ps.compliance.protection.outlook.com by default), the tenant's regional host found by
/// redirect discovery, and its own connection next to an Exchange one of the same prefix.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "IPPSSession")]
public sealed class ConnectIPPSSessionCommand : ConnectCommandBase
{
    /// <summary>Device-code sign-in, as for Connect-ExchangeOnline.</summary>
    [Parameter]
    public SwitchParameter Device { get; set; }

    private protected override bool IsCompliance => true;

    protected override void EndProcessing()
    {
        var request = BuildRequest();
        request.Device = Device.IsPresent;
        request.ShowBanner = false; // the discovery request is the banner request; IPPS prints none
        // The Security & Compliance cmdlets this connection may run come from its own module file, as for Exchange.
        var connection = Connect(request, async (connected, sink, cancellation) =>
            connected.Module = ServiceModule.Read(await ModuleFileOperations.GetAsync(connected, null, sink, cancellation).ConfigureAwait(false)));
        ServiceCommands.Expose(this, connection, Sessions);
    }
}
