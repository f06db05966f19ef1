using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Add-MailboxPermission: grants FullAccess (and other rights) on a mailbox.</summary>
[Cmdlet(VerbsCommon.Add, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "AccessRights")]
[OutputType("Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject")]
public sealed partial class AddMailboxPermissionCommand : ClassicCmdlet
{
    /// <summary>The rights (typed, so they complete and a misspelling is refused before anything is sent).</summary>
    [Parameter(ParameterSetName = "AccessRights", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public MailboxRights[]? AccessRights { get; set; }

    [Parameter(ParameterSetName = "AccessRights")]
    public InheritanceType InheritanceType { get; set; }

    protected override string CmdletName => "Add-MailboxPermission";

    protected override string? Target => $"{Identity} ({User ?? Owner})";
}
