using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Base of cmdlets that talk to a tenant. The connection is resolved per invocation: by -ConnectionId or
/// -ModulePrefix when given, else the one of the prefix the cmdlet was invoked under (the unprefixed connection
/// for built-in names); never a guess among prefixed ones.
/// </summary>
public abstract class ConnectedCmdlet : ExoCmdlet
{
    /// <summary>Which connection to use, when a script holds several (see Get-ConnectionInformation).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConnectionId { get; set; }

    /// <summary>Which connection to use, by the -Prefix it was connected with.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ModulePrefix { get; set; }

    /// <summary>The noun prefix this cmdlet was invoked under; empty for the built-in names.</summary>
    protected virtual string Prefix => string.Empty;

    /// <summary>True for Security &amp; Compliance cmdlets, which use Connect-IPPSSession's connections.</summary>
    protected virtual bool UsesComplianceConnection => false;

    /// <summary>The resolved connection's limit of requests in flight (-MaxConcurrency), for cmdlets whose items fan out.</summary>
    private protected int ConnectionWindow => Connection?.MaxConcurrency ?? 1;

    /// <summary>A connected cmdlet's piped items are independent requests: up to the connection's limit run at once, output in input order.</summary>
    private protected override int ItemWindow => ConnectionWindow;

    internal ExoConnection ResolveConnection()
    {
        Connection = Guard(() =>
        {
            if (ConnectionId is not null && ModulePrefix is not null)
            {
                throw Failures.InvalidArgument("Name the connection one way: -ConnectionId or -ModulePrefix.", "ConflictingConnectionChoice", null);
            }

            return Sessions.Resolve(ModulePrefix ?? Prefix, ConnectionId, UsesComplianceConnection);
        });

        // -LogLevel All: the connection's log names each cmdlet run on it and what it was given.
        Connection.Log?.WriteCommand(MyInvocation.MyCommand.Name, MyInvocation.BoundParameters);
        return Connection;
    }
}
