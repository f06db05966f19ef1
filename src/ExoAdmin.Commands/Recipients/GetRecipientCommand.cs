using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Recipients;

/// <summary>Get-Recipient: mailboxes and groups in the classic shape.</summary>
[Cmdlet(VerbsCommon.Get, "Recipient", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient")]
public sealed partial class GetRecipientCommand : ClassicCmdlet
{
    [Parameter(ParameterSetName = "Identity", Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-Recipient";
}
