using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Add-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Add, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Permission.RecipientPermission")]
public sealed partial class AddRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Add-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}
