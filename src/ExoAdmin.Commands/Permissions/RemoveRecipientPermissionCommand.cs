using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Remove-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Remove, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed partial class RemoveRecipientPermissionCommand : ClassicCmdlet
{
    protected override string CmdletName => "Remove-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}
