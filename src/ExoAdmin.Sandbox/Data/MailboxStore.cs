namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// A tenant's mailboxes in their stable order, with the indexes Exchange identity resolution needs.
/// Changes replace a mailbox in its slot (<see cref="Replace"/>); lookups always answer the current instance.
/// Thread-safe: writers and index reads take one lock, list reads see each slot old or new, never torn.
/// </summary>
internal sealed class MailboxStore
{
    private const string SmtpPrefix = "smtp:";

    private readonly Mailbox[] _mailboxes;
    private readonly MultiIndex<string> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly MultiIndex<string> _byAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly MultiIndex<Guid> _byGuid = new(EqualityComparer<Guid>.Default);

    private readonly Lock _lock = new();

    public MailboxStore(Mailbox[] mailboxes)
    {
        _mailboxes = mailboxes;
        foreach (var mailbox in mailboxes)
        {
            _byName.Add(mailbox.Alias, mailbox);
            _byName.Add(mailbox.DisplayName, mailbox);
            _byAddress.Add(mailbox.PrimarySmtpAddress, mailbox);
            IndexAddresses(mailbox);
            _byGuid.Add(mailbox.Guid, mailbox);
            _byGuid.Add(mailbox.ExchangeGuid, mailbox);
            _byGuid.Add(mailbox.ExternalDirectoryObjectId, mailbox);
        }
    }

    /// <summary>The current instance of a mailbox.</summary>
    public Mailbox this[int ordinal] => Volatile.Read(ref _mailboxes[ordinal]);

    /// <summary>
    /// Puts a changed copy of a mailbox in its slot. GUIDs never change; a new alias, display name or proxy address
    /// is indexed, and old ones stop matching because lookups check the current instance.
    /// </summary>
    public void Replace(Mailbox updated)
    {
        lock (_lock)
        {
            _byName.Add(updated.Alias, updated);
            _byName.Add(updated.DisplayName, updated);
            IndexAddresses(updated);
            Volatile.Write(ref _mailboxes[updated.Ordinal], updated);
        }
    }

    private void IndexAddresses(Mailbox mailbox)
    {
        foreach (var address in mailbox.EmailAddresses)
        {
            // SMTP proxies are found with or without their prefix; other proxy types (SIP:…) only with it.
            _byAddress.Add(AddressKey(address), mailbox);
        }
    }

