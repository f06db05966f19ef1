namespace ExoAdmin.Commands.Mailbox;

/// <summary>Which folders Get-EXOMailboxFolderStatistics -Folderscope reports: Exchange's ElcFolderType, as the service names them.</summary>
public enum ElcFolderType
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
