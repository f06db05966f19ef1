using System.Management.Automation;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Base of cmdlets that talk to a tenant. The connection is resolved per invocation: by
/// -ConnectionId when given, else the unprefixed connection; never a guess among prefixed ones.
/// </summary>
public abstract class ConnectedCmdlet : ExoCmdlet
{
    /// <summary>Which connection to use, when a script holds several (see Get-ConnectionInformation).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectionId { get; set; }

    /// <summary>The noun prefix this cmdlet was invoked under; empty for the built-in names.</summary>
    protected virtual string Prefix => string.Empty;

    internal ExoConnection ResolveConnection() => Connection = Guard(() => Sessions.Resolve(Prefix, ConnectionId));
}
