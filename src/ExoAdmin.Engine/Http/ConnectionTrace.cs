namespace ExoAdmin.Engine.Http;

/// <summary>
/// Where a connection's trace lines go: the cmdlet's -Verbose stream of the request they are about, and the connection's
/// own log (<see cref="ITraceLog"/>) when it has one. Lines are redacted before they get here.
/// </summary>
internal sealed class ConnectionTrace
{
    public ConnectionTrace(ITraceLog? log) => Log = log;

    public ITraceLog? Log { get; set; }

    public void Verbose(RequestContext request, string line)
    {
        // Not once the cmdlet is stopping: its pipeline refuses writes; the connection's log still gets the line.
        if (!request.Stopping.IsCancellationRequested)
        {
            request.Log?.WriteVerbose(line);
        }

        Log?.Write(line);
    }

    /// <summary>An error the request ended with, for the connection's log (the cmdlet gets it as its ErrorRecord).</summary>
    public void Error(string errorId, string message) => Log?.Write($"Error {errorId}: {message}");
}
