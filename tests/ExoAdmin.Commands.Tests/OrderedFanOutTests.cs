using System.Collections.Concurrent;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Commands.Tests;

/// <summary>
/// Pipelined items run concurrently, but what the pipeline sees must be exactly the sequential run: item k's objects,
/// errors, warnings and verbose lines all before item k+1's, written on the pipeline thread only.
/// </summary>
public class OrderedFanOutTests
{
    /// <summary>Item i writes verbose, an object (or an error for the failing ones), then a warning, after a delay that makes later items finish first.</summary>
    private static Func<Engine.Operations.IOperationSink, CancellationToken, Task> Item(int i, int delayMs, bool fails = false) => async (sink, cancellation) =>
    {
        sink.WriteVerbose($"v{i}");
        await Task.Delay(delayMs, cancellation);
        if (fails)
        {
            sink.WriteError(new ExoException($"e{i}", "NotFound", ErrorCategory.ObjectNotFound, i).ToErrorRecord());
        }
        else
        {
            sink.WriteObject(i);
        }

        sink.WriteWarning($"w{i}");
    };

    private static List<string> Sequential(IEnumerable<int> items, Func<int, bool>? fails = null) =>
        items.SelectMany(i => new[] { $"verbose v{i}", fails?.Invoke(i) == true ? $"error e{i}" : $"object {i}", $"warning w{i}" }).ToList();

    [Fact]
    public void Output_follows_input_order_when_items_complete_out_of_order()
    {
        var runtime = new RecordingRuntime();
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        using var fanOut = new OrderedFanOut(4, CancellationToken.None, showProgress: false, isChange: false);
        var pipelineThread = Environment.CurrentManagedThreadId;

        for (var i = 0; i < 12; i++)
        {
            // Descending delays inside each window: item 0 is the slowest of its group.
            fanOut.Dispatch(cmdlet, Item(i, 80 - (i % 4) * 20));
        }

        fanOut.Complete(cmdlet);

        Assert.Equal(Sequential(Enumerable.Range(0, 12)), runtime.Lines);
        Assert.Equal(new HashSet<int> { pipelineThread }, runtime.WriterThreads);
    }

    [Fact]
    public void A_non_terminating_error_keeps_its_place_between_the_items_around_it()
    {
        var runtime = new RecordingRuntime();
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        using var fanOut = new OrderedFanOut(8, CancellationToken.None, showProgress: false, isChange: true);

        for (var i = 0; i < 10; i++)
        {
            fanOut.Dispatch(cmdlet, Item(i, i == 5 ? 100 : 10, fails: i == 5));
        }

        fanOut.Complete(cmdlet);

        Assert.Equal(Sequential(Enumerable.Range(0, 10), i => i == 5), runtime.Lines);
    }

