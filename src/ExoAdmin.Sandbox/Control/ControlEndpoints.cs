using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// The sandbox's own control operations, under <c>/_sandbox/</c> on the main listener: things a test or benchmark
/// asks of the sandbox itself rather than of Exchange or Entra. Every call must carry the run's control key
/// (printed in the ready line as <c>control.key</c>) in the <c>X-Sandbox-Control-Key</c> header; a missing or
/// wrong key is 401 and changes nothing. No latency is added here.
/// <list type="bullet">
/// <item><c>GET /_sandbox/stats</c>: <c>{"total":N,"requests":{"GET /path('*')":n,…}}</c> (see <see cref="RequestCounter"/>).</item>
/// <item><c>DELETE /_sandbox/stats</c>: sets the counts back to zero (204).</item>
/// </list>
/// </summary>
internal sealed class ControlEndpoints(RequestCounter counter)
{
    public const string PathPrefix = "/_sandbox";
    public const string KeyHeader = "X-Sandbox-Control-Key";

    /// <summary>The run's control key: 32 random hex digits, new on every start.</summary>
    public string Key { get; } = RandomNumberGenerator.GetHexString(32, lowercase: true);

    public void Map(WebApplication app)
    {
        var control = app.MapGroup(PathPrefix).AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext.Request)
                ? await next(context)
                : Results.Json(new { error = "unauthorized", error_description = $"The control endpoint needs the run's key in {KeyHeader}." }, statusCode: StatusCodes.Status401Unauthorized));
        control.MapGet("/stats", Stats);
        control.MapDelete("/stats", () =>
        {
            counter.Reset();
            return Results.NoContent();
        });
    }

    /// <summary>Counts the request unless it is a control call.</summary>
    public void Observe(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            counter.Count(request);
        }
    }

    private async Task Stats(HttpContext context)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonDefaults.WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("total", counter.Total);
        writer.WriteStartObject("requests");
        foreach (var (shape, count) in counter.Snapshot())
        {
            writer.WriteNumber(shape, count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    private bool Authorized(HttpRequest request)
    {
        var given = request.Headers[KeyHeader].ToString();
        return given.Length == Key.Length
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(given), Encoding.ASCII.GetBytes(Key));
    }
}
