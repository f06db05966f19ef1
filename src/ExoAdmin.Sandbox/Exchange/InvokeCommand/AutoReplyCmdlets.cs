using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-MailboxAutoReplyConfiguration.</summary>
internal sealed class GetMailboxAutoReplyConfigurationCmdlet : IReadCmdlet
{
    public string Name => "Get-MailboxAutoReplyConfiguration";

    public CmdletResult Invoke(CmdletContext context)
    {
        var mailbox = CmdletSupport.Mailbox(context);
        return CmdletResult.Of([ObjectShapes.AutoReply(mailbox, context.Tenant.State.AutoReply(mailbox.Ordinal))]);
    }
}

/// <summary>
/// Set-MailboxAutoReplyConfiguration: -AutoReplyState Enabled/Disabled/Scheduled with -StartTime and -EndTime (a
/// schedule needs EndTime after StartTime), the messages and -ExternalAudience None/Known/All; every other parameter
/// (DeclineMeetingMessage, CreateOOFEvent…) is stored as the property of its name.
/// </summary>
internal sealed class SetMailboxAutoReplyConfigurationCmdlet : IChangeCmdlet
{
    private static readonly EdmStructuredType SchemaType = EdmSchema.Instance.GetType("MailboxAutoReplyConfiguration");
    private static readonly string[] Applied = ["AutoReplyState", "StartTime", "EndTime", "InternalMessage", "ExternalMessage", "ExternalAudience"];

    public string Name => "Set-MailboxAutoReplyConfiguration";

    public PlannedChange Plan(CmdletContext context)
    {
        var p = context.Parameters;
        var mailbox = CmdletSupport.Mailbox(context);
        var state = p.GetEnum("AutoReplyState", "Microsoft.Exchange.Data.Storage.Management.OofState", "Enabled", "Disabled", "Scheduled");
        var audience = p.GetEnum("ExternalAudience", "Microsoft.Exchange.Data.Storage.Management.ExternalAudience", "None", "Known", "All");
        var start = p.GetDate("StartTime");
        var end = p.GetDate("EndTime");
        var internalMessage = p.GetString("InternalMessage", "System.String");
        var externalMessage = p.GetString("ExternalMessage", "System.String");

        AutoReplyConfiguration Change(AutoReplyConfiguration before)
        {
            var after = before with
            {
                AutoReplyState = state ?? before.AutoReplyState,
                ExternalAudience = audience ?? before.ExternalAudience,
                StartTimeUtc = start ?? before.StartTimeUtc,
                EndTimeUtc = end ?? before.EndTimeUtc,
                InternalMessage = p.Has("InternalMessage") ? internalMessage ?? string.Empty : before.InternalMessage,
                ExternalMessage = p.Has("ExternalMessage") ? externalMessage ?? string.Empty : before.ExternalMessage,
            };
            after = after with { Stored = ParameterStore.Apply(after.Stored, p, SchemaType, name => ObjectShapes.AutoReply(mailbox, after).ValueOf(name), Applied) };
            if (after.AutoReplyState == "Scheduled" && after.EndTimeUtc <= after.StartTimeUtc)
            {
                throw new ExchangeErrorException(ExchangeErrors.InvalidOperation("The EndTime must be later than the StartTime.", mailbox.Name));
            }

            return after;
        }

        _ = Change(context.Tenant.State.AutoReply(mailbox.Ordinal));
        return new PlannedChange(Confirmations.Of(context, mailbox.Name), () =>
        {
            var same = false;
            context.Tenant.State.SetAutoReply(mailbox.Ordinal, before =>
            {
                var after = Change(before);
                same = Same(before, after);
                return after;
            });
            return same ? CmdletResult.Of([], CmdletSupport.NoChangeWarning(mailbox.Name)) : CmdletResult.Of([]);
        });
    }

    private static bool Same(AutoReplyConfiguration a, AutoReplyConfiguration b) =>
        a.AutoReplyState == b.AutoReplyState && a.StartTimeUtc == b.StartTimeUtc && a.EndTimeUtc == b.EndTimeUtc && a.InternalMessage == b.InternalMessage
        && a.ExternalMessage == b.ExternalMessage && a.ExternalAudience == b.ExternalAudience && a.Stored.SameAs(b.Stored);
}
