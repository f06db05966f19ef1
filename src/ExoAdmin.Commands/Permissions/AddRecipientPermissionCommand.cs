using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Add-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Add, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Permission.RecipientPermission")]
public sealed partial class AddRecipientPermissionCommand : ClassicCmdlet
{
    protected override string CmdletName => "Add-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}
