using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Remove-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Remove, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed partial class RemoveDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Remove-DistributionGroupMember";

    protected override string? Target => $"{Member} ← {Identity}";
}
