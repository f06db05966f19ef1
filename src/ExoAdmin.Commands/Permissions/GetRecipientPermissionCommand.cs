using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Permissions;

/// <summary>Get-RecipientPermission: who may send as a recipient.</summary>
[Cmdlet(VerbsCommon.Get, "RecipientPermission")]
[OutputType("Deserialized.Microsoft.Exchange.Data.Directory.Permission.RecipientPermission")]
public sealed partial class GetRecipientPermissionCommand : ClassicCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Identity { get; set; }

    protected override string CmdletName => "Get-RecipientPermission";
}
