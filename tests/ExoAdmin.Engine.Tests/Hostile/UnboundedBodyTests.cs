using System.IO.Compression;
using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.OData;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace ExoAdmin.Engine.Tests.Hostile;

[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured
{
}

/// <summary>
/// Finding 2: a page was held whole with no limit and gzip inflated with no limit (-ResultSize 10 against an endless
/// body grew to 2.1 GB; a 5.5 MB gzip body peaked at 1.5 GB; a 1,000,000-item page cost 300 MB for 10 objects). Now a
/// page is read only as far as ResultSize needs, and never past its cap, counted after decompression. Peak live memory
/// (sampled with full collections, this class running alone) stays under 100 MB in every case.
/// </summary>
[Trait("Category", HostileServer.Category)]
[Collection(nameof(MemoryMeasured))]
public class UnboundedBodyTests(ITestOutputHelper output)
{
    private const long MemoryLimit = 100L * 1024 * 1024;

    private static readonly Lazy<byte[]> Bomb = new(() =>
    {
        // Gzip members concatenated (as the format allows): 1,400 copies of 1 MiB of mailboxes, about 11 MB on the wire,
        // 1.4 GB inflated.
        static byte[] Member(byte[] data)
        {
            using var packed = new MemoryStream();
            using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(data);
            }

            return packed.ToArray();
        }

        using var megabyte = new MemoryStream();
        var item = HostileClients.Item(1);
        while (megabyte.Length < 1 << 20)
        {
            megabyte.Write(item);
        }

        var head = Member(HostileClients.PageStart);
        var body = Member(megabyte.ToArray());
        using var bomb = new MemoryStream();
        bomb.Write(head);
        for (var i = 0; i < 1400; i++)
        {
            bomb.Write(body);
        }

        return bomb.ToArray();
    });

    /// <summary>A page that never ends: items as fast as the connection takes them, until the client goes away.</summary>
    private static async Task Endless(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        using var chunk = new MemoryStream();
        for (var i = 1; chunk.Length < 64 * 1024; i++)
        {
            chunk.Write(HostileClients.Item(i));
        }

        var bytes = chunk.ToArray();
        try
        {
            await context.Response.Body.WriteAsync(HostileClients.PageStart, context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    /// <summary>A page of a million mailboxes, whatever page size was asked for.</summary>
    private static async Task MillionItems(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        try
        {
            await context.Response.Body.WriteAsync(HostileClients.PageStart, context.RequestAborted);
            for (var i = 1; i <= 1_000_000; i++)
            {
                await context.Response.Body.WriteAsync(HostileClients.Item(i), context.RequestAborted);
            }

            await context.Response.WriteAsync("{}]}", context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    private static async Task GzipBomb(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentEncoding = "gzip";
        try
        {
            await context.Response.Body.WriteAsync(Bomb.Value, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
        }
    }

    private async Task<(Exception? Failure, long Objects, long Peak)> ReadAsync(LoopbackServer server, ResultSize resultSize)
    {
        _ = Bomb.Value; // the test's own bytes are made before the measurement, not counted in it
        var sink = new CountingSink();
        var (failure, peak, resident) = await PeakMemory.MeasureAsync(() => Record.ExceptionAsync(() =>
            new ODataPager(HostileClients.For(server), 1000, "Get-EXOMailbox").ReadAsync(new Uri(server.Root, "/adminapi/beta/t/Mailbox"), resultSize, HostileClients.Mailboxes(), "c", sink, CancellationToken.None)));
        output.WriteLine($"{sink.ObjectsDelivered:N0} objects, peak live memory {peak / (1024.0 * 1024):N1} MiB, peak resident growth {(resident is long r ? $"{r / (1024.0 * 1024):N1} MiB" : "not measurable here")}, {failure?.Message ?? "no error"}");
        Assert.InRange(resident ?? 0, long.MinValue, MemoryLimit); // the process's own peak, where the OS tells it
        return (failure, sink.ObjectsDelivered, peak);
    }

    [Theory]
    [InlineData("endless")]
    [InlineData("million")]
    [InlineData("gzip bomb")]
    public async Task ResultSize_10_reads_10_objects_and_stops_reading_the_body(string body)
    {
        await using var server = await LoopbackServer.StartAsync(body switch { "endless" => Endless, "million" => MillionItems, _ => GzipBomb });

        var (failure, objects, peak) = await ReadAsync(server, ResultSize.Of(10));

        Assert.Null(failure);
        Assert.Equal(10, objects);
        Assert.Equal(1, server.Requests);
        Assert.InRange(peak, 0, MemoryLimit);
    }

    [Theory]
    [InlineData("endless")]
    [InlineData("gzip bomb")]
    public async Task An_unlimited_read_of_a_body_past_the_page_cap_fails_clearly_in_flat_memory(string body)
    {
        await using var server = await LoopbackServer.StartAsync(body == "endless" ? Endless : GzipBomb);

        var (failure, objects, peak) = await ReadAsync(server, ResultSize.Unlimited);

        var error = Assert.IsType<ExoException>(failure);
        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Contains($"the response is larger than {BodyLimits.PageBytes / (1024 * 1024)} MiB (counted after decompression), so it was refused", error.Message);
        Assert.Contains("/adminapi/beta/t/Mailbox", error.Message);
        Assert.InRange(objects, 1, BodyLimits.PageBytes / 200); // what arrived before the cap was written, no more
        Assert.Equal(1, server.Requests); // a refused body is not asked again
        Assert.InRange(peak, 0, MemoryLimit);
    }

    [Theory]
    [InlineData("an entity, the banner or the ping", BodyLimits.EntityBytes)]
    [InlineData("the module file", BodyLimits.ModuleFileBytes)]
    public async Task A_body_read_whole_that_never_ends_fails_at_its_cap_once_in_bounded_memory(string what, long cap)
    {
        // Finding 2: connect-time bodies (module file, banner, entities) were read whole with no limit.
        await using var server = await LoopbackServer.StartAsync(Endless);
        var call = new RestCall(HttpMethod.Get, new Uri(server.Root, "/adminapi/beta/t/EXOModuleFile"), "c");

        var (failure, peak, resident) = await PeakMemory.MeasureAsync(() => Record.ExceptionAsync(() =>
            EntityReader.ReadJsonAsync(HostileClients.For(server), call, null, cap, CancellationToken.None)));
        output.WriteLine($"{what}: peak live memory {peak / (1024.0 * 1024):N1} MiB, peak resident growth {(resident is long r ? $"{r / (1024.0 * 1024):N1} MiB" : "not measurable here")}, {failure?.Message ?? "no error"}");

        var error = Assert.IsType<ExoException>(failure);
        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
        Assert.Contains($"the response is larger than {cap / (1024 * 1024)} MiB (counted after decompression), so it was refused", error.Message);
        Assert.Equal(1, server.Requests); // a refused body is not asked again
        // A body read whole may hold its cap (64 MiB for the module file, about ten times the full catalogue's) and the
        // pipe's segments around it, never more: bounded by the cap, where it used to grow for as long as the server sent.
        var limit = Math.Max(MemoryLimit, 2 * cap);
        Assert.InRange(peak, 0, limit);
        Assert.InRange(resident ?? 0, long.MinValue, limit);
    }
}
