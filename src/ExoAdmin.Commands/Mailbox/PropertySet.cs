using System;
using System.Linq;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// The property sets of the Get-EXO* cmdlets (notes §6.3), one type for all of them as in Microsoft's module; each
/// cmdlet's -PropertySets takes only its own (a ValidateSet), so a set another cmdlet has is refused before sending.
/// </summary>
public enum PropertySet
{
    All,
    Minimum,
    AddressList,
    Archive,
    Audit,
    Custom,
    Delivery,
    Hold,
    Moderation,
    Move,
    Policy,
    PublicFolder,
    Quota,
    Resource,
    Retention,
    SCL,
    SoftDelete,
    StatisticsSeed,
    ActiveSync,
    Ews,
    Imap,
    Mapi,
    Pop,
    ProtocolSettings,
    MailboxMove,
}

/// <summary>The PropertySet query option's values from a cmdlet's -PropertySets.</summary>
internal static class PropertySetNames
{
    /// <summary>Each set once, by name; null when none was given (the service then answers Minimum).</summary>
    public static string[]? Of(PropertySet[]? sets) => sets?.Select(set => set.ToString()).Distinct().ToArray();

    /// <summary>Adds a set a switch stands for (Get-EXOCasMailbox -ProtocolSettings), keeping those already asked for.</summary>
    public static PropertySet[]? With(PropertySet[]? sets, PropertySet extra, bool add) =>
        !add ? sets : (sets ?? Array.Empty<PropertySet>()).Concat(new[] { extra }).Distinct().ToArray();
}
