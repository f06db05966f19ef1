using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>What tab completion asks of the engine: schema names, and a small, bounded mailbox search.</summary>
public static class CompletionQueries
{
    /// <summary>The properties of an entity type (Mailbox, Recipient...), sorted; empty for a type the schema does not know.</summary>
    public static IReadOnlyList<string> PropertyNames(string entityType)
    {
        try
        {
            return EdmModel.Instance.GetType(entityType).Properties.Select(p => p.Name).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        }
        catch (KeyNotFoundException)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> mailboxes whose Name, DisplayName, Alias or PrimarySmtpAddress
    /// starts with <paramref name="prefix"/> (any mailboxes when it is empty): one request of one
    /// page, filtered by the service, through the same path as Get-EXOMailbox.
    /// </summary>
    public static async Task<IReadOnlyList<PSObject>> FindMailboxesAsync(ExoConnection connection, string prefix, int max, CancellationToken cancellationToken)
    {
        var sink = new CollectingSink();
        var query = new MailboxQuery
        {
            Filter = MailboxFilter(prefix),
            Properties = new[] { "Name", "DisplayName", "Alias", "PrimarySmtpAddress", "RecipientTypeDetails" },
            ResultSize = ResultSize.Of(max),
        };
        await MailboxOperations.GetAsync(connection, query, sink, cancellationToken).ConfigureAwait(false);
        return sink.Objects.ToList();
    }

    /// <summary>The OPATH filter of a completion prefix; null for an empty prefix.</summary>
    internal static string? MailboxFilter(string prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            return null;
        }

        // OPATH quotes by doubling; a wildcard the admin typed is taken literally, not as a pattern.
        var literal = prefix.Trim().Replace("'", "''").Replace("*", string.Empty);
        return string.Join(" -or ", new[] { "Name", "DisplayName", "Alias", "PrimarySmtpAddress" }.Select(p => $"{p} -like '{literal}*'"));
    }

    private sealed class CollectingSink : IOperationSink
    {
        public ConcurrentQueue<PSObject> Objects { get; } = new();

        public void WriteObject(object value)
        {
            if (value is PSObject item)
            {
                Objects.Enqueue(item);
            }
        }

        public void WriteError(ErrorRecord error)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteVerbose(string message)
        {
        }

        public void WriteDebug(string message)
        {
        }

        public void WriteProgress(ProgressRecord record)
        {
        }

        public void WriteHost(string message)
        {
        }
    }
}
