using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.AutoReply;

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

/// <summary>Set-MailboxAutoReplyConfiguration: out-of-office replies, now or between StartTime and EndTime.</summary>
[Cmdlet(VerbsCommon.Set, "MailboxAutoReplyConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed partial class SetMailboxAutoReplyConfigurationCommand : ClassicCmdlet
{
    [Parameter]
    public AutoReplyState AutoReplyState { get; set; }

    [Parameter]
    public ExternalAudience ExternalAudience { get; set; }

    protected override string CmdletName => "Set-MailboxAutoReplyConfiguration";
}
