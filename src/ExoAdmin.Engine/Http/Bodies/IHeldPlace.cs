namespace ExoAdmin.Engine.Http.Bodies;

/// <summary>
/// A body whose request still holds a place among the connection's requests in flight. Its download gives the place back
/// as soon as the client itself holds the body back (the reader is a buffer behind): from then on the wait is the
/// pipeline's, and a place kept through it could be the very one the pipeline waits for (one place left,
/// Get-EXOMailbox | Get-EXOMailboxStatistics: the page waits for the pipeline, the pipeline for a statistics request).
/// </summary>
internal interface IHeldPlace
{
    /// <summary>Gives the place back now (idempotent; the body's end or disposal would otherwise do it).</summary>
    void GiveBack();
}
