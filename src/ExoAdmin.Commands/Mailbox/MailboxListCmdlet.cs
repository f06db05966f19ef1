using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// The list parameters Get-EXOMailbox, Get-EXOCasMailbox and Get-EXORecipient share beside the identity: property sets,
/// -Properties, OPATH -Filter (converted to OData before it is sent), the list scopes -Anr (its own parameter set, kept
/// apart from the identity parameters as in Microsoft's module) and -OrganizationalUnit, and -ResultSize (1000 unless
/// told otherwise, or Unlimited).
/// </summary>
public abstract class MailboxListCmdlet : GetExoCmdlet
{
    internal const string IdentitySet = "Identity";
    internal const string AnrSet = "Anr";

    /// <summary>The cmdlet's own property sets (each cmdlet lists them in a ValidateSet).</summary>
    public abstract PropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Ambiguous name resolution over the list: names, aliases and addresses that start with the text.</summary>
    [Parameter(ParameterSetName = AnrSet)]
    [ValidateNotNullOrEmpty]
    public string? Anr { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OrganizationalUnit { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);
}
