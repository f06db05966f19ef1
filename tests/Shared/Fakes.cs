using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using System.Text;
using ExoAdmin.Engine.Auth;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Tests.Shared;

/// <summary>Collects what the engine writes, as the pipeline pump would (every object counts as taken once written).</summary>
internal sealed class RecordingSink : IOperationSink, IObjectDeliveryCounter
{
    private readonly Action<object>? _onObject;

    public RecordingSink(Action<object>? onObject = null) => _onObject = onObject;

    public ConcurrentQueue<object> Objects { get; } = new();

    public long ObjectsDelivered => Objects.Count;

    public ConcurrentQueue<ErrorRecord> Errors { get; } = new();

    public ConcurrentQueue<string> Warnings { get; } = new();

    public ConcurrentQueue<string> Verbose { get; } = new();

    public void WriteObject(object value)
    {
        Objects.Enqueue(value);
        _onObject?.Invoke(value);
    }

    public void WriteError(ErrorRecord error) => Errors.Enqueue(error);

    public void WriteWarning(string message) => Warnings.Enqueue(message);

    public void WriteVerbose(string message) => Verbose.Enqueue(message);

    public ConcurrentQueue<string> Debug { get; } = new();

    public void WriteDebug(string message) => Debug.Enqueue(message);

    public ConcurrentQueue<ProgressRecord> Progress { get; } = new();

    public void WriteProgress(ProgressRecord record) => Progress.Enqueue(record);

    public void WriteHost(string message)
    {
    }
}

/// <summary>A token provider that counts renewals and never talks to Entra.</summary>
internal sealed class StaticTokenProvider : ITokenProvider
{
    public int Renewals { get; private set; }

    public bool CanRenew => true;

    public AccessToken? Current { get; private set; } = new("header.payload.signature", DateTimeOffset.UtcNow.AddHours(1), "tid", DateTimeOffset.UtcNow);

    public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(Current!);

    public Task<AccessToken> RenewAsync(string? claims, AccessToken? refused, CancellationToken cancellationToken)
    {
        lock (this)
        {
            if (claims is null && refused is not null && Current is { } current && !ReferenceEquals(current, refused))
            {
                return Task.FromResult(current); // renewed meanwhile by another request
            }

            return Renew();
        }
    }

    private Task<AccessToken> Renew()
    {
        Renewals++;
        Current = new AccessToken($"renewed{Renewals}.payload.signature", DateTimeOffset.UtcNow.AddHours(1), "tid", DateTimeOffset.UtcNow);
        return Task.FromResult(Current);
    }

    public void Forget() => Current = null;
}

/// <summary>An in-memory service: each request is answered by the function given.</summary>
internal sealed class FakeService : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _respond;

    public FakeService(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) => _respond = respond;

    /// <summary>Each request as it was sent (a copy: the client sends one message again, with new headers, on each retry).</summary>
    public ConcurrentQueue<HttpRequestMessage> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(Snapshot(request));
        return _respond(request, cancellationToken);
    }

    private static HttpRequestMessage Snapshot(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (request.Content is not null)
        {
            copy.Content = new ByteArrayContent(request.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            foreach (var header in request.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}

internal static class TestClients
{
    public static readonly Uri ServiceRoot = new("https://exo.test");

    public static ExoRestClient Create(FakeService service, ITokenProvider? tokens = null, TimeProvider? time = null) =>
        new(ServiceRoot, tokens ?? new StaticTokenProvider(), new ConnectionHeaders(Guid.NewGuid().ToString(), "UPN:admin@contoso.test", "7.6.9", "0.1.0"), service,
            new RetrySettings { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) }, time);

    /// <summary>A Mailbox collection page of the given ids with an optional next link.</summary>
    public static string MailboxPage(IEnumerable<int> ids, string? nextLink)
    {
        var items = string.Join(",", ids.Select(i =>
            $"{{\"ObjectKey\":\"k{i}\",\"Alias\":\"user{i}\",\"Guid\":\"{new Guid(i, 0, 0, new byte[8])}\",\"EmailAddresses@odata.type\":\"#Collection(String)\",\"EmailAddresses\":[\"SMTP:user{i}@contoso.test\"],\"WhenCreated\":\"2021-03-04T05:06:07Z\"}}"));
        var next = nextLink is null ? string.Empty : $",\"@odata.nextLink\":\"{nextLink}\"";
        return $"{{\"@odata.context\":\"https://exo.test/adminapi/beta/t/$metadata#Mailbox\",\"value\":[{items}]{next}}}";
    }
}

internal static class TestConnections
{
    /// <summary>A connection to tenant "t" of the fake service, as Connect-ExchangeOnline would make it.</summary>
    public static ExoAdmin.Engine.Sessions.ExoConnection Create(FakeService service, string prefix = "", ExoRestClient? client = null) =>
        new(1, new ExoAdmin.Engine.Sessions.ConnectRequest(TestClients.ServiceRoot, new Uri("https://login.test/organizations")) { Organization = "contoso.test", Prefix = prefix }, TestClients.ServiceRoot, "contoso.test", "t", null, true, client ?? TestClients.Create(service));
}