    [Fact]
    public void No_more_than_the_window_is_ever_in_flight()
    {
        var cmdlet = new TestCmdlet { CommandRuntime = new RecordingRuntime() };
        using var fanOut = new OrderedFanOut(3, CancellationToken.None, showProgress: false, isChange: false);
        int running = 0, peak = 0;

        for (var i = 0; i < 20; i++)
        {
            var n = i;
            fanOut.Dispatch(cmdlet, async (sink, cancellation) =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref peak, now);
                await Task.Delay(5 + (n % 3) * 5, cancellation);
                Interlocked.Decrement(ref running);
                sink.WriteObject(n);
            });
            Assert.True(fanOut.Pending <= 3);
        }

        fanOut.Complete(cmdlet);

        Assert.Equal(3, peak);
    }

    [Fact]
    public void A_stopped_pipeline_cancels_and_awaits_every_item_in_flight()
    {
        var runtime = new RecordingRuntime(stopAfter: 2);
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        var fanOut = new OrderedFanOut(8, CancellationToken.None, showProgress: false, isChange: false);
        var started = 0;
        var finished = new ConcurrentBag<int>();
        var cancelled = new ConcurrentBag<int>();

        Assert.Throws<PipelineStoppedException>(() =>
        {
            for (var i = 0; i < 20; i++)
            {
                var n = i;
                fanOut.Dispatch(cmdlet, async (sink, cancellation) =>
                {
                    Interlocked.Increment(ref started);
                    try
                    {
                        if (n < 2)
                        {
                            // The first two finish once the whole window is in flight; the pipeline stops at the second.
                            while (Volatile.Read(ref started) < 8)
                            {
                                await Task.Delay(1, cancellation);
                            }
                        }
                        else
                        {
                            await Task.Delay(10_000, cancellation);
                        }

                        sink.WriteObject(n);
                    }
                    catch (OperationCanceledException)
                    {
                        cancelled.Add(n);
                        throw;
                    }
                    finally
                    {
                        finished.Add(n);
                    }
                });
            }

            fanOut.Complete(cmdlet);
        });

        // The others in flight (2 to 7, and 8 if it got going after item 0 made room) were cancelled and had ended
        // before the stop returned; only the first two were written.
        Assert.Equal(new[] { "object 0", "object 1" }, runtime.Lines);
        Assert.Subset(new HashSet<int>(cancelled), new HashSet<int> { 2, 3, 4, 5, 6, 7 });
        Assert.Equal(Volatile.Read(ref started), finished.Count);
        Assert.Equal(finished.Count, cancelled.Count + 2);
        Assert.Equal(0, fanOut.Pending);
        fanOut.Dispose();
    }

    [Fact]
    public void Disposing_mid_run_cancels_and_awaits_items_in_flight()
    {
        var cmdlet = new TestCmdlet { CommandRuntime = new RecordingRuntime() };
        var fanOut = new OrderedFanOut(4, CancellationToken.None, showProgress: false, isChange: false);
        int started = 0, ended = 0;
        for (var i = 0; i < 4; i++)
        {
            fanOut.Dispatch(cmdlet, async (_, cancellation) =>
            {
                Interlocked.Increment(ref started);
                try
                {
                    await Task.Delay(10_000, cancellation);
                }
                finally
                {
                    Interlocked.Increment(ref ended);
                }
            });
        }

        SpinWait.SpinUntil(() => Volatile.Read(ref started) == 4, 5_000);
        fanOut.Dispose(); // what ExoCmdlet.Dispose does when the pipeline stopped before EndProcessing

        Assert.Equal(4, Volatile.Read(ref ended));
    }

    [Fact]
    public void A_terminating_failure_of_a_read_surfaces_in_order_and_drops_later_output()
    {
        var runtime = new RecordingRuntime();
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        using var fanOut = new OrderedFanOut(4, CancellationToken.None, showProgress: false, isChange: false);

        var error = Assert.Throws<ExoException>(() =>
        {
            for (var i = 0; i < 8; i++)
            {
                var n = i;
                fanOut.Dispatch(cmdlet, n == 2
                    ? async (sink, cancellation) =>
                    {
                        sink.WriteObject(n);
                        await Task.Delay(30, cancellation);
                        throw new ExoException("connection lost", "ConnectionFailed", ErrorCategory.ConnectionError, null);
                    }
                    : Item(n, 1));
            }

            fanOut.Complete(cmdlet);
        });

        Assert.Equal("connection lost", error.Message);
        Assert.Equal(Sequential(new[] { 0, 1 }).Append("object 2"), runtime.Lines);
    }

    [Fact]
    public void A_terminating_failure_of_a_change_awaits_the_later_items_and_reports_what_became_of_them()
    {
        var runtime = new RecordingRuntime();
        var cmdlet = new TestCmdlet { CommandRuntime = runtime };
        using var fanOut = new OrderedFanOut(3, CancellationToken.None, showProgress: false, isChange: true);
        var applied = new ConcurrentBag<int>();

        Assert.Throws<ExoException>(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                var n = i;
                fanOut.Dispatch(cmdlet, async (sink, cancellation) =>
                {
                    await Task.Delay(n == 0 ? 50 : 100, CancellationToken.None); // later items are slower: still in flight
                    if (n == 0)
                    {
                        throw new ExoException("service unavailable", "ServerError", ErrorCategory.ConnectionError, "a");
                    }

                    applied.Add(n);
                    sink.WriteObject(n);
                }, target: ((char)('a' + n)).ToString());
            }

            fanOut.Complete(cmdlet);
        });

        Assert.Equal(new[] { 1, 2 }, applied.OrderBy(n => n));
        Assert.Equal(new[]
        {
            "warning 'b' was already sent when 'a' failed; it completed.",
            "warning 'c' was already sent when 'a' failed; it completed.",
        }, runtime.Lines);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
