using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Get-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroupMember")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient")]
public sealed partial class GetDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-DistributionGroupMember";
}
