using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXOMailboxFolderStatistics: per-folder sizes and item counts.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxFolderStatistics")]
[OutputType("ExoAdmin.MailboxFolderStatistics")]
public sealed class GetExoMailboxFolderStatisticsCommand : GetExoCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(DiagnosticInfo)] = ReservedForMicrosoft,
    };

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public override string? Identity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? UserPrincipalName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? PrimarySmtpAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    /// <summary>ExoAdmin's addition: the mailbox by ExchangeGuid (the statistics' MailboxGuid), first in precedence.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExchangeGuid { get; set; }

    /// <summary>Which folders: All (the default), or one kind such as Inbox or Calendar.</summary>
    [Parameter]
    public ElcFolderType Folderscope { get; set; } = ElcFolderType.All;

    [Parameter]
    public SwitchParameter Archive { get; set; }

    [Parameter]
    public SwitchParameter IncludeOldestAndNewestItems { get; set; }

    [Parameter]
    public SwitchParameter IncludeSoftDeletedRecipients { get; set; }

    /// <summary>Refused, as in Microsoft's module: reserved for Microsoft's own use.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DiagnosticInfo { get; set; }

    /// <summary>ExoAdmin's addition: at most this many folders (1000 by default, or Unlimited).</summary>
    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

    protected override void ProcessRecord()
    {
        var identity = RequireIdentity(ExchangeGuid?.ToString() ?? ExternalDirectoryObjectId?.ToString());
        var connection = ResolveConnection();
        var (folderScope, archive, oldestAndNewest, softDeleted, resultSize) =
            (Folderscope.ToString(), Archive.IsPresent, IncludeOldestAndNewestItems.IsPresent, IncludeSoftDeletedRecipients.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetFolderStatisticsAsync(
            connection, identity, folderScope, archive, oldestAndNewest, softDeleted, resultSize, sink, cancellation), identity);
    }
}
