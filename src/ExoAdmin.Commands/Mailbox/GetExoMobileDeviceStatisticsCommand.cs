using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// Get-EXOMobileDeviceStatistics: the phones and tablets that sync with a mailbox (-Mailbox, or -UserPrincipalName,
/// -PrimarySmtpAddress, -ExternalDirectoryObjectId, so Get-EXOMailbox output pipes in), or one device by -Identity.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOMobileDeviceStatistics", DefaultParameterSetName = IdentitySet)]
[OutputType("ExoAdmin.MobileDeviceStatistics")]
public sealed class GetExoMobileDeviceStatisticsCommand : GetExoCmdlet
{
    private const string IdentitySet = "Identity";
    private const string MailboxSet = "MobileDeviceIdentity";

    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(GetMailboxLog)] = ReservedForMicrosoft,
        [nameof(NotificationEmailAddresses)] = ReservedForMicrosoft,
        [nameof(ShowRecoveryPassword)] = ReservedForMicrosoft,
    };

    /// <summary>One device, by its GUID or device id (read through GetMobileDeviceStatisticsByIdentity).</summary>
    [Parameter(ParameterSetName = IdentitySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>The mailbox whose devices to list.</summary>
    [Parameter(ParameterSetName = MailboxSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Mailbox { get; set; }

    [Parameter]
    public SwitchParameter ActiveSync { get; set; }

    [Parameter]
    public SwitchParameter OWAforDevices { get; set; }

    [Parameter]
    public SwitchParameter RestApi { get; set; }

    [Parameter]
    public SwitchParameter UniversalOutlook { get; set; }

    /// <summary>Refused, as in Microsoft's module: reserved for Microsoft's own use.</summary>
    [Parameter]
    public SwitchParameter GetMailboxLog { get; set; }

    /// <summary>Refused, as in Microsoft's module: reserved for Microsoft's own use.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? NotificationEmailAddresses { get; set; }

    /// <summary>Refused, as in Microsoft's module: reserved for Microsoft's own use.</summary>
    [Parameter]
    public SwitchParameter ShowRecoveryPassword { get; set; }

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var filters = new MobileDeviceFilters(ActiveSync.IsPresent, OWAforDevices.IsPresent, RestApi.IsPresent, UniversalOutlook.IsPresent);
        // A piped mailbox binds -Identity (its Identity) and the mailbox's own names together: the mailbox wins, as a
        // device is only read by -Identity when nothing names a mailbox.
        var mailbox = NullIfEmpty(Mailbox) ?? NullIfEmpty(ExternalDirectoryObjectId?.ToString()) ?? NullIfEmpty(UserPrincipalName) ?? NullIfEmpty(PrimarySmtpAddress);
        if (mailbox is not null)
        {
            RunItem((sink, cancellation) => MobileDeviceOperations.GetMobileDevicesAsync(connection, mailbox, filters, sink, cancellation), mailbox);
            return;
        }

        var device = RequireDevice();
        RunItem((sink, cancellation) => MobileDeviceOperations.GetMobileDeviceAsync(connection, device, filters, sink, cancellation), device);
    }

    private string RequireDevice() =>
        NullIfEmpty(Identity) ?? Guard<string>(() => throw Engine.Errors.Failures.InvalidArgument(
            "Get-EXOMobileDeviceStatistics needs a mailbox (-Mailbox, -UserPrincipalName, -PrimarySmtpAddress, -ExternalDirectoryObjectId, or mailboxes piped in) or a device (-Identity).",
            "IdentityMissing", null));
}
