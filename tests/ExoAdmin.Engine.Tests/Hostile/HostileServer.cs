namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>
/// The request path against a real HTTPS server on loopback that misbehaves (<see cref="LoopbackServer"/>): real TLS,
/// bodies of tens of MB, peak memory sampled with full collections. Seconds each, so they run in the Sandbox tier (the
/// in-process servers) and the Unit tier stays the quick one.
/// </summary>
internal static class HostileServer
{
    public const string Category = "Hostile";
}
