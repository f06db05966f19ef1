using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Remove-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Remove, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed partial class RemoveRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Remove-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}
