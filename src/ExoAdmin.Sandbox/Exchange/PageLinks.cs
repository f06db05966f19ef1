using System.Buffers.Text;
using System.Globalization;
using System.Text;
using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The $skiptoken of every next link, Get-EXO* and InvokeCommand alike, and its lifetime. The service refuses a
/// next link older than 30 minutes (§18.4); so does the sandbox, after <see cref="SandboxOptions.PageLinkLifetime"/>
/// on its <see cref="TimeProvider"/> (a test advances a fake one instead of waiting). Each link is dated when it
/// is issued, so a read that keeps up never expires however long it is. A request reads the clock once, when it
/// arrives (<see cref="ExchangeRequest"/>), and its link in and its link out are judged and dated by that one
/// reading: a request answered while a test moves the clock is wholly before the move, never half on each side
/// (honouring a link by the old time and dating the next by the new would keep a read alive across the move).
/// Opaque to clients: base64url of "ordinal:returned:issued-unix-milliseconds".
/// </summary>
internal sealed class PageLinks(Control.ServiceBehaviour behaviour, TimeProvider time)
{
    /// <summary>What the service says for a next link it no longer honours, or one it never made.</summary>
    public const string ExpiredText = "Expired or Invalid pagination request.";

    public TimeSpan Lifetime => behaviour.Current.PageLinkLifetime;

    /// <summary>The sandbox's time now, as a request reads it when it arrives.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The $skiptoken of the page that starts at <paramref name="next"/>, dated <paramref name="issued"/>.</summary>
    public string Encode(ContinuationToken next, DateTimeOffset issued) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Join(':',
            next.NextOrdinal.ToString(CultureInfo.InvariantCulture),
            next.Returned.ToString(CultureInfo.InvariantCulture),
            issued.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))));

    /// <summary>Where the page a request asks for starts: the first page without a $skiptoken.</summary>
    /// <param name="cmdletErrors">InvokeCommand answers in the §8.2 cmdlet-error shape, Get-EXO* in §8.1's.</param>
    /// <param name="at">When the request arrived: the link's age is counted to then.</param>
    /// <exception cref="ExchangeErrorException">The link has expired, or was not made here (400, the service's words).</exception>
    public ContinuationToken Resume(string? skipToken, bool cmdletErrors, DateTimeOffset at)
    {
        if (skipToken is null)
        {
            return ContinuationToken.Start;
        }

        var parts = Base64Url.IsValid(skipToken) ? Encoding.ASCII.GetString(Base64Url.DecodeFromChars(skipToken)).Split(':') : [];
        if (parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var returned)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            && at.ToUnixTimeMilliseconds() - issued <= (long)Lifetime.TotalMilliseconds)
        {
            return new ContinuationToken(ordinal, returned);
        }

        throw new ExchangeErrorException(ExchangeErrors.ExpiredPageLink(Lifetime, cmdletErrors));
    }
}
