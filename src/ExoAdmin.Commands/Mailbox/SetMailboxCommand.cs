using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>The mailbox types Set-Mailbox -Type converts between.</summary>
public enum ConvertibleMailboxSubType
{
    Regular,
    Shared,
    Room,
    Equipment,
    Workspace,
}

/// <summary>
/// Set-Mailbox: every parameter the service has (130 in Exchange Online, 12 parameter sets, from the catalogue), with
/// -Identity also taken from the pipeline as a plain name and -Type completed. Multi-valued parameters take a list
/// (replaces) or @{Add=…; Remove=…}.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Identity")]
public sealed partial class SetMailboxCommand : ClassicCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    /// <summary>Converts between regular, shared, room, equipment and workspace mailboxes (typed, so it completes).</summary>
    [Parameter]
    public ConvertibleMailboxSubType Type { get; set; }

    protected override string CmdletName => "Set-Mailbox";
}
