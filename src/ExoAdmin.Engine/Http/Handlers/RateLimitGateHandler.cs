using System;
using System.Globalization;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Http.Handlers;

/// <summary>
/// Once an answer says the tenant's request budget is spent (Rate-Limit-Remaining: 0), no request of the connection goes
/// out before Rate-Limit-Reset. The wait counts against the request's time budget: a reset the budget cannot reach fails
/// the request at once, saying until when the tenant is out of requests, so every read ends in bounded time.
/// </summary>
internal sealed class RateLimitGateHandler : DelegatingHandler
{
    private readonly RateLimitGate _gate;

    public RateLimitGateHandler(RateLimitGate gate) => _gate = gate;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = RequestContext.Of(request);
        TimeSpan wait;
        // A loop: another answer may move the reset while this request waits.
        while ((wait = _gate.Pending(context.Time.GetUtcNow(), out var until)) > TimeSpan.Zero)
        {
            if (wait > context.RemainingBudget)
            {
                throw new ExoException(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "The tenant's request budget is used up until {0:HH:mm:ss} UTC (Rate-Limit-Reset), {1:0} s from now, which is past the {2:0} s this request may still wait; {3} was not sent. Run the command again after {0:HH:mm:ss} UTC.",
                        until.UtcDateTime,
                        Math.Ceiling(wait.TotalSeconds),
                        context.RemainingBudget.TotalSeconds,
                        context.Call.Description),
                    "ExoRequestBudgetExhausted",
                    ErrorCategory.LimitsExceeded,
                    context.Call.Target ?? context.Call.Uri.AbsolutePath);
            }

            context.Verbose(string.Format(
                CultureInfo.InvariantCulture,
                "Waiting {0:0.0} s before {1} {2}: the tenant's request budget is used up until {3:HH:mm:ss} UTC (Rate-Limit-Reset).",
                wait.TotalSeconds,
                context.Call.Method,
                context.Call.Uri.AbsolutePath,
                until.UtcDateTime));
            await context.Time.Delay(wait, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        _gate.Observe(response, context.Time.GetUtcNow());
        return response;
    }
}
