using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Recipients;

/// <summary>Get-Recipient: mailboxes and groups in the classic shape.</summary>
[Cmdlet(VerbsCommon.Get, "Recipient", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.ReducedRecipient")]
public sealed partial class GetRecipientCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-Recipient";
}
