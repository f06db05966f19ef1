using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>
/// Remove-MailboxPermission. -User and -AccessRights also come from the pipeline by property name, so the entries
/// Get-MailboxPermission writes can be piped back to remove them.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = "AccessRights")]
public sealed partial class RemoveMailboxPermissionCommand : ClassicCmdlet
{
    [Parameter(ParameterSetName = "AccessRights", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? User { get; set; }

    [Parameter(ParameterSetName = "AccessRights", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public MailboxRights[]? AccessRights { get; set; }

    [Parameter(ParameterSetName = "AccessRights")]
    public InheritanceType InheritanceType { get; set; }

    protected override string CmdletName => "Remove-MailboxPermission";

    protected override string? Target => User is null ? Identity : $"{Identity} ({User})";
}
