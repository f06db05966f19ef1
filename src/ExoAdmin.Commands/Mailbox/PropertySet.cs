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
