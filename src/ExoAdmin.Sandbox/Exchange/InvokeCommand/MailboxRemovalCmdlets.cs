namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// Remove-Mailbox -Identity: the mailbox is soft-deleted, as Exchange Online does for 30 days: gone from every list
/// and lookup, listed by Get-Mailbox -SoftDeletedMailbox, back with Undo-SoftDeletedMailbox.
/// </summary>
internal sealed class RemoveMailboxCmdlet : IChangeCmdlet
{
    public string Name => "Remove-Mailbox";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledSet(context, "Identity", "Default");
        var mailbox = CmdletSupport.Mailbox(context);
        var message = $"Removing the mailbox \"{mailbox.Name}\" will remove the Microsoft account and mark the mailbox and the account for deletion.";
        return new PlannedChange(message, () =>
        {
            context.Tenant.State.UpdateMailbox(mailbox.Ordinal, m => m with { SoftDeletedUtc = DateTime.UtcNow, WhenChangedUtc = DateTime.UtcNow });
            return CmdletResult.Of([]);
        });
    }
}

/// <summary>Undo-SoftDeletedMailbox -SoftDeletedObject: the soft-deleted mailbox is back in the tenant.</summary>
internal sealed class UndoSoftDeletedMailboxCmdlet : IChangeCmdlet
{
    public string Name => "Undo-SoftDeletedMailbox";

    public PlannedChange Plan(CmdletContext context)
    {
        CmdletSupport.RequireModelledSet(context, "SoftDeletedMailbox");
        CmdletSupport.RequireModelledParameters(context, "SoftDeletedObject");
        var identity = context.Parameters.GetString("SoftDeletedObject", CmdletSupport.MailboxIdType)!;
        var matches = context.Tenant.Mailboxes.FindSoftDeleted(identity);
        var mailbox = matches.Count == 1 ? matches[0] : throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(identity, context.Tenant.Tenant));
        return new PlannedChange(Confirmations.Of(context, mailbox.Name, "SoftDeletedObject"), () =>
        {
            context.Tenant.State.UpdateMailbox(mailbox.Ordinal, m => m with { SoftDeletedUtc = null, WhenChangedUtc = DateTime.UtcNow });
            return CmdletResult.Of([]);
        });
    }
}
