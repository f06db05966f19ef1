using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.CasMailbox;

/// <summary>Set-CASMailbox: turns protocols on or off for a mailbox (and every other client access setting the service has).</summary>
[Cmdlet(VerbsCommon.Set, "CASMailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed partial class SetCasMailboxCommand : ClassicCmdlet
{
    protected override string CmdletName => "Set-CASMailbox";
}
