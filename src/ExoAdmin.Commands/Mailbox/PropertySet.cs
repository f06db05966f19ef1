using System;
using System.Linq;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>The property sets Get-EXOMailbox can ask for (protocol notes §6.3).</summary>
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
}

/// <summary>The PropertySet query option's values from a cmdlet's -PropertySets.</summary>
internal static class PropertySetNames
{
    /// <summary>Each set once, by name; null when none was given (the service then answers Minimum).</summary>
    public static string[]? Of<TPropertySet>(TPropertySet[]? sets)
        where TPropertySet : struct, Enum =>
        sets?.Select(set => set.ToString()).Distinct().ToArray();
}
