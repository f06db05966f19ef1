using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>The rights Add-/Remove-MailboxPermission grant.</summary>
public enum MailboxRights
{
    ChangeOwner,
    ChangePermission,
    DeleteItem,
    ExternalAccount,
    FullAccess,
    ReadPermission,
}

/// <summary>How a mailbox permission is inherited by child objects.</summary>
public enum InheritanceType
{
    None,
    All,
    Descendents,
    SelfAndChildren,
    Children,
}

/// <summary>Get-MailboxPermission.</summary>
[Cmdlet(VerbsCommon.Get, "MailboxPermission", DefaultParameterSetName = "AccessRights")]
[OutputType("Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject")]
public sealed partial class GetMailboxPermissionCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-MailboxPermission";
}
