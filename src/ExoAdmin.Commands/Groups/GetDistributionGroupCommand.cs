using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Get-DistributionGroup.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroup", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.DistributionGroup")]
public sealed partial class GetDistributionGroupCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-DistributionGroup";
}