    private static string AddressKey(string address) =>
        address.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase) ? address[SmtpPrefix.Length..] : address;

    public int Count => _mailboxes.Length;

    public IReadOnlyList<Mailbox> All => From(0).ToArray();

    /// <summary>Mailboxes in stable order, starting at <paramref name="ordinal"/>; soft-deleted ones are not in the tenant's lists.</summary>
    public IEnumerable<Mailbox> From(int ordinal)
    {
        for (var i = Math.Max(ordinal, 0); i < _mailboxes.Length; i++)
        {
            if (this[i] is { SoftDeletedUtc: null } mailbox)
            {
                yield return mailbox;
            }
        }
    }

    /// <summary>The soft-deleted mailboxes (Remove-Mailbox), in stable order: what Get-Mailbox -SoftDeletedMailbox lists.</summary>
    public IEnumerable<Mailbox> SoftDeleted(int ordinal) =>
        Enumerable.Range(Math.Max(ordinal, 0), Math.Max(_mailboxes.Length - ordinal, 0)).Select(i => this[i]).Where(m => m.SoftDeletedUtc is not null);

    /// <summary>
    /// Every mailbox an identity names, as Exchange resolves -Identity (case-insensitive): alias, name,
    /// display name, UPN, any proxy address (SMTP ones with or without "smtp:"), Guid, ExchangeGuid,
    /// ExternalDirectoryObjectId, or distinguished name. Several matches mean the identity is ambiguous.
    /// </summary>
    public IReadOnlyList<Mailbox> Find(string identity) => FindAny(identity).Where(m => m.SoftDeletedUtc is null).ToArray();

    /// <summary>The soft-deleted mailboxes an identity names (Get-Mailbox -SoftDeletedMailbox -Identity, Undo-SoftDeletedMailbox).</summary>
    public IReadOnlyList<Mailbox> FindSoftDeleted(string identity) => FindAny(identity).Where(m => m.SoftDeletedUtc is not null).ToArray();

    private IReadOnlyList<Mailbox> FindAny(string identity)
    {
        lock (_lock)
        {
            return FindLocked(identity.Trim());
        }
    }

    private IReadOnlyList<Mailbox> FindLocked(string identity)
    {
        var matches = new List<Mailbox>();
        if (Guid.TryParse(identity, out var guid))
        {
            _byGuid.CollectInto(guid, matches);
            return matches.Select(m => this[m.Ordinal]).ToArray();
        }

        _byName.CollectInto(identity, matches);
        _byAddress.CollectInto(identity, matches);
        if (identity.StartsWith(SmtpPrefix, StringComparison.OrdinalIgnoreCase))
        {
            _byAddress.CollectInto(identity[SmtpPrefix.Length..], matches);
        }

        if (TryGetCommonName(identity, out var commonName))
        {
            var byCommonName = new List<Mailbox>();
            _byName.CollectInto(commonName, byCommonName);
            matches.AddRange(byCommonName.Where(m => string.Equals(m.DistinguishedName, identity, StringComparison.OrdinalIgnoreCase)));
        }

        // Index entries may be older instances: answer current ones, and drop names and addresses a change replaced.
        return matches.Select(m => m.Ordinal).Distinct().Order().Select(o => this[o])
            .Where(m => identity.StartsWith("CN=", StringComparison.OrdinalIgnoreCase) || Matches(m, identity))
            .ToArray();
    }

    private static bool Matches(Mailbox mailbox, string identity) =>
        string.Equals(mailbox.PrimarySmtpAddress, AddressKey(identity), StringComparison.OrdinalIgnoreCase)
        || mailbox.EmailAddresses.Any(a => string.Equals(AddressKey(a), AddressKey(identity), StringComparison.OrdinalIgnoreCase)
                                          || string.Equals(a, identity, StringComparison.OrdinalIgnoreCase))
        || string.Equals(mailbox.DisplayName, identity, StringComparison.OrdinalIgnoreCase)
        || string.Equals(mailbox.Alias, identity, StringComparison.OrdinalIgnoreCase);

    private static bool TryGetCommonName(string distinguishedName, out string commonName)
    {
        commonName = string.Empty;
        if (!distinguishedName.StartsWith("CN=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var end = 3;
        while (end < distinguishedName.Length && !(distinguishedName[end] == ',' && distinguishedName[end - 1] != '\\'))
        {
            end++;
        }

        commonName = distinguishedName[3..end].Replace("\\,", ",", StringComparison.Ordinal);
        return true;
    }

    /// <summary>A key → mailbox index that stores the common single match without a list.</summary>
    private sealed class MultiIndex<TKey>(IEqualityComparer<TKey> comparer)
        where TKey : notnull
    {
        private readonly Dictionary<TKey, object> _entries = new(comparer);

        public void Add(TKey key, Mailbox mailbox)
        {
            if (!_entries.TryGetValue(key, out var existing))
            {
                _entries[key] = mailbox;
            }
            else if (existing is List<Mailbox> list)
            {
                if (!list.Contains(mailbox))
                {
                    list.Add(mailbox);
                }
            }
            else if (!ReferenceEquals(existing, mailbox))
            {
                _entries[key] = new List<Mailbox> { (Mailbox)existing, mailbox };
            }
        }

        public void CollectInto(TKey key, List<Mailbox> matches)
        {
            switch (_entries.GetValueOrDefault(key))
            {
                case Mailbox mailbox:
                    matches.Add(mailbox);
                    break;
                case List<Mailbox> list:
                    matches.AddRange(list);
                    break;
            }
        }
    }
}
