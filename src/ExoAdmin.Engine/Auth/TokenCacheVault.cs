using System;
using System.Text.Json;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// The only copy of one MSAL application's token cache, in memory: MSAL reads it before every cache access and
/// writes it after each change (its cache serialization hooks), so <see cref="Clear"/> really empties the cache.
/// Nothing is written to disk. Disconnect-ExchangeOnline clears it; a cleared vault stays empty.
/// </summary>
internal sealed class TokenCacheVault
{
    private readonly object _lock = new();
    private byte[]? _blob;
    private bool _cleared;

    public void Bind(ITokenCache cache)
    {
        cache.SetBeforeAccess(args =>
        {
            lock (_lock)
            {
                args.TokenCache.DeserializeMsalV3(_cleared ? null : _blob, shouldClearExistingCache: true);
            }
        });
        cache.SetAfterAccess(args =>
        {
            if (!args.HasStateChanged)
            {
                return;
            }

            lock (_lock)
            {
                Wipe();
                _blob = _cleared ? null : args.TokenCache.SerializeMsalV3();
            }
        });
    }

    /// <summary>How many tokens (access, refresh, id) and accounts the cache holds now.</summary>
    public int EntryCount
    {
        get
        {
            lock (_lock)
            {
                if (_blob is null || _blob.Length == 0)
                {
                    return 0;
                }

                using var document = JsonDocument.Parse(_blob);
                var count = 0;
                foreach (var section in document.RootElement.EnumerateObject())
                {
                    if (section.Value.ValueKind == JsonValueKind.Object && section.Name is "AccessToken" or "RefreshToken" or "IdToken" or "Account")
                    {
                        foreach (var _ in section.Value.EnumerateObject())
                        {
                            count++;
                        }
                    }
                }

                return count;
            }
        }
    }

    /// <summary>Drops every entry (its bytes zeroed first) and keeps the cache empty from now on.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _cleared = true;
            Wipe();
        }
    }

    private void Wipe()
    {
        if (_blob is not null)
        {
            Array.Clear(_blob, 0, _blob.Length);
            _blob = null;
        }
    }
}
