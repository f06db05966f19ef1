using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.CasMailbox;

/// <summary>Get-CASMailbox: client access settings.</summary>
[Cmdlet(VerbsCommon.Get, "CASMailbox", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.CASMailbox")]
public sealed partial class GetCasMailboxCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-CASMailbox";
}
