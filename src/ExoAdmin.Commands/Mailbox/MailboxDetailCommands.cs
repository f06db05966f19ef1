using System;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>The property sets of Get-EXOMailboxStatistics.</summary>
public enum StatisticsPropertySet
{
    All,
    Minimum,
}

/// <summary>The property sets of Get-EXOCasMailbox.</summary>
public enum CasMailboxPropertySet
{
    All,
    Minimum,
    ActiveSync,
    Ews,
    Imap,
    Mapi,
    Pop,
    ProtocolSettings,
}

/// <summary>The property sets of Get-EXORecipient.</summary>
public enum RecipientPropertySet
{
    All,
    Minimum,
    Archive,
    Custom,
    MailboxMove,
    Policy,
}

/// <summary>Which folders Get-EXOMailboxFolderStatistics reports (Exchange's ElcFolderType).</summary>
public enum FolderScope
{
    All,
    Archive,
    Calendar,
    Contacts,
    ConversationHistory,
    DeletedItems,
    Drafts,
    Inbox,
    JunkEmail,
    Journal,
    LegacyArchiveJournals,
    ManagedCustomFolder,
    NonIpmRoot,
    Notes,
    Outbox,
    Personal,
    RecoverableItems,
    RssSubscriptions,
    SentItems,
    SyncIssues,
    Tasks,
}

/// <summary>Identity parameters shared by the per-mailbox Get-EXO* cmdlets, bound by property name from Get-EXOMailbox.</summary>
public abstract class MailboxIdentityCmdlet : ConnectedCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? UserPrincipalName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? PrimarySmtpAddress { get; set; }

    /// <summary>The identity by the original's precedence (a cmdlet's own preferred one first), or null for a list.</summary>
    protected string? OptionalIdentity(string? preferred = null) =>
        NullIfEmpty(preferred) ?? NullIfEmpty(UserPrincipalName) ?? NullIfEmpty(PrimarySmtpAddress) ?? NullIfEmpty(Identity);

    /// <summary>The identity by the original's precedence; a missing one is a terminating error.</summary>
    protected string RequireIdentity(string? preferred = null) =>
        OptionalIdentity(preferred)
        ?? Guard<string>(() => throw Engine.Errors.Failures.InvalidArgument(
            $"{MyInvocation.MyCommand.Name} needs a mailbox: give -Identity, -UserPrincipalName or -PrimarySmtpAddress, or pipe mailboxes in.", "IdentityMissing", null));

    protected static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>
/// The list parameters Get-EXOMailbox, Get-EXOCasMailbox and Get-EXORecipient share beside the identity: the
/// cmdlet's own property sets, -Properties, OPATH -Filter (converted to OData before it is sent), the list scopes
/// -Anr and -OrganizationalUnit, and -ResultSize (1000 unless told otherwise, or Unlimited).
/// </summary>
/// <typeparam name="TPropertySet">The cmdlet's property-set enum; other names are refused before sending.</typeparam>
public abstract class MailboxListCmdlet<TPropertySet> : MailboxIdentityCmdlet
    where TPropertySet : struct, Enum
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public TPropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Ambiguous name resolution over the list: names, aliases and addresses that start with the text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Anr { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OrganizationalUnit { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);
}

/// <summary>Get-EXOMailboxStatistics: sizes and item counts; TotalItemSize prints like "235.5 MB (246,913,578 bytes)".</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxStatistics")]
[OutputType("ExoAdmin.MailboxStatistics")]
public sealed class GetExoMailboxStatisticsCommand : MailboxIdentityCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExchangeGuid { get; set; }

    /// <summary>With -ExchangeGuid, reads the statistics from this mailbox database first (GetMailboxStatisticsV2).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? DatabaseGuid { get; set; }

    [Parameter]
    public SwitchParameter Archive { get; set; }

    [Parameter]
    public SwitchParameter IncludeSoftDeletedRecipients { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public StatisticsPropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    protected override void ProcessRecord()
    {
        // Every value is read here, on the pipeline thread: the work runs while the next item rebinds the parameters.
        var identity = RequireIdentity(ExchangeGuid?.ToString());
        var connection = ResolveConnection();
        var (exchangeGuid, databaseGuid, archive, softDeleted, properties) = (ExchangeGuid, DatabaseGuid, Archive.IsPresent, IncludeSoftDeletedRecipients.IsPresent, Properties);
        var propertySets = PropertySetNames.Of(PropertySets);
        RunItem((sink, cancellation) => MailboxDetailOperations.GetStatisticsAsync(
            connection, identity, exchangeGuid, databaseGuid, archive, softDeleted, propertySets, properties, sink, cancellation), identity);
    }
}

/// <summary>Get-EXOMailboxPermission: who has FullAccess and other rights on a mailbox.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxPermission")]
[OutputType("ExoAdmin.MailboxPermission")]
public sealed class GetExoMailboxPermissionCommand : MailboxIdentityCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public SwitchParameter Owner { get; set; }

    [Parameter]
    public SwitchParameter SoftDeletedMailbox { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    protected override void ProcessRecord()
    {
        var identity = RequireIdentity();
        var connection = ResolveConnection();
        var (user, owner, softDeleted, resultSize) = (User, Owner.IsPresent, SoftDeletedMailbox.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetMailboxPermissionsAsync(
            connection, identity, user, owner, softDeleted, resultSize, sink, cancellation), identity);
    }
}

