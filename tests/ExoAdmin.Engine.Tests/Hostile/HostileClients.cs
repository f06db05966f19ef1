using System.Management.Automation;
using System.Text;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Transport;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests.Hostile;

/// <summary>ExoAdmin's client, as a connection makes it, pointed at a hostile server through the real transport (trusting the tests' CA).</summary>
internal static class HostileClients
{
    public static ExoRestClient For(LoopbackServer server, TimeProvider? time = null, Action<RetrySettings>? change = null)
    {
        var settings = new RetrySettings { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50), CircuitMinimumRequests = 1000 };
        change?.Invoke(settings);
        return new ExoRestClient(server.Root, new StaticTokenProvider(), new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:admin@contoso.test", "7.6.9", "0.1.0"), HttpTransport.Create(TestCertificates.Trust), settings, time)
        {
            Tenant = "contoso.test",
        };
    }

    public static ObjectMaterializer Mailboxes() => new(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>One mailbox of a page, as TestClients.MailboxPage writes it, with a trailing comma.</summary>
    public static byte[] Item(int i) => Utf8(TestClients.MailboxPage([i], null).Split("\"value\":[")[1].Split("]}")[0] + ",");

    public static readonly byte[] PageStart = Utf8("{\"@odata.context\":\"https://exo.test/adminapi/beta/t/$metadata#Mailbox\",\"value\":[");
}

/// <summary>Counts what the engine writes without keeping the objects (a long read must not be measured holding them).</summary>
internal sealed class CountingSink : IOperationSink, IObjectDeliveryCounter
{
    private long _objects;

    public long ObjectsDelivered => Interlocked.Read(ref _objects);

    public List<string> Verbose { get; } = new();

    public void WriteObject(object value) => Interlocked.Increment(ref _objects);

    public void WriteError(ErrorRecord error)
    {
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
        lock (Verbose)
        {
            Verbose.Add(message);
        }
    }

    public void WriteDebug(string message)
    {
    }

    public void WriteProgress(ProgressRecord record)
    {
    }

    public void WriteHost(string message)
    {
    }
}

/// <summary>
/// What some work cost in memory at its peak, measured two ways: the most live memory (bytes reachable after a full
/// collection, sampled with forced collections, so garbage not yet collected does not count and what is held does), and,
/// on Linux, the process's peak resident set (VmHWM, reset before the work through /proc/self/clear_refs) above what was
/// resident before: that one also sees a buffer allocated and dropped between two samples, and garbage the collector let
/// pile up. Both are above a baseline taken after a full collection.
/// </summary>
internal static class PeakMemory
{
    public static async Task<(T Result, long PeakBytes, long? PeakResidentBytes)> MeasureAsync<T>(Func<Task<T>> work)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var residentBefore = ResetPeakResident();
        var peak = 0L;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                await Task.Delay(20).ConfigureAwait(false); // a sampling period, not a wait for the work
            }
        });
        try
        {
            var result = await work();
            var residentPeak = residentBefore is long before && Status("VmHWM") is long high ? high - before : (long?)null;
            return (result, peak, residentPeak);
        }
        finally
        {
            done.Cancel();
            await sampler;
        }
    }

    /// <summary>Resets the process's peak resident set to its current one (Linux 4.0+), returning that; null elsewhere.</summary>
    private static long? ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return Status("VmRSS");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    private static long? Status(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }

        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; // "VmHWM:  123 kB"
    }
}
