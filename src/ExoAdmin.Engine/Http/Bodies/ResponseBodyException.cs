using System;
using System.Globalization;
using System.IO;

namespace ExoAdmin.Engine.Http.Bodies;

internal enum BodyFailure
{
    /// <summary>More bytes than the limit (a bomb, an endless body, a server ignoring the page size).</summary>
    TooLarge,

    /// <summary>No byte for the idle timeout: a stalled connection, which may not happen again.</summary>
    Stalled,

    /// <summary>The whole body took longer than its timeout (a trickle).</summary>
    TooSlow,
}

/// <summary>A response body refused by its limits; an IOException, as a body that broke off is.</summary>
internal sealed class ResponseBodyException : IOException
{
    public ResponseBodyException(BodyFailure failure, BodyLimits limits)
        : base(Describe(failure, limits))
    {
        Failure = failure;
    }

    public BodyFailure Failure { get; }

    /// <summary>Only a stall may clear up if the same read is asked again; a bomb or a trickle will not.</summary>
    public bool IsTransient => Failure == BodyFailure.Stalled;

    private static string Describe(BodyFailure failure, BodyLimits limits) => failure switch
    {
        BodyFailure.TooLarge => string.Format(CultureInfo.InvariantCulture, "the response is larger than {0} (counted after decompression), so it was refused", Size(limits.MaxBytes)),
        BodyFailure.Stalled => string.Format(CultureInfo.InvariantCulture, "no byte of the response arrived for {0:0.#} s", limits.IdleTimeout.TotalSeconds),
        _ => string.Format(CultureInfo.InvariantCulture, "the response took more than {0:0.#} s to arrive", limits.Timeout.TotalSeconds),
    };

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Format(CultureInfo.InvariantCulture, "{0} MiB", bytes / (1024 * 1024))
        : string.Format(CultureInfo.InvariantCulture, "{0} KiB", bytes / 1024);
}