/// <summary>Get-EXOCasMailbox: client access settings of one mailbox, or all.</summary>
[Cmdlet(VerbsCommon.Get, "EXOCasMailbox")]
[OutputType("ExoAdmin.CasMailbox")]
public sealed class GetExoCasMailboxCommand : MailboxListCmdlet<CasMailboxPropertySet>
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    protected override void BeginProcessing()
    {
        // Properties the schema does not have fail once, before any request, as in the original.
        Guard(() =>
        {
            MailboxOperations.ValidateProperties(Properties, "CasMailbox", "Get-EXOCasMailbox");
            return true;
        });
    }

    protected override void ProcessRecord()
    {
        var identity = OptionalIdentity(ExternalDirectoryObjectId?.ToString());
        var connection = ResolveConnection();
        var (propertySets, properties, filter, resultSize) = (PropertySetNames.Of(PropertySets), Properties, Filter, ResultSize.ToResultSize());
        var scope = new ListScope { Anr = Anr, OrganizationalUnit = OrganizationalUnit };
        RunItem((sink, cancellation) => MailboxDetailOperations.GetCasMailboxAsync(
            connection, identity, propertySets, properties, filter, scope, resultSize, sink, cancellation), identity);
    }
}

/// <summary>Get-EXOMailboxFolderStatistics: per-folder sizes and item counts.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxFolderStatistics")]
[OutputType("ExoAdmin.MailboxFolderStatistics")]
public sealed class GetExoMailboxFolderStatisticsCommand : MailboxIdentityCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExchangeGuid { get; set; }

    [Parameter]
    public FolderScope FolderScope { get; set; } = FolderScope.All;

    [Parameter]
    public SwitchParameter Archive { get; set; }

    [Parameter]
    public SwitchParameter IncludeOldestAndNewestItems { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    protected override void ProcessRecord()
    {
        var identity = RequireIdentity(ExchangeGuid?.ToString());
        var connection = ResolveConnection();
        var (folderScope, archive, oldestAndNewest, resultSize) = (FolderScope.ToString(), Archive.IsPresent, IncludeOldestAndNewestItems.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetFolderStatisticsAsync(
            connection, identity, folderScope, archive, oldestAndNewest, resultSize, sink, cancellation), identity);
    }
}

/// <summary>Get-EXOMailboxFolderPermission -Identity 'alex:\Calendar'.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxFolderPermission")]
[OutputType("ExoAdmin.MailboxFolderPermission")]
public sealed class GetExoMailboxFolderPermissionCommand : ConnectedCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public string? Identity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var (identity, user) = (Identity!, User);
        RunItem((sink, cancellation) => MailboxDetailOperations.GetFolderPermissionsAsync(connection, identity, user, sink, cancellation), identity);
    }
}

/// <summary>Get-EXOMobileDeviceStatistics -Mailbox: the phones and tablets that sync with a mailbox.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMobileDeviceStatistics")]
[OutputType("ExoAdmin.MobileDeviceStatistics")]
public sealed class GetExoMobileDeviceStatisticsCommand : ConnectedCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("UserPrincipalName", "PrimarySmtpAddress")]
    [ValidateNotNullOrEmpty]
    public string? Mailbox { get; set; }

    [Parameter]
    public SwitchParameter ActiveSync { get; set; }

    [Parameter]
    public SwitchParameter OWAforDevices { get; set; }

    [Parameter]
    public SwitchParameter RestApi { get; set; }

    [Parameter]
    public SwitchParameter UniversalOutlook { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var (mailbox, activeSync, owa, restApi, universal) = (Mailbox!, ActiveSync.IsPresent, OWAforDevices.IsPresent, RestApi.IsPresent, UniversalOutlook.IsPresent);
        RunItem((sink, cancellation) => MailboxDetailOperations.GetMobileDevicesAsync(
            connection, mailbox, activeSync, owa, restApi, universal, sink, cancellation), mailbox);
    }
}

/// <summary>Get-EXORecipient: every kind of recipient (mailboxes, groups…).</summary>
[Cmdlet(VerbsCommon.Get, "EXORecipient")]
[OutputType("ExoAdmin.Recipient")]
public sealed class GetExoRecipientCommand : MailboxListCmdlet<RecipientPropertySet>
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientTypeDetails { get; set; }

    [Parameter]
    public SwitchParameter IncludeSoftDeletedRecipients { get; set; }

    /// <summary>Broad recipient types, e.g. UserMailbox or MailUniversalDistributionGroup.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RecipientType { get; set; }

    protected override void ProcessRecord()
    {
        var identity = OptionalIdentity();
        var connection = ResolveConnection();
        var (typeDetails, propertySets, properties, filter) = (RecipientTypeDetails, PropertySetNames.Of(PropertySets), Properties, Filter);
        var scope = new ListScope { Anr = Anr, OrganizationalUnit = OrganizationalUnit, RecipientType = RecipientType };
        var (softDeleted, resultSize) = (IncludeSoftDeletedRecipients.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetRecipientsAsync(
            connection, identity, typeDetails, propertySets, properties, filter, scope, softDeleted, resultSize, sink, cancellation), identity);
    }
}

/// <summary>Get-EXORecipientPermission: SendAs permissions, of one recipient or all, optionally for one trustee.</summary>
[Cmdlet(VerbsCommon.Get, "EXORecipientPermission")]
[OutputType("ExoAdmin.RecipientPermission")]
public sealed class GetExoRecipientPermissionCommand : MailboxIdentityCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Trustee { get; set; }

    [Parameter]
    [ValidateSet("SendAs")]
    public string[]? AccessRights { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    protected override void ProcessRecord()
    {
        var identity = OptionalIdentity();
        var connection = ResolveConnection();
        var (trustee, resultSize) = (Trustee, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetRecipientPermissionsAsync(
            connection, identity, trustee, resultSize, sink, cancellation), identity);
    }
}
