using System;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// Reads mailboxes: one per pipeline item when an identity is given, otherwise the whole list,
/// streamed page by page so the first objects arrive at once and memory stays flat.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOMailbox")]
[OutputType("ExoAdmin.Mailbox")]
public sealed class GetExoMailboxCommand : MailboxListCmdlet<PropertySet>
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

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

    [Parameter]
    public SwitchParameter SoftDeletedMailbox { get; set; }

    [Parameter]
    public SwitchParameter IncludeInactiveMailbox { get; set; }

    [Parameter]
    public SwitchParameter InactiveMailboxOnly { get; set; }

    protected override void BeginProcessing()
    {
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
            RecipientTypeDetails = RecipientTypeDetails,
            Filter = Filter,
            Anr = Anr,
            OrganizationalUnit = OrganizationalUnit,
            MailboxPlan = MailboxPlan,
            Archive = Archive,
            SoftDeletedMailbox = SoftDeletedMailbox,
            IncludeInactiveMailbox = IncludeInactiveMailbox,
            InactiveMailboxOnly = InactiveMailboxOnly,
            ResultSize = ResultSize.ToResultSize(),
            ResultSizeIsDefault = !MyInvocation.BoundParameters.ContainsKey(nameof(ResultSize)),
        };

        RunItem((sink, cancellation) => MailboxOperations.GetAsync(connection, query, sink, cancellation), query.Identity ?? query.UserPrincipalName ?? query.PrimarySmtpAddress);
    }
}
