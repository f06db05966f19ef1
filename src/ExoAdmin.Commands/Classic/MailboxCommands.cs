using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Classic;

/// <summary>Get-Mailbox: mailboxes in the classic shape (every property).</summary>
[Cmdlet(VerbsCommon.Get, "Mailbox")]
[OutputType("ExoAdmin.Mailbox")]
public sealed class GetMailboxCommand : ClassicCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    /// <summary>OPATH filter, sent as text and evaluated by the service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-Mailbox";
}

/// <summary>The mailbox types Set-Mailbox -Type converts between.</summary>
public enum ConvertibleMailboxSubType
{
    Regular,
    Shared,
    Room,
    Equipment,
}

/// <summary>
/// Set-Mailbox: forwarding, conversion between regular/shared/room/equipment, hiding, send-on-behalf and proxy
/// addresses. Multi-valued parameters take a list (replaces) or @{Add=…; Remove=…}.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetMailboxCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    /// <summary>An SMTP address outside the organization; $null removes forwarding.</summary>
    [Parameter]
    [AllowNull, AllowEmptyString]
    public string? ForwardingSmtpAddress { get; set; }

    /// <summary>A recipient in the organization; $null removes it.</summary>
    [Parameter]
    [AllowNull, AllowEmptyString]
    public string? ForwardingAddress { get; set; }

    [Parameter]
    public bool DeliverToMailboxAndForward { get; set; }

    [Parameter]
    public ConvertibleMailboxSubType Type { get; set; }

    [Parameter]
    public bool HiddenFromAddressListsEnabled { get; set; }

    /// <summary>Recipients, or @{Add=…; Remove=…}.</summary>
    [Parameter]
    [AllowNull]
    public object? GrantSendOnBehalfTo { get; set; }

    /// <summary>Proxy addresses ("smtp:x@y"), or @{Add=…; Remove=…}.</summary>
    [Parameter]
    public object? EmailAddresses { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DisplayName { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string CmdletName => "Set-Mailbox";
}

/// <summary>Get-Recipient: mailboxes and groups in the classic shape.</summary>
[Cmdlet(VerbsCommon.Get, "Recipient")]
[OutputType("ExoAdmin.Recipient")]
public sealed class GetRecipientCommand : ClassicCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    /// <summary>OPATH filter, sent as text and evaluated by the service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-Recipient";
}

/// <summary>Get-CASMailbox: client access settings.</summary>
[Cmdlet(VerbsCommon.Get, "CASMailbox")]
[OutputType("ExoAdmin.CasMailbox")]
public sealed class GetCasMailboxCommand : ClassicCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    /// <summary>OPATH filter, sent as text and evaluated by the service.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-CASMailbox";
}

/// <summary>Set-CASMailbox: turns protocols on or off for a mailbox.</summary>
[Cmdlet(VerbsCommon.Set, "CASMailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetCasMailboxCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    public bool OWAEnabled { get; set; }

    [Parameter]
    public bool ActiveSyncEnabled { get; set; }

    [Parameter]
    public bool PopEnabled { get; set; }

    [Parameter]
    public bool ImapEnabled { get; set; }

    [Parameter]
    public bool MAPIEnabled { get; set; }

    [Parameter]
    public bool EwsEnabled { get; set; }

    protected override string CmdletName => "Set-CASMailbox";
}

/// <summary>Get-InboxRule: a mailbox's Outlook rules.</summary>
[Cmdlet(VerbsCommon.Get, "InboxRule")]
[OutputType("ExoAdmin.InboxRule")]
public sealed class GetInboxRuleCommand : ClassicCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Mailbox { get; set; }

    protected override string CmdletName => "Get-InboxRule";

    protected override string? Target => Mailbox ?? Identity;
}
