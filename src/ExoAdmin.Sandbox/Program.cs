using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox;

/// <summary>
/// dotnet ExoAdmin.Sandbox.dll [--port N] [--single-port] [--instance-discovery] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N]
///                             [--ca-dir DIR] [--token-lifetime 3600s] [--page-link-lifetime 30m] [--partner PARTNER:CUSTOMER]...
///                             [--throttle-token-endpoint 60s] [--claims-challenge-every N] [--device-code-interval 5s]
///                             [--role DOMAIN=ROLE]... [--seed-file FILE] [--seed-mailbox-permissions FILE]
///                             [--seed-recipient-permissions FILE] [--seed-group-members FILE] [--fault "kind=429;path=/adminapi/*;rate=0.1"]...
///                             [--rate-limit REQUESTS/SECONDS] [--undocumented-parameter CMDLET:NAME[:TYPE]]...
/// dotnet ExoAdmin.Sandbox.dll export --tenant DOMAIN --mailboxes N [--seed S]
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: ExoAdmin.Sandbox [--port N] [--single-port] [--instance-discovery] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N] [--ca-dir DIR] [--token-lifetime 3600s] [--page-link-lifetime 30m]\n" +
        "                        [--partner PARTNER:CUSTOMER]... [--throttle-token-endpoint 60s] [--claims-challenge-every N] [--device-code-interval 5s]\n" +
        "                        [--role DOMAIN=OrganizationManagement|HelpDesk|RecipientManagement]... [--seed-file FILE] [--seed-mailbox-permissions FILE]\n" +
        "                        [--seed-recipient-permissions FILE] [--seed-group-members FILE]\n" +
        "                        [--fault \"kind=429|503|500|latency|reset|truncate|expired-token|claims-challenge|non-json|empty-body|\n" +
        "                                  no-context|oversized|foreign-next-link;path=GLOB;method=M;tenant=T;rate=P|count=N|every=N;seed=S;\n" +
        "                                  retryAfterSeconds=S;latencyMs=MS;sizeBytes=N;phase=before|after\"]... [--rate-limit REQUESTS/SECONDS]\n" +
        "                        [--undocumented-parameter CMDLET:NAME[:TYPE]]...\n" +
        "       ExoAdmin.Sandbox export --tenant DOMAIN --mailboxes N [--seed S]";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "export")
            {
                return await ExportCommand.RunAsync(args[1..]);
            }

            var (seed, rest) = TakeSeeds(args);
            await using var server = await SandboxServer.StartAsync(SandboxOptions.Parse(rest) with { FirstTenantSeed = seed });
            Console.Out.WriteLine(server.Ready.ToJsonLine());
            Console.Out.Flush();
            _ = Task.Run(() => StopAtEndOfInputAsync(server));
            await server.WaitForShutdownAsync();
            return 0;
        }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Usage);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // E.g. the port is taken, 443 needs privileges, or a --ca-dir holds half a CA: say so in one place.
            await Console.Error.WriteLineAsync("The sandbox could not start: " + e);
            return 1;
        }
    }

    /// <summary>
    /// The seed options, read here, before the server starts, so a bad file is a command-line error (exit 2) that
    /// names the file: --seed-file (mailboxes, Get-EXOMailbox -PropertySets All | ConvertTo-Json),
    /// --seed-mailbox-permissions, --seed-recipient-permissions and --seed-group-members (exports of those cmdlets).
    /// They seed the first tenant (<see cref="Data.TenantSeed"/>).
    /// </summary>
    private static (Data.TenantSeed? Seed, string[] Others) TakeSeeds(string[] args)
    {
        var rest = new List<string>(args.Length);
        Data.TenantSeed? seed = null;
        for (var i = 0; i < args.Length; i++)
        {
            var equals = args[i].IndexOf('=');
            var name = equals > 0 ? args[i][..equals] : args[i];
            if (name is not ("--seed-file" or "--seed-mailbox-permissions" or "--seed-recipient-permissions" or "--seed-group-members"))
            {
                rest.Add(args[i]);
                continue;
            }

            var value = equals > 0 ? args[i][(equals + 1)..] : i + 1 < args.Length ? args[++i] : throw new CommandLineException($"Option '{name}' needs a value.");
            var path = Path.GetFullPath(value);
            seed ??= new Data.TenantSeed();
            try
            {
                seed = name switch
                {
                    "--seed-file" => seed with { Mailboxes = Data.SeedFile.Load(path) },
                    "--seed-mailbox-permissions" => seed with { MailboxPermissions = Data.TenantSeed.LoadMailboxPermissions(path) },
                    "--seed-recipient-permissions" => seed with { RecipientPermissions = Data.TenantSeed.LoadRecipientPermissions(path) },
                    _ => seed with { GroupMembers = Data.TenantSeed.LoadGroupMembers(path) },
                };
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A file that cannot be read, or is not such an export, says why.
                throw new CommandLineException($"{name}: {e.Message}");
            }
        }

        return (seed, rest.ToArray());
    }

    /// <summary>The parent that started the sandbox stops it by closing its stdin (it may also send SIGINT/SIGTERM).</summary>
    private static async Task StopAtEndOfInputAsync(SandboxServer server)
    {
        await using var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await input.ReadAsync(buffer) > 0)
        {
        }

        server.Stop();
    }
}
