using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using ExoAdmin.Commands.Mailbox;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Completion;

/// <summary>Shared matching: case-insensitive prefix, values quoted when they need it.</summary>
public abstract class ExoCompleter : IArgumentCompleter
{
    public abstract IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters);

    /// <summary>The entry the registered script block calls: the completer of this parameter name (CompleterRegistration).</summary>
    public static IEnumerable<CompletionResult> Complete(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompleterRegistration.For(parameterName)?.CompleteArgument(commandName, parameterName, wordToComplete, commandAst, fakeBoundParameters)
        ?? Enumerable.Empty<CompletionResult>();

    internal static string Unquote(string? word) => (word ?? string.Empty).Trim('\'', '"');

    internal static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete, Func<string, string>? toolTip = null)
    {
        var word = Unquote(wordToComplete);
        return values
            .Where(v => v.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, toolTip?.Invoke(v) ?? v));
    }

    /// <summary>Bare when PowerShell reads it back as the same word (alex@contoso.com), else single-quoted.</summary>
    internal static string Quote(string value) =>
        value.Length > 0 && value.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '#', '|', '&', '<', '>' }) < 0 && value[0] is not ('@' or '-')
            ? value
            : "'" + value.Replace("'", "''") + "'";

    /// <summary>The runspace's connections; none when there is no runspace to ask.</summary>
    internal static IReadOnlyList<ExoConnection> OpenConnections()
    {
        try
        {
            return RunspaceSessions.Current.Connections;
        }
        catch (InvalidOperationException)
        {
            return Array.Empty<ExoConnection>();
        }
    }
}

/// <summary>-ConnectionId: the open connections, described by organization and prefix.</summary>
public sealed class ConnectionIdCompleter : ExoCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connections = OpenConnections().ToDictionary(c => c.ConnectionId, StringComparer.OrdinalIgnoreCase);
        return Matching(connections.Keys, wordToComplete, id =>
        {
            var c = connections[id];
            return c.Prefix.Length > 0 ? $"{c.Organization} (prefix {c.Prefix}, {c.Name})" : $"{c.Organization} ({c.Name})";
        });
    }
}

/// <summary>-ModulePrefix and -Prefix: the prefixes of the open connections.</summary>
public sealed class PrefixCompleter : ExoCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var connections = OpenConnections().Where(c => c.Prefix.Length > 0).ToList();
        return Matching(connections.Select(c => c.Prefix).Distinct(StringComparer.OrdinalIgnoreCase), wordToComplete, p => connections.First(c => c.Prefix == p).Organization ?? p);
    }
}

/// <summary>-PropertySets: the property sets of the cmdlet being completed (each Get-EXO* cmdlet's ValidateSet names its own).</summary>
public sealed class PropertySetCompleter : ExoCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Matching(CompleterRegistration.ValidValues(commandName, parameterName) ?? Enum.GetNames(typeof(PropertySet)), wordToComplete);
}

/// <summary>-RecipientTypeDetails: mailbox subtypes for mailbox cmdlets, every recipient subtype otherwise.</summary>
public sealed class RecipientTypeDetailsCompleter : ExoCompleter
{
    internal static readonly string[] MailboxTypes =
    {
        "DiscoveryMailbox", "EquipmentMailbox", "GroupMailbox", "LegacyMailbox", "LinkedMailbox", "LinkedRoomMailbox",
        "RoomMailbox", "SchedulingMailbox", "SharedMailbox", "TeamMailbox", "UserMailbox",
    };

    internal static readonly string[] OtherRecipientTypes =
    {
        "DynamicDistributionGroup", "GuestMailUser", "MailContact", "MailForestContact", "MailNonUniversalGroup", "MailUniversalDistributionGroup",
        "MailUniversalSecurityGroup", "MailUser", "PublicFolder", "PublicFolderMailbox", "RemoteEquipmentMailbox", "RemoteRoomMailbox",
        "RemoteSharedMailbox", "RemoteTeamMailbox", "RemoteUserMailbox", "RoomList", "User",
    };

    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IEnumerable<string> values = CompleterRegistration.IsMailboxCommand(commandName) ? MailboxTypes : MailboxTypes.Concat(OtherRecipientTypes).OrderBy(v => v, StringComparer.Ordinal);
        return Matching(values, wordToComplete);
    }
}

/// <summary>-Properties: the schema's properties of the type the cmdlet returns (its [OutputType] ExoAdmin.X).</summary>
public sealed class PropertyNameCompleter : ExoCompleter
{
    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var entity = CompleterRegistration.OutputEntity(commandName);
        return entity is null ? Enumerable.Empty<CompletionResult>() : Matching(CompletionQueries.PropertyNames(entity), wordToComplete);
    }
}

/// <summary>
/// -Identity of mailbox cmdlets: mailboxes whose name, display name, alias or address starts with
/// what was typed, from one bounded request (at most 20 results, 5 seconds) on the connection the
/// command line names (-ConnectionId) or the unprefixed one. Nothing when not connected.
/// </summary>
public sealed class MailboxIdentityCompleter : ExoCompleter
{
    internal const int MaxResults = 20;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public override IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ExoConnection connection;
        try
        {
            connection = ConnectionFor(commandName, fakeBoundParameters);
        }
        catch (Exception ex) when (ex is ExoException or InvalidOperationException)
        {
            return Enumerable.Empty<CompletionResult>();
        }

        IReadOnlyList<PSObject> mailboxes;
        using (var timeout = new CancellationTokenSource(Timeout))
        {
            try
            {
                mailboxes = CompletionQueries.FindMailboxesAsync(connection, Unquote(wordToComplete), MaxResults, timeout.Token).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is ExoException or OperationCanceledException)
            {
                return Enumerable.Empty<CompletionResult>(); // completion never turns into an error at the prompt
            }
        }

        var word = Unquote(wordToComplete);
        return mailboxes
            .Select(m => new
            {
                Address = m.Properties["PrimarySmtpAddress"]?.Value as string,
                Names = new[] { "Name", "DisplayName", "Alias", "PrimarySmtpAddress" }.Select(p => m.Properties[p]?.Value as string).Where(v => v is not null).ToList(),
                Display = m.Properties["DisplayName"]?.Value as string,
                Type = m.Properties["RecipientTypeDetails"]?.Value as string,
            })
            .Where(m => m.Address is not null && (word.Length == 0 || m.Names.Any(n => n!.StartsWith(word, StringComparison.OrdinalIgnoreCase))))
            .Select(m => new CompletionResult(Quote(m.Address!), m.Address, CompletionResultType.ParameterValue, $"{m.Display} <{m.Address}> {m.Type}"));
    }

    /// <summary>
    /// The tenant the command line will run against: -ConnectionId, else -ModulePrefix, else the connection whose
    /// prefixed service commands this is (Get-FabrikamMailboxPermission completes Fabrikam's mailboxes), else the
    /// unprefixed one.
    /// </summary>
    private static ExoConnection ConnectionFor(string commandName, IDictionary? fakeBoundParameters)
    {
        var sessions = RunspaceSessions.Current;
        if (fakeBoundParameters?["ConnectionId"] is string connectionId)
        {
            return sessions.Resolve(string.Empty, connectionId);
        }

        if (fakeBoundParameters?["ModulePrefix"] is string prefix)
        {
            return sessions.Resolve(prefix);
        }

        // Mailboxes are Exchange Online's: a Security & Compliance command completes them from the Exchange connection.
        return ServiceCommands.ConnectionOf(commandName, sessions) is { IsEopSession: false } own ? own : sessions.Resolve(string.Empty);
    }
}
