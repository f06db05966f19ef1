using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// Reads mailboxes: one per pipeline item when an identity is given, otherwise the whole list,
/// streamed page by page so the first objects arrive at once and memory stays flat.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOMailbox", DefaultParameterSetName = IdentitySet)]
[OutputType("ExoAdmin.Mailbox")]
public sealed class GetExoMailboxCommand : MailboxListCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(PublicFolder)] = "Get-EXOMailbox does not read public folder mailboxes; Get-Mailbox -PublicFolder does.",
        [nameof(Migration)] = "Get-EXOMailbox does not read the migration mailbox; Get-Mailbox -Migration does.",
        [nameof(Async)] = "Get-EXOMailbox already writes each mailbox as it arrives; leave -Async out.",
    };

    [Parameter(ParameterSetName = IdentitySet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
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
    [ValidateSet("All", "Minimum", "AddressList", "Archive", "Audit", "Custom", "Delivery", "Hold", "Moderation", "Move", "Policy", "PublicFolder",
        "Quota", "Resource", "Retention", "SCL", "SoftDelete", "StatisticsSeed", IgnoreCase = true)]
    public override PropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    /// <summary>Only mailboxes on this mailbox plan.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MailboxPlan { get; set; }

    /// <summary>Only mailboxes with an archive.</summary>
    [Parameter]
    public SwitchParameter Archive { get; set; }

    /// <summary>Microsoft 365 groups' mailboxes (RecipientTypeDetails GroupMailbox), which a plain list leaves out.</summary>
    [Parameter]
    public SwitchParameter GroupMailbox { get; set; }

    [Parameter]
    public SwitchParameter SoftDeletedMailbox { get; set; }

    [Parameter]
    public SwitchParameter IncludeInactiveMailbox { get; set; }

    [Parameter]
    public SwitchParameter InactiveMailboxOnly { get; set; }

    /// <summary>Refused, as in Microsoft's module: no REST request reads public folder mailboxes.</summary>
    [Parameter]
    public SwitchParameter PublicFolder { get; set; }

    /// <summary>Refused, as in Microsoft's module: no REST request reads the migration mailbox.</summary>
    [Parameter]
    public SwitchParameter Migration { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter Async { get; set; }

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        // Bad -Properties fail once, before any request, as in the original.
        Guard(() =>
        {
            MailboxOperations.ValidateProperties(Properties);
            return true;
        });
    }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var query = new MailboxQuery
        {
            Identity = Identity,
            UserPrincipalName = UserPrincipalName,
            PrimarySmtpAddress = PrimarySmtpAddress,
            ExternalDirectoryObjectId = ExternalDirectoryObjectId,
            Properties = Properties,
            PropertySets = PropertySetNames.Of(PropertySets),
            RecipientTypeDetails = GroupMailbox.IsPresent ? (RecipientTypeDetails ?? Array.Empty<string>()).Append("GroupMailbox").Distinct(StringComparer.OrdinalIgnoreCase).ToArray() : RecipientTypeDetails,
            Filter = Filter,
            Anr = Anr,
            OrganizationalUnit = OrganizationalUnit,
            MailboxPlan = MailboxPlan,
            Archive = Archive,
            SoftDeletedMailbox = SoftDeletedMailbox,
            IncludeInactiveMailbox = IncludeInactiveMailbox,
            InactiveMailboxOnly = InactiveMailboxOnly,
            ResultSize = ResultSize.ToResultSize(),
        };

        RunItem((sink, cancellation) => MailboxOperations.GetAsync(connection, query, sink, cancellation), query.Identity ?? query.UserPrincipalName ?? query.PrimarySmtpAddress);
    }
}
