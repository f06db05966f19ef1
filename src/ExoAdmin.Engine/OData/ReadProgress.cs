using System;
using System.Globalization;
using System.Management.Automation;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.OData;

/// <summary>
/// Progress of one paged read: "2,350 read, 812/s, page 3", and a Completed record at the end. Updates are throttled (a page boundary or a
/// quarter second) so a fast read does not flood the pipeline with records nobody can see.
/// </summary>
internal sealed class ReadProgress
{
    /// <summary>The activity id of paged reads; the cmdlet layer's per-item progress uses 2.</summary>
    public const int ActivityId = 1;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(0.25);

    private readonly IOperationSink _sink;
    private readonly string _activity;
    private readonly TimeProvider _time;
    private readonly long _started;
    private TimeSpan _lastReport = TimeSpan.MinValue;

    public ReadProgress(IOperationSink sink, Uri firstPage, TimeProvider? time = null)
    {
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
        var segments = firstPage.AbsolutePath.TrimEnd('/').Split('/');
        _activity = "Reading " + segments[segments.Length - 1];
    }

    public long Count { get; private set; }

    public int Page { get; private set; }

    /// <summary>A page is being requested.</summary>
    public void StartPage()
    {
        Page++;
        Report(force: true);
    }

    /// <summary>An object was written.</summary>
    public void Item()
    {
        Count++;
        Report(force: false);
    }

    public void Complete()
    {
        var record = Create();
        record.RecordType = ProgressRecordType.Completed;
        _sink.WriteProgress(record);
    }

    private void Report(bool force)
    {
        var now = _time.GetElapsedTime(_started);
        if (!force && _lastReport != TimeSpan.MinValue && now - _lastReport < Interval)
        {
            return;
        }

        _lastReport = now;
        _sink.WriteProgress(Create());
    }

    private ProgressRecord Create()
    {
        var seconds = _time.GetElapsedTime(_started).TotalSeconds;
        var rate = seconds > 0.05 ? Count / seconds : 0;
        var status = string.Format(CultureInfo.InvariantCulture, "{0:N0} read, {1:N0}/s, page {2}", Count, rate, Page);
        // No percentage: the service does not say how many objects there are, and ResultSize is only a cap.
        return new ProgressRecord(ActivityId, _activity, status);
    }
}
