using System;

namespace ExoAdmin.Engine.Http.Bodies;

/// <summary>How much of a response body is accepted, held and waited for (bytes counted after decompression).</summary>
internal sealed class BodyLimits
{
    /// <summary>One page of a collection. A 1,000-object page of every property is about 10-15 MB; four times that is refused.</summary>
    public const long PageBytes = 64L * 1024 * 1024;

    /// <summary>What a page may hold ahead of its parser: a whole ordinary page, so its next link is known early (read-ahead).</summary>
    public const long PageBufferBytes = 16L * 1024 * 1024;

    /// <summary>A single object, a change's answer, the banner or the ping.</summary>
    public const long EntityBytes = 16L * 1024 * 1024;

    /// <summary>
    /// EXOModuleFile: the psm1 of every cmdlet the role allows, with all its parameter sets (several MB for an organization
    /// administrator, §18.1), plus its format file, JSON-escaped: ten times that, read once per connect.
    /// </summary>
    public const long ModuleFileBytes = 64L * 1024 * 1024;

    /// <summary>An error answer: enough for any service message; the rest is never read.</summary>
    public const int ErrorBytes = 64 * 1024;

    public BodyLimits(long maxBytes, long bufferBytes, TimeSpan idleTimeout, TimeSpan timeout)
    {
        MaxBytes = maxBytes;
        BufferBytes = Math.Min(bufferBytes, maxBytes);
        IdleTimeout = idleTimeout;
        Timeout = timeout;
    }

    public long MaxBytes { get; }

    /// <summary>Bytes read ahead of the reader before the download waits for it.</summary>
    public long BufferBytes { get; }

    /// <summary>The longest wait for the next byte.</summary>
    public TimeSpan IdleTimeout { get; }

    /// <summary>The whole body, from its first byte to its last (time the reader held the download back does not count).</summary>
    public TimeSpan Timeout { get; }

    public static BodyLimits Page(RetrySettings settings) => new(PageBytes, PageBufferBytes, settings.BodyIdleTimeout, settings.BodyTimeout);

    /// <summary>A body read whole: all of it may be held.</summary>
    public static BodyLimits Whole(long maxBytes, RetrySettings settings) => new(maxBytes, maxBytes, settings.BodyIdleTimeout, settings.BodyTimeout);

    /// <summary>These limits for a body read whole (its reader takes nothing before the end, so all of it is held).</summary>
    public static BodyLimits ForWhole(BodyLimits limits) => new(limits.MaxBytes, limits.MaxBytes, limits.IdleTimeout, limits.Timeout);
}
