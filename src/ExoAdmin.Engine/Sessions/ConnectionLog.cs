using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.Sessions;

/// <summary>How much a connection's log holds (-LogLevel).</summary>
public enum ConnectionLogLevel
{
    /// <summary>The connect, every request with its status, duration and request-id, retries, errors, the disconnect.</summary>
    Default,

    /// <summary>Default, and every cmdlet run on the connection with its parameters (secrets masked).</summary>
    All,
}

/// <summary>Where and how a connection logs (Connect-ExchangeOnline -LogDirectoryPath, -EnableErrorReporting, -LogLevel, -TrackPerformance).</summary>
public sealed class ConnectionLogSettings
{
    public ConnectionLogSettings(string directory, ConnectionLogLevel level, bool trackPerformance)
    {
        Directory = directory;
        Level = level;
        TrackPerformance = trackPerformance;
    }

    /// <summary>Microsoft's module logs to %TMP%\EXOCmdletTelemetry unless told otherwise; so does ExoAdmin.</summary>
    public static string DefaultDirectory => Path.Combine(Path.GetTempPath(), "EXOCmdletTelemetry");

    public string Directory { get; }

    public ConnectionLogLevel Level { get; }

    /// <summary>Every line also carries the process's CPU time and working set.</summary>
    public bool TrackPerformance { get; }
}

/// <summary>
/// One connection's log file, ExoAdmin-&lt;yyyyMMdd-HHmmss&gt;-&lt;connection id&gt;.log: one time-stamped line per event, written
/// through at once so a crash loses nothing. Lines from the request path arrive already redacted; the lines written here
/// (the connect, failures, cmdlets and their parameters) carry no token, password or certificate, and values of secret
/// types are masked. Writing never throws: a full disk must not fail the admin's command.
/// </summary>
public sealed class ConnectionLog : ITraceLog, IDisposable
{
    private readonly object _gate = new();
    private readonly bool _trackPerformance;
    private StreamWriter? _writer;

    private ConnectionLog(string path, StreamWriter writer, ConnectionLogLevel level, bool trackPerformance)
    {
        Path = path;
        _writer = writer;
        Level = level;
        _trackPerformance = trackPerformance;
    }

    /// <summary>The file, for Get-ConnectionInformation's readers and the admin's Verbose stream.</summary>
    public string Path { get; }

    public ConnectionLogLevel Level { get; }

    /// <summary>Creates the folder if needed and opens a new file; a folder that cannot be written fails the connect, before sign-in.</summary>
    public static ConnectionLog Open(ConnectionLogSettings settings, string connectionId, DateTimeOffset now)
    {
        var path = System.IO.Path.Combine(settings.Directory, string.Format(CultureInfo.InvariantCulture, "ExoAdmin-{0:yyyyMMdd-HHmmss}-{1}.log", now.UtcDateTime, connectionId));
        try
        {
            System.IO.Directory.CreateDirectory(settings.Directory);
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            return new ConnectionLog(path, new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true }, settings.Level, settings.TrackPerformance);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or SecurityException)
        {
            throw Failures.InvalidArgument($"The connection's log cannot be written in '{settings.Directory}': {ex.Message}", "LogDirectoryUnwritable", settings.Directory, ex);
        }
    }

    /// <summary>One line; the time (UTC, ISO 8601) goes first, the process's cost last with -TrackPerformance.</summary>
    public void Write(string line)
    {
        var text = new StringBuilder(line.Length + 64)
            .Append(DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ')
            .Append(line.Replace("\r", " ").Replace("\n", " "));
        if (_trackPerformance)
        {
            AppendPerformance(text);
        }

        lock (_gate)
        {
            try
            {
                _writer?.WriteLine(text.ToString());
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // Logging is a by-product: the command it describes goes on.
            }
        }
    }

    /// <summary>With -LogLevel All, a cmdlet run on this connection and the parameters it was given.</summary>
    public void WriteCommand(string commandName, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        if (Level != ConnectionLogLevel.All)
        {
            return;
        }

        var shown = parameters.Select(p => $"-{p.Key} {Show(p.Value)}");
        Write($"{commandName} {string.Join(" ", shown)}".TrimEnd());
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    /// <summary>A parameter's value as a script would have written it; secrets (and anything holding one) are masked.</summary>
    internal static string Show(object? value)
    {
        value = value is PSObject wrapped ? wrapped.BaseObject : value;
        switch (value)
        {
            case null:
                return "$null";
            case SecureString or PSCredential or System.Security.Cryptography.X509Certificates.X509Certificate:
                return "***";
            case SwitchParameter flag:
                return flag.IsPresent ? "$true" : "$false";
            case bool flag:
                return flag ? "$true" : "$false";
            case string text:
                return "'" + text.Replace("'", "''") + "'";
            case System.Collections.IDictionary table:
                return "@{" + string.Join("; ", table.Keys.Cast<object>().Select(k => $"{k}={Show(table[k])}")) + "}";
            case System.Collections.IEnumerable items:
                return string.Join(",", items.Cast<object?>().Select(Show));
            case IFormattable formattable:
                return formattable.ToString(null, CultureInfo.InvariantCulture);
            default:
                return value.ToString() ?? string.Empty;
        }
    }

    private static void AppendPerformance(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        text.AppendFormat(CultureInfo.InvariantCulture, " [cpu {0:0.000} s, memory {1:0.0} MB]", process.TotalProcessorTime.TotalSeconds, process.WorkingSet64 / 1048576.0);
    }
}
