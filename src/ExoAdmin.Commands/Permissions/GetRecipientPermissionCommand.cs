using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Get-RecipientPermission: who may send as a recipient.</summary>
[Cmdlet(VerbsCommon.Get, "RecipientPermission")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Permission.RecipientPermission")]
public sealed partial class GetRecipientPermissionCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-RecipientPermission";
}
