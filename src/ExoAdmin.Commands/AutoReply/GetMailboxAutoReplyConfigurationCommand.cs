using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.AutoReply;

/// <summary>Get-MailboxAutoReplyConfiguration.</summary>
[Cmdlet(VerbsCommon.Get, "MailboxAutoReplyConfiguration")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Storage.Management.MailboxAutoReplyConfiguration")]
public sealed partial class GetMailboxAutoReplyConfigurationCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-MailboxAutoReplyConfiguration";
}
