namespace ExoAdmin.Engine.Http;

/// <summary>
/// A connection's own log (Connect-ExchangeOnline -LogDirectoryPath): when a connection has one, the tracing handler
/// writes to it every request line, retry line and error it writes to -Verbose, already redacted (no token, password
/// or credential-like query value ever reaches it). Called from any thread, one whole line per call; an
/// implementation must not throw (a log that cannot be written must not fail the admin's command).
/// </summary>
public interface ITraceLog
{
    void Write(string line);
}
