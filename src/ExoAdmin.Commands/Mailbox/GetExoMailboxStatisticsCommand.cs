using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXOMailboxStatistics: sizes and item counts; TotalItemSize prints like "235.5 MB (246,913,578 bytes)".</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxStatistics")]
[OutputType("ExoAdmin.MailboxStatistics")]
public sealed class GetExoMailboxStatisticsCommand : GetExoCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(IncludeMoveHistory)] = "The service's statistics carry no move history; Get-MailboxStatistics -IncludeMoveHistory reads it.",
        [nameof(IncludeMoveReport)] = "The service's statistics carry no move report; Get-MailboxStatistics -IncludeMoveReport reads it.",
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
    [ValidateSet("All", "Minimum", IgnoreCase = true)]
    public PropertySet[]? PropertySets { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Properties { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter IncludeMoveHistory { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter IncludeMoveReport { get; set; }

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

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
