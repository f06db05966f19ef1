using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXORecipient: every kind of recipient (mailboxes, groups…).</summary>
[Cmdlet(VerbsCommon.Get, "EXORecipient", DefaultParameterSetName = IdentitySet)]
[OutputType("ExoAdmin.Recipient")]
public sealed class GetExoRecipientCommand : MailboxListCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(RecipientPreviewFilter)] = "No Get-EXORecipient request carries a preview filter; pass the same OPATH text to -Filter, or use Get-Recipient -RecipientPreviewFilter.",
    };

    [Parameter(ParameterSetName = IdentitySet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public override string? Identity { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? UserPrincipalName { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? PrimarySmtpAddress { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateSet("All", "Minimum", "Archive", "Custom", "MailboxMove", "Policy", IgnoreCase = true)]
    public override PropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    [Parameter]
    public SwitchParameter IncludeSoftDeletedRecipients { get; set; }

    /// <summary>Broad recipient types, e.g. UserMailbox or MailUniversalDistributionGroup.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientType { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecipientPreviewFilter { get; set; }

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

    protected override void ProcessRecord()
    {
        var identity = OptionalIdentity(ExternalDirectoryObjectId?.ToString());
        var connection = ResolveConnection();
        var (typeDetails, propertySets, properties, filter) = (RecipientTypeDetails, PropertySetNames.Of(PropertySets), Properties, Filter);
        var scope = new ListScope { Anr = Anr, OrganizationalUnit = OrganizationalUnit, RecipientType = RecipientType };
        var (softDeleted, resultSize) = (IncludeSoftDeletedRecipients.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetRecipientsAsync(
            connection, identity, typeDetails, propertySets, properties, filter, scope, softDeleted, resultSize, sink, cancellation), identity);
    }
}
