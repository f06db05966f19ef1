using System;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Classic;

/// <summary>Out-of-office states.</summary>
public enum AutoReplyState
{
    Disabled,
    Enabled,
    Scheduled,
}

/// <summary>Who outside the organization gets the external message.</summary>
public enum ExternalAudience
{
    None,
    Known,
    All,
}

/// <summary>Get-MailboxAutoReplyConfiguration.</summary>
[Cmdlet(VerbsCommon.Get, "MailboxAutoReplyConfiguration")]
[OutputType("ExoAdmin.MailboxAutoReplyConfiguration")]
public sealed class GetMailboxAutoReplyConfigurationCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-MailboxAutoReplyConfiguration";
}

/// <summary>Set-MailboxAutoReplyConfiguration: out-of-office replies, now or between StartTime and EndTime.</summary>
[Cmdlet(VerbsCommon.Set, "MailboxAutoReplyConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class SetMailboxAutoReplyConfigurationCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    public AutoReplyState AutoReplyState { get; set; }

    [Parameter]
    public DateTime StartTime { get; set; }

    [Parameter]
    public DateTime EndTime { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? InternalMessage { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? ExternalMessage { get; set; }

    [Parameter]
    public ExternalAudience ExternalAudience { get; set; }

    protected override string CmdletName => "Set-MailboxAutoReplyConfiguration";
}

/// <summary>Get-DistributionGroup.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroup")]
[OutputType("ExoAdmin.DistributionGroup")]
public sealed class GetDistributionGroupCommand : ClassicCmdlet
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

    protected override string CmdletName => "Get-DistributionGroup";
}

/// <summary>Get-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Get, "DistributionGroupMember")]
[OutputType("ExoAdmin.Recipient")]
public sealed class GetDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; }

    protected override string CmdletName => "Get-DistributionGroupMember";
}

/// <summary>Add-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Add, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class AddDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string? Member { get; set; }

    [Parameter]
    public SwitchParameter BypassSecurityGroupManagerCheck { get; set; }

    protected override string CmdletName => "Add-DistributionGroupMember";

    protected override string? Target => $"{Member} → {Identity}";
}

/// <summary>Remove-DistributionGroupMember.</summary>
[Cmdlet(VerbsCommon.Remove, "DistributionGroupMember", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveDistributionGroupMemberCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string? Member { get; set; }

    [Parameter]
    public SwitchParameter BypassSecurityGroupManagerCheck { get; set; }

    protected override string CmdletName => "Remove-DistributionGroupMember";

    protected override string? Target => $"{Member} ← {Identity}";
}
