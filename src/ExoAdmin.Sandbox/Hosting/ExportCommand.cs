using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Exchange;

namespace ExoAdmin.Sandbox.Hosting;

/// <summary>
/// "export --tenant DOMAIN --mailboxes N [--seed S]": writes a tenant's seeded mailboxes to stdout as a JSON
/// array, every property (PropertySet=All) with the same values and Edm-typed JSON the service serves.
/// </summary>
internal static class ExportCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var options = ExportOptions.Parse(args);
        var mailboxes = MailboxSeeder.Seed(Tenant.FromDomain(options.Tenant), options.Mailboxes, options.Seed);
        var properties = MailboxPropertySets.Load().AllProperties;

        using var stdout = Console.OpenStandardOutput();
        using var writer = new Utf8JsonWriter(stdout, JsonDefaults.WriterOptions);
        writer.WriteStartArray();
        foreach (var mailbox in mailboxes)
        {
            properties.WriteEntity(writer, mailbox);
            if (writer.BytesPending > 64 * 1024)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        stdout.Write("\n"u8);
        return 0;
    }
}
