namespace ExoAdmin.Engine.Operations;

/// <summary>
/// A sink that knows how many objects the pipeline has actually taken, not only how many were queued for it. The pager
/// uses it to ask for the next page only once the consumer has taken a good part of the current one, so
/// <c>Select-Object -First 10</c> still makes exactly one request.
/// </summary>
public interface IObjectDeliveryCounter
{
    /// <summary>Objects written to the pipeline so far (monotonic; read from any thread).</summary>
    long ObjectsDelivered { get; }
}
