using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.AutoReply;

/// <summary>Get-MailboxAutoReplyConfiguration.</summary>
[Cmdlet(VerbsCommon.Get, "MailboxAutoReplyConfiguration")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Storage.Management.MailboxAutoReplyConfiguration")]
public sealed partial class GetMailboxAutoReplyConfigurationCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-MailboxAutoReplyConfiguration";
}
