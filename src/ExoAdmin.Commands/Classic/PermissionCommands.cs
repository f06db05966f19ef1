using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Classic;

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
[Cmdlet(VerbsCommon.Get, "MailboxPermission")]
[OutputType("ExoAdmin.MailboxPermission")]
public sealed class GetMailboxPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-MailboxPermission";
}

/// <summary>Add-MailboxPermission: grants FullAccess (and other rights) on a mailbox.</summary>
[Cmdlet(VerbsCommon.Add, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("ExoAdmin.MailboxPermission")]
public sealed class AddMailboxPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public MailboxRights[]? AccessRights { get; set; }

    /// <summary>Whether Outlook opens the mailbox for the user automatically (default $true).</summary>
    [Parameter]
    public bool AutoMapping { get; set; }

    [Parameter]
    public SwitchParameter Deny { get; set; }

    [Parameter]
    public InheritanceType InheritanceType { get; set; }

    protected override string CmdletName => "Add-MailboxPermission";

    protected override string? Target => $"{Identity} ({User})";
}

/// <summary>Remove-MailboxPermission.</summary>
[Cmdlet(VerbsCommon.Remove, "MailboxPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveMailboxPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public MailboxRights[]? AccessRights { get; set; }

    [Parameter]
    public SwitchParameter Deny { get; set; }

    [Parameter]
    public InheritanceType InheritanceType { get; set; }

    protected override string CmdletName => "Remove-MailboxPermission";

    protected override string? Target => $"{Identity} ({User})";
}

/// <summary>Get-RecipientPermission: who may send as a recipient.</summary>
[Cmdlet(VerbsCommon.Get, "RecipientPermission")]
[OutputType("ExoAdmin.RecipientPermission")]
public sealed class GetRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Trustee { get; set; }

    [Parameter]
    [ValidateSet("SendAs")]
    public string[]? AccessRights { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-RecipientPermission";
}

/// <summary>Add-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Add, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType("ExoAdmin.RecipientPermission")]
public sealed class AddRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Trustee { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateSet("SendAs")]
    public string[]? AccessRights { get; set; }

    protected override string CmdletName => "Add-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}

/// <summary>Remove-RecipientPermission -AccessRights SendAs.</summary>
[Cmdlet(VerbsCommon.Remove, "RecipientPermission", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Trustee { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateSet("SendAs")]
    public string[]? AccessRights { get; set; }

    protected override string CmdletName => "Remove-RecipientPermission";

    protected override string? Target => $"{Identity} ({Trustee})";
}
