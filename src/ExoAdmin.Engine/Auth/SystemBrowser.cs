using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// How interactive sign-in opens the system browser. MSAL's own choice (xdg-open and friends on Linux, the default
/// browser elsewhere) unless the BROWSER environment variable names a browser, the Unix convention that
/// sensible-browser and most tools honour: "command" or "command %s", several separated by ':' (the first is used).
/// </summary>
internal static class SystemBrowser
{
    private const string SuccessPage =
        "<html><head><title>ExoAdmin</title></head><body><p>Authentication complete. You can close this window and return to PowerShell.</p></body></html>";

    public static SystemWebViewOptions Options()
    {
        var options = new SystemWebViewOptions { HtmlMessageSuccess = SuccessPage };
        var browser = Environment.GetEnvironmentVariable("BROWSER");
        if (!string.IsNullOrWhiteSpace(browser))
        {
            var command = browser!.Split(':')[0].Trim();
            options.OpenBrowserAsync = uri => OpenAsync(command, uri);
        }

        return options;
    }

    private static Task OpenAsync(string command, Uri uri)
    {
        var url = uri.AbsoluteUri;
        var start = command.Contains("%s")
            ? new ProcessStartInfo("/bin/sh", $"-c \"{command.Replace("%s", "'" + url.Replace("'", "%27") + "'")}\"")
            : new ProcessStartInfo(command, "\"" + url + "\"");
        start.UseShellExecute = false;
        using var process = Process.Start(start);
        return Task.CompletedTask;
    }
}
