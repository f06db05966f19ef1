using System;

namespace ExoAdmin.Engine.Http;

/// <summary>How hard to try again. The defaults follow the original module (5 retries, 2 s doubling).</summary>
internal sealed class RetrySettings
{
    public static readonly RetrySettings Default = new();

    public int MaxRetries { get; set; } = 5;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
}
