using System;
using System.Management.Automation.Host;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Whether a person is watching: only then are progress bars worth their cost. Not interactive:
/// pwsh -NonInteractive (CI, schedulers), a console whose output is redirected, Azure Automation
/// (its sandbox sets AUTOMATION_ASSET_ACCOUNTID), remoting's server host, and hosts without a UI
/// such as the SDK's default host.
/// </summary>
internal static class InteractiveHost
{
    public static bool IsInteractive(PSHost? host)
    {
        if (host?.UI is null || !Environment.UserInteractive || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AUTOMATION_ASSET_ACCOUNTID")))
        {
            return false;
        }

        switch (host.Name)
        {
            case "Default Host":
            case "ServerRemoteHost":
                return false;
            case "ConsoleHost":
                return !Console.IsOutputRedirected && !StartedNonInteractive(Environment.GetCommandLineArgs());
            default:
                return host.UI.RawUI is not null; // editors' hosts (VS Code) have a UI to draw progress on
        }
    }

    /// <summary>-NonInteractive, or any prefix of it down to -noni, with - or / (and -- ) as pwsh accepts.</summary>
    internal static bool StartedNonInteractive(string[] arguments)
    {
        foreach (var argument in arguments)
        {
            var name = argument.TrimStart('-', '/');
            if (name.Length >= 4 && name.Length < argument.Length && "noninteractive".StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(name, "command", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "c", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(name, "file", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "f", StringComparison.OrdinalIgnoreCase))
            {
                return false; // what follows belongs to the script, not to pwsh
            }
        }

        return false;
    }
}
