using System;

namespace ExoAdmin.Engine.Auth;

/// <summary>A bearer token and when it stops being valid. ToString never shows the token.</summary>
public sealed class AccessToken
{
    /// <param name="acquiredOn">When the provider got it, by the provider's clock: the lifetime renewal counts from.</param>
    public AccessToken(string value, DateTimeOffset expiresOn, string? tenantId, DateTimeOffset acquiredOn)
    {
        Value = value;
        ExpiresOn = expiresOn;
        TenantId = tenantId;
        AcquiredOn = acquiredOn;
    }

    /// <summary>
    /// A token a library (MSAL, Azure.Identity) just handed out, with the expiry it reckoned by the system clock, on the
    /// provider's clock: the lifetime left carries over, so a test's moved clock (a sandbox's) sees a fresh token too.
    /// </summary>
    internal static AccessToken Acquired(string value, DateTimeOffset expiresOnSystemClock, string? tenantId, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var left = expiresOnSystemClock - TimeProvider.System.GetUtcNow();
        return new AccessToken(value, ReferenceEquals(time, TimeProvider.System) ? expiresOnSystemClock : now + left, tenantId, now);
    }

    internal string Value { get; }

    public DateTimeOffset ExpiresOn { get; }

    public DateTimeOffset AcquiredOn { get; }

    public string? TenantId { get; }

    /// <summary>
    /// Renew before expiry: 10 minutes early as the original module does, or a fifth of the
    /// lifetime for short-lived tokens, so a renewal never lands on an already-expired token.
    /// </summary>
    public bool NeedsRenewal(DateTimeOffset now)
    {
        var lifetime = ExpiresOn - AcquiredOn;
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(10).Ticks, lifetime.Ticks / 5));
        return now >= ExpiresOn - margin;
    }

    /// <summary>
    /// The token renewed by another caller since <paramref name="seen"/> was handed out, if it is still fresh at
    /// <paramref name="now"/>; null when this caller must renew itself. Requests refused with the same token then share
    /// one renewal.
    /// </summary>
    internal static AccessToken? RenewedSince(AccessToken? current, AccessToken? seen, DateTimeOffset now) =>
        current is not null && !ReferenceEquals(current, seen) && !current.NeedsRenewal(now) ? current : null;

    public override string ToString() => $"AccessToken(expires {ExpiresOn:u})";
}
