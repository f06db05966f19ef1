using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// The connections of one PowerShell runspace, keyed by prefix ("" is the unprefixed one).
/// Runspaces never share a manager, so ForEach-Object -Parallel blocks cannot see or replace
/// each other's tenants.
/// </summary>
public sealed class SessionManager
{
    private readonly object _gate = new();
    // Keyed by ExoConnection.SlotKey: "exo:" or "ipps:" and the prefix, so an IPPS connection sits next to an Exchange one.
    private readonly Dictionary<string, ExoConnection> _byPrefix = new(StringComparer.OrdinalIgnoreCase);
    private int _lastId;

    public IReadOnlyList<ExoConnection> Connections
    {
        get
        {
            lock (_gate)
            {
                return _byPrefix.Values.OrderBy(c => c.Id).ToList();
            }
        }
    }

    /// <summary>Numbers connections 1, 2, ... as ExchangeOnline_N names them.</summary>
    internal int NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Adds a connection; one with the same prefix is replaced and disposed, as reconnecting does.</summary>
    public void Add(ExoConnection connection)
    {
        ExoConnection? replaced;
        lock (_gate)
        {
            _byPrefix.TryGetValue(connection.SlotKey, out replaced);
            _byPrefix[connection.SlotKey] = connection;
        }

        replaced?.Dispose();
    }

    /// <summary>
    /// The connection a cmdlet should use. By prefix (the cmdlet's own, "" when unprefixed) or by
    /// ConnectionId; never a guess: with only prefixed connections an unprefixed call fails.
    /// </summary>
    /// <param name="compliance">True for Security &amp; Compliance cmdlets, which use Connect-IPPSSession's connections.</param>
    public ExoConnection Resolve(string? prefix, string? connectionId = null, bool compliance = false)
    {
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(connectionId))
            {
                var byId = _byPrefix.Values.FirstOrDefault(c => string.Equals(c.ConnectionId, connectionId, StringComparison.OrdinalIgnoreCase))
                    ?? throw new ExoException($"There is no connection with ConnectionId '{connectionId}'. Get-ConnectionInformation lists the open ones.", "ConnectionNotFound", System.Management.Automation.ErrorCategory.ObjectNotFound, connectionId);
                if (byId.IsEopSession != compliance)
                {
                    throw new ExoException(
                        $"The connection '{connectionId}' is a {(byId.IsEopSession ? "Security & Compliance (Connect-IPPSSession)" : "Exchange Online (Connect-ExchangeOnline)")} connection; this cmdlet needs a {(compliance ? "Security & Compliance" : "Exchange Online")} one.",
                        "WrongConnectionKind", System.Management.Automation.ErrorCategory.InvalidArgument, connectionId);
                }

                return byId;
            }

            var kind = compliance ? "ipps:" : "exo:";
            if (_byPrefix.TryGetValue(kind + (prefix ?? string.Empty), out var connection))
            {
                return connection;
            }

            var sameKind = _byPrefix.Values.Where(c => c.IsEopSession == compliance).ToList();
            if (string.IsNullOrEmpty(prefix) && sameKind.Count > 0)
            {
                var prefixes = string.Join(", ", sameKind.Select(c => c.Prefix).OrderBy(k => k, StringComparer.OrdinalIgnoreCase));
                throw new ExoException(
                    $"There is no unprefixed connection, only connections with the prefixes {prefixes}. Use the prefixed cmdlets or -ConnectionId to say which tenant you mean.",
                    "AmbiguousConnection", System.Management.Automation.ErrorCategory.InvalidOperation, null);
            }

            throw compliance ? Failures.NotConnectedToCompliance(prefix) : Failures.NotConnected(prefix);
        }
    }

    /// <summary>The connections named by id or prefix; all of them when both lists are empty.</summary>
    public IReadOnlyList<ExoConnection> Select(IReadOnlyCollection<string>? connectionIds, IReadOnlyCollection<string>? prefixes)
    {
        var selectAll = (connectionIds is null || connectionIds.Count == 0) && (prefixes is null || prefixes.Count == 0);
        return Connections.Where(c =>
                selectAll ||
                (connectionIds?.Contains(c.ConnectionId, StringComparer.OrdinalIgnoreCase) ?? false) ||
                (prefixes?.Contains(c.Prefix, StringComparer.OrdinalIgnoreCase) ?? false))
            .ToList();
    }

    /// <summary>Removes and disposes one connection, forgetting its tokens.</summary>
    public void Remove(ExoConnection connection)
    {
        lock (_gate)
        {
            if (_byPrefix.TryGetValue(connection.SlotKey, out var current) && ReferenceEquals(current, connection))
            {
                _byPrefix.Remove(connection.SlotKey);
            }
        }

        connection.Dispose();
    }

    /// <summary>Forgets everything (module removal).</summary>
    public void Clear()
    {
        foreach (var connection in Select(null, null))
        {
            Remove(connection);
        }
    }
}
