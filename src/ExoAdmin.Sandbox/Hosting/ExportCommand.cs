using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>
/// "export --tenant DOMAIN --mailboxes N [--seed S]": writes a tenant's seeded mailboxes to stdout as a JSON
/// array, every property (PropertySet=All) with the same values and Edm-typed JSON the service serves. A running
/// sandbox answers the same export at <c>GET /_sandbox/export</c>, without a process to start.
/// </summary>
internal static class ExportCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = ExportOptions.Parse(args);
        await using var stdout = Console.OpenStandardOutput();
        await WriteAsync(stdout, options, CancellationToken.None);
        stdout.Write("\n"u8);
        return 0;
    }

    /// <summary>The seeded mailboxes as a JSON array: they depend only on tenant, count and seed, never on a sandbox's state.</summary>
    public static async Task WriteAsync(Stream stream, ExportOptions options, CancellationToken cancellationToken)
    {
        var mailboxes = MailboxSeeder.Seed(Tenant.FromDomain(options.Tenant), options.Mailboxes, options.Seed);
        var properties = MailboxPropertySets.Load().AllProperties;
        await using var writer = new Utf8JsonWriter(stream, JsonDefaults.WriterOptions);
        writer.WriteStartArray();
        foreach (var mailbox in mailboxes)
        {
            properties.WriteEntity(writer, mailbox);
            if (writer.BytesPending > 64 * 1024)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
    }
}
