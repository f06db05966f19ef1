using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXOCasMailbox: client access settings of one mailbox, or all.</summary>
[Cmdlet(VerbsCommon.Get, "EXOCasMailbox", DefaultParameterSetName = IdentitySet)]
[OutputType("ExoAdmin.CasMailbox")]
public sealed class GetExoCasMailboxCommand : MailboxListCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> NotOnTheWire = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(ActiveSyncDebugLogging)] = "Debug logging of a device is turned on with Set-CASMailbox -ActiveSyncDebugLogging; no Get-EXOCasMailbox request reads it.",
        [nameof(GetImapProtocolLog)] = "Protocol logs are not read over the REST API; Get-CASMailbox -GetImapProtocolLog does it.",
        [nameof(GetPopProtocolLog)] = "Protocol logs are not read over the REST API; Get-CASMailbox -GetPopProtocolLog does it.",
        [nameof(SendLogsTo)] = "It goes with -GetImapProtocolLog and -GetPopProtocolLog, which Get-CASMailbox takes.",
        [nameof(IgnoreDefaultScope)] = "The REST API reads the whole organization already; leave it out.",
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
    [ValidateSet("All", "Minimum", "ActiveSync", "Ews", "Imap", "Mapi", "Pop", "ProtocolSettings", IgnoreCase = true)]
    public override PropertySet[]? PropertySets { get; set; }

    /// <summary>Adds the ProtocolSettings property set (the servers and settings of POP, IMAP, EWS and ActiveSync).</summary>
    [Parameter]
    public SwitchParameter ProtocolSettings { get; set; }

    /// <summary>Adds IsOptimizedForAccessibility (whether Outlook on the web uses its light, accessible version).</summary>
    [Parameter]
    public SwitchParameter ReadIsOptimizedForAccessibility { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter ActiveSyncDebugLogging { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter GetImapProtocolLog { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter GetPopProtocolLog { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    public SwitchParameter IgnoreDefaultScope { get; set; }

    /// <summary>Refused, as in Microsoft's module.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? SendLogsTo { get; set; }

    private protected override IReadOnlyDictionary<string, string> Unsupported => NotOnTheWire;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
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
        var propertySets = PropertySetNames.Of(PropertySetNames.With(PropertySets, PropertySet.ProtocolSettings, ProtocolSettings.IsPresent));
        var properties = ReadIsOptimizedForAccessibility.IsPresent ? With(Properties, "IsOptimizedForAccessibility") : Properties;
        var (filter, resultSize) = (Filter, ResultSize.ToResultSize());
        var scope = new ListScope { Anr = Anr, OrganizationalUnit = OrganizationalUnit };
        RunItem((sink, cancellation) => MailboxDetailOperations.GetCasMailboxAsync(
            connection, identity, propertySets, properties, filter, scope, resultSize, sink, cancellation), identity);
    }

    private static string[] With(string[]? properties, string property)
    {
        var list = new List<string>(properties ?? Array.Empty<string>());
        if (!list.Contains(property, StringComparer.OrdinalIgnoreCase))
        {
            list.Add(property);
        }

        return list.ToArray();
    }
}
