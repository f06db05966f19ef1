namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-MailboxAutoReplyConfiguration.</summary>
internal sealed class GetMailboxAutoReplyConfigurationCmdlet : ICmdlet
{
    public string Name => "Get-MailboxAutoReplyConfiguration";

    public IReadOnlyCollection<string> ParameterNames { get; } = ["Identity"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context);
        return CmdletResult.Of([ObjectShapes.AutoReply(mailbox, context.Tenant.State.AutoReply(mailbox.Ordinal))]);
    }
}

/// <summary>
/// Set-MailboxAutoReplyConfiguration -AutoReplyState Enabled/Disabled/Scheduled [-StartTime -EndTime]
/// [-InternalMessage] [-ExternalMessage] [-ExternalAudience None/Known/All]. Scheduled needs EndTime after StartTime.
/// </summary>
internal sealed class SetMailboxAutoReplyConfigurationCmdlet : ICmdlet
{
    public string Name => "Set-MailboxAutoReplyConfiguration";

    public IReadOnlyCollection<string> ParameterNames { get; } =
        ["Identity", "AutoReplyState", "StartTime", "EndTime", "InternalMessage", "ExternalMessage", "ExternalAudience"];

    public CmdletResult Invoke(CmdletContext context)
    {
        var p = context.Parameters;
        var mailbox = CmdletSupport.Mailbox(context);
        var state = p.GetEnum("AutoReplyState", "Microsoft.Exchange.Data.Storage.Management.OofState", "Enabled", "Disabled", "Scheduled");
        var audience = p.GetEnum("ExternalAudience", "Microsoft.Exchange.Data.Storage.Management.ExternalAudience", "None", "Known", "All");
        var start = p.GetDate("StartTime");
        var end = p.GetDate("EndTime");
        var internalMessage = p.GetString("InternalMessage", "System.String");
        var externalMessage = p.GetString("ExternalMessage", "System.String");
        var before = context.Tenant.State.AutoReply(mailbox.Ordinal);
        var after = before with
        {
            AutoReplyState = state ?? before.AutoReplyState,
            ExternalAudience = audience ?? before.ExternalAudience,
            StartTimeUtc = start ?? before.StartTimeUtc,
            EndTimeUtc = end ?? before.EndTimeUtc,
            InternalMessage = p.Has("InternalMessage") ? internalMessage ?? string.Empty : before.InternalMessage,
            ExternalMessage = p.Has("ExternalMessage") ? externalMessage ?? string.Empty : before.ExternalMessage,
        };
        if (after.AutoReplyState == "Scheduled" && after.EndTimeUtc <= after.StartTimeUtc)
        {
            throw new ExchangeErrorException(ExchangeErrors.InvalidOperation("The EndTime must be later than the StartTime.", mailbox.Name));
        }

        if (after == before)
        {
            return CmdletResult.Of([], CmdletSupport.NoChangeWarning(mailbox.Name));
        }

        context.Tenant.State.SetAutoReply(mailbox.Ordinal, _ => after);
        return CmdletResult.Of([]);
    }
}
