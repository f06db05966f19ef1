using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Groups;

/// <summary>Add-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Add, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed partial class AddDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Add-DistributionGroupMember";

    protected override string? Target => $"{Member} → {Identity}";
}
