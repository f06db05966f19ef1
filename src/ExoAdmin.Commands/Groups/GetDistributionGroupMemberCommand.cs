using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Get-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroupMember")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient")]
public sealed partial class GetDistributionGroupMemberCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-DistributionGroupMember";
}
