using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox;

/// <summary>
/// dotnet ExoAdmin.Sandbox.dll [--port N] [--single-port] [--instance-discovery] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N]
///                             [--ca-dir DIR] [--token-lifetime 3600s] [--page-link-lifetime 30m] [--partner PARTNER:CUSTOMER]...
///                             [--throttle-token-endpoint 60s] [--claims-challenge-every N]
///                             [--role DOMAIN=ROLE]... [--seed-file FILE] [--fault "kind=429;path=/adminapi/*;rate=0.1"]...
///                             [--rate-limit REQUESTS/SECONDS]
/// dotnet ExoAdmin.Sandbox.dll export --tenant DOMAIN --mailboxes N [--seed S]
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: ExoAdmin.Sandbox [--port N] [--single-port] [--instance-discovery] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N] [--ca-dir DIR] [--token-lifetime 3600s] [--page-link-lifetime 30m]\n" +
        "                        [--partner PARTNER:CUSTOMER]... [--throttle-token-endpoint 60s] [--claims-challenge-every N]\n" +
        "                        [--role DOMAIN=OrganizationManagement|HelpDesk]... [--seed-file FILE]\n" +
        "                        [--fault \"kind=429|503|500|latency|reset|truncate|expired-token|claims-challenge|non-json|empty-body|\n" +
        "                                  no-context|oversized|foreign-next-link;path=GLOB;method=M;tenant=T;rate=P|count=N|every=N;seed=S;\n" +
        "                                  retryAfterSeconds=S;latencyMs=MS;sizeBytes=N;phase=before|after\"]... [--rate-limit REQUESTS/SECONDS]\n" +
        "       ExoAdmin.Sandbox export --tenant DOMAIN --mailboxes N [--seed S]";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "export")
            {
                return ExportCommand.Run(args[1..]);
            }

            args = TakeSeedFile(args);
            await using var server = await SandboxServer.StartAsync(SandboxOptions.Parse(args));
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
    /// --seed-file FILE: the first tenant's mailboxes come from FILE (Get-EXOMailbox -PropertySets All |
    /// ConvertTo-Json) instead of being generated. Read here, before the server starts, so a bad file is a
    /// command-line error (exit 2) that names the file.
    /// </summary>
    private static string[] TakeSeedFile(string[] args)
    {
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value) = args[i].StartsWith("--seed-file=", StringComparison.Ordinal)
                ? ("--seed-file", args[i]["--seed-file=".Length..])
                : args[i] == "--seed-file" ? ("--seed-file", i + 1 < args.Length ? args[++i] : throw new CommandLineException("Option '--seed-file' needs a value.")) : (null, null);
            if (name is null)
            {
                rest.Add(args[i]);
                continue;
            }

            try
            {
                Data.SeedFile.Current = Data.SeedFile.Load(Path.GetFullPath(value!));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandLineException($"--seed-file: {e.Message}");
            }
        }

        return rest.ToArray();
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
