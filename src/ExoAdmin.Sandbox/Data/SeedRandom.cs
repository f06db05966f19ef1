using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// SplitMix64: a tiny, fast generator whose output is fixed by its seed on every platform and .NET version,
/// which System.Random does not promise. Each mailbox gets its own stream (see <see cref="ForItem"/>), so a
/// mailbox's data depends only on (seed, tenant, ordinal) and not on how many mailboxes are seeded.
/// </summary>
internal struct SeedRandom
{
    private ulong _state;

    public SeedRandom(ulong seed) => _state = seed;

    /// <summary>A 64-bit seed for one tenant under one --seed value.</summary>
    public static ulong TenantSeed(int seed, string tenantDomain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}|{tenantDomain.ToLowerInvariant()}"));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>An independent stream for item <paramref name="ordinal"/> of a tenant.</summary>
    public static SeedRandom ForItem(ulong tenantSeed, int ordinal) =>
        new(Mix(tenantSeed ^ Mix((ulong)ordinal + 1)));

    public ulong NextUInt64() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>A value in [0, maxExclusive); the modulo bias is irrelevant for test data.</summary>
    public int Next(int maxExclusive) => (int)(NextUInt64() % (ulong)maxExclusive);

    public bool Chance(double probability) => (NextUInt64() >> 11) * (1.0 / (1UL << 53)) < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A random (version 4) GUID.</summary>
    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, NextUInt64());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public DateTime NextDate(DateTime fromUtc, DateTime toUtc)
    {
        var seconds = (long)(NextUInt64() % (ulong)((toUtc - fromUtc).Ticks / TimeSpan.TicksPerSecond));
        return fromUtc.AddSeconds(seconds);
    }

    public void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
