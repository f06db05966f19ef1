using System;

namespace ExoAdmin.Engine.Operations;

/// <summary>
/// The one rule that decides whether a classic cmdlet only reads or may change something. Everything that depends on it
/// asks here: whether a request may be re-sent after a transient failure, whether a lost answer leaves a change's outcome
/// unknown, whether ShouldProcess is asked, and how pipelined items fan out.
/// </summary>
/// <remarks>
/// Exchange's read cmdlets are its Get- cmdlets. Other verbs that usually only read (Test-, Search-, Export-) are counted
/// as changes on purpose: some of them act (Search-Mailbox -DeleteContent), and treating a read as a change only costs a
/// retry, while treating a change as a read could apply it twice. The sandbox's ManagementRoles.ChangesState says the same.
/// </remarks>
public static class CmdletEffect
{
    /// <summary>True for a cmdlet that only reads (Get-).</summary>
    public static bool IsReadOnly(string cmdletName) =>
        cmdletName.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
}
