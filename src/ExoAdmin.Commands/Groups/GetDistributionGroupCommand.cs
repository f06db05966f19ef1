using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Get-DistributionGroup.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroup", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.DistributionGroup")]
public sealed partial class GetDistributionGroupCommand : ClassicCmdlet
{
    [Parameter(ParameterSetName = "Identity", Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-DistributionGroup";
}
