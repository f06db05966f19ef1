using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Remoting;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>How much Connect-IPPSSession's -LogLevel writes to the connection's log (Microsoft's LogLevel type).</summary>
public enum LogLevel
{
    Default,
    All,
}

/// <summary>
/// Signs in to Security &amp; Compliance PowerShell: the same ways of signing in as Connect-ExchangeOnline, its own
/// resource (https://ps.compliance.protection.outlook.com by default), the tenant's regional host found by
/// redirect discovery, and its own connection next to an Exchange one of the same prefix. Parameters and positions
/// as in ExchangeOnlineManagement's Connect-IPPSSession.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "IPPSSession")]
public sealed class ConnectIPPSSessionCommand : ConnectCommandBase
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public override string? ConnectionUri { get; set; }

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public override string? AzureADAuthorizationEndpointUri { get; set; }

    [Parameter(Position = 2)]
    [ValidateNotNullOrEmpty]
    public override string? DelegatedOrganization { get; set; }

    [Parameter(Position = 3)]
    public override PSSessionOption? PSSessionOption { get; set; }

    [Parameter(Position = 4)]
    [AllowEmptyString]
    public override string? Prefix { get; set; }

    [Parameter(Position = 5)]
    [ValidateNotNullOrEmpty]
    public override string[]? CommandName { get; set; }

    [Parameter(Position = 6)]
    public override string[]? FormatTypeName { get; set; }

    /// <summary>The cloud whose compliance and sign-in hosts are the defaults (ExoAdmin's addition; Microsoft's takes -ConnectionUri).</summary>
    [Parameter]
    public override ExchangeEnvironment ExchangeEnvironmentName { get; set; } = ExchangeEnvironment.O365Default;

    /// <summary>Device-code sign-in, as for Connect-ExchangeOnline.</summary>
    [Parameter]
    public SwitchParameter Device { get; set; }

    /// <summary>Accepted, without effect: the protocol defines no request it changes.</summary>
    [Parameter]
    public SwitchParameter EnableSearchOnlySession { get; set; }

    /// <summary>Default: requests, retries and errors. All: also every cmdlet run on the connection, with its parameters.</summary>
    [Parameter]
    public LogLevel LogLevel { get; set; } = LogLevel.Default;

    private protected override bool IsCompliance => true;

    private protected override ConnectionLogLevel RequestedLogLevel => LogLevel == LogLevel.All ? ConnectionLogLevel.All : ConnectionLogLevel.Default;

    private static readonly IReadOnlyDictionary<string, string> OwnWithoutEffect = new Dictionary<string, string>((IDictionary<string, string>)SharedWithoutEffect, System.StringComparer.OrdinalIgnoreCase)
    {
        [nameof(EnableSearchOnlySession)] = "the REST protocol ExoAdmin follows defines no request or header it changes; the eDiscovery cmdlets your role allows are available as they are",
    };

    private protected override IReadOnlyDictionary<string, string> WithoutEffect => OwnWithoutEffect;

    protected override void EndProcessing()
    {
        var request = BuildRequest();
        request.Device = Device.IsPresent;
        // The Security & Compliance cmdlets this connection may run come from its own module file, as for Exchange.
        var connection = Connect(request, async (connected, sink, cancellation) =>
            connected.Module = ServiceModule.Read(await ModuleFileOperations.GetAsync(connected, request.CommandName, sink, cancellation, request.SkipLoadingFormatData).ConfigureAwait(false)));
        ServiceCommands.Expose(this, connection, Sessions);
    }
}
