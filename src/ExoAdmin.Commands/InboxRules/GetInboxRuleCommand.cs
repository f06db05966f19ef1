using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.InboxRules;

/// <summary>Get-InboxRule: a mailbox's Outlook rules. -Mailbox also comes from the pipeline by property name.</summary>
[Cmdlet(VerbsCommon.Get, "InboxRule")]
[OutputType("Deserialized.Microsoft.Exchange.Management.Common.InboxRule")]
public sealed partial class GetInboxRuleCommand : ClassicCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Mailbox { get; set; }

    protected override string CmdletName => "Get-InboxRule";

    protected override string? Target => Mailbox ?? Identity;
}
