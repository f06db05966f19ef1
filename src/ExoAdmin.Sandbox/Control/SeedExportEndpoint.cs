using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// <c>GET /_sandbox/export?tenant=DOMAIN&amp;mailboxes=N[&amp;seed=S]</c>: what <c>export --tenant DOMAIN --mailboxes N
/// [--seed S]</c> prints, byte for byte (<see cref="ExportCommand"/>), for tests to compare cmdlet output against
/// without starting a process for it. Generated afresh, so whatever the tenants' state now, it is the seed's.
/// </summary>
internal static class SeedExportEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var arguments = new List<string>();
        foreach (var name in new[] { "tenant", "mailboxes", "seed" })
        {
            if (query.TryGetValue(name, out var value))
            {
                arguments.Add("--" + name);
                arguments.Add(value.ToString());
            }
        }

        ExportOptions options;
        try
        {
            options = ExportOptions.Parse(arguments);
        }
        catch (CommandLineException e)
        {
            return Results.Json(new { error = "invalid_request", error_description = "GET /_sandbox/export?tenant=DOMAIN&mailboxes=N[&seed=S]: " + e.Message },
                statusCode: StatusCodes.Status400BadRequest);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await ExportCommand.WriteAsync(context.Response.Body, options, context.RequestAborted);
        return Results.Empty;
    }
}
