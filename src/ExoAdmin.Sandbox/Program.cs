using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox;

/// <summary>
/// dotnet ExoAdmin.Sandbox.dll [--port N] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N]
///                             [--ca-dir DIR] [--token-lifetime 3600s] [--partner PARTNER:CUSTOMER]...
///                             [--throttle-token-endpoint 60s] [--claims-challenge-every N]
/// dotnet ExoAdmin.Sandbox.dll export --tenant DOMAIN --mailboxes N [--seed S]
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: ExoAdmin.Sandbox [--port N] [--tenant DOMAIN]... [--mailboxes N] [--latency-ms N] [--seed N] [--ca-dir DIR] [--token-lifetime 3600s]\n" +
        "                        [--partner PARTNER:CUSTOMER]... [--throttle-token-endpoint 60s] [--claims-challenge-every N]\n" +
        "                        [--role DOMAIN=OrganizationManagement|HelpDesk]...\n" +
        "       ExoAdmin.Sandbox export --tenant DOMAIN --mailboxes N [--seed S]";

    public static async Task<int> Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == "export")
            {
                return ExportCommand.Run(args[1..]);
            }

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
