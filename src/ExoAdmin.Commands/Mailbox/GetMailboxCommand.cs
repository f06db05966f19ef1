using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-Mailbox: mailboxes in the classic shape (every property). Its other parameters come from the catalogue.</summary>
[Cmdlet(VerbsCommon.Get, "Mailbox", DefaultParameterSetName = "Identity")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox")]
public sealed partial class GetMailboxCommand : ClassicCmdlet
{
    protected override string CmdletName => "Get-Mailbox";
}
