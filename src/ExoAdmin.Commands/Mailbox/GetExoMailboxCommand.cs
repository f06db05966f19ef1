using System;
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
public sealed class GetExoMailboxCommand : ConnectedCmdlet
{
    private const string IdentitySet = "Identity";

    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? Identity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    public string? PrimarySmtpAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = IdentitySet)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    /// <summary>Extra properties to return besides the property sets.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public PropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    /// <summary>OPATH filter, e.g. "DisplayName -like 'Alex*'"; converted to OData before it is sent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Ambiguous name resolution: names or addresses starting with this text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Anr { get; set; }

    /// <summary>Only mailboxes in this organizational unit.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OrganizationalUnit { get; set; }

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

    /// <summary>How many mailboxes to return: 1000 unless told otherwise, or Unlimited.</summary>
    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

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
            PropertySets = PropertySets?.Select(p => p.ToString()).Distinct().ToArray(),
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

    /// <summary>Piped identities are read up to the connection's limit at once, output in input order.</summary>
    private protected override int ItemWindow => ConnectionWindow;
}
