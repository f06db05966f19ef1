using System;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace ExoAdmin.Engine.Http.Bodies;

/// <summary>
/// An error answer's body, read at most <see cref="BodyLimits.ErrorBytes"/> and held as text, so the retry rules can
/// recognise §18.4's refusal by its words and the error reader can quote the service; the rest is never downloaded.
/// </summary>
internal sealed class ErrorBody : ByteArrayContent
{
    private ErrorBody(byte[] bytes)
        : base(bytes)
    {
        Text = Encoding.UTF8.GetString(bytes);
    }

    public string Text { get; }

    /// <summary>Replaces an error response's content with its first bytes, read within the body limits.</summary>
    public static async Task BufferAsync(HttpResponseMessage response, BodyLimits limits, TimeProvider time, CancellationToken cancellationToken)
    {
        if (response.Content is null or ErrorBody)
        {
            return;
        }

        var original = response.Content;
        byte[] bytes;
        try
        {
            bytes = await BoundedBody.ReadPrefixAsync(original, BodyLimits.ErrorBytes, limits, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.IO.IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            bytes = Array.Empty<byte>(); // the status says enough; a broken error body adds nothing
        }

        var buffered = new ErrorBody(bytes);
        foreach (var header in original.Headers)
        {
            buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        buffered.Headers.ContentLength = bytes.Length;
        response.Content = buffered;
    }

    public static string? TextOf(HttpResponseMessage response) => (response.Content as ErrorBody)?.Text;
}
