using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace ExoAdmin.Engine.Auth;

/// <summary>
/// How interactive sign-in opens the system browser. The sign-in address is always printed at once (as az login does),
/// so an admin whose browser opens in the wrong place, or not at all, is never left waiting in silence. Where no browser
/// can be opened (a Unix session without DISPLAY or WAYLAND_DISPLAY, and no BROWSER), it says so instead of trying, and
/// offers -Device. The BROWSER environment variable, the Unix convention that sensible-browser and most tools honour
/// ("command" or "command %s", several separated by ':', the first is used), names the browser; otherwise the
/// desktop's own opener (the shell on Windows, open on macOS, xdg-open elsewhere).
/// </summary>
internal static class SystemBrowser
{
    private const string SuccessPage =
        "<html><head><title>ExoAdmin</title></head><body><p>Authentication complete. You can close this window and return to PowerShell.</p></body></html>";

    /// <param name="tell">Writes a line the admin sees at once (the host).</param>
    public static SystemWebViewOptions Options(Action<string> tell) =>
        new() { HtmlMessageSuccess = SuccessPage, OpenBrowserAsync = uri => OpenAsync(uri, tell) };

    /// <summary>Why no browser can be opened in this session, or null when one can.</summary>
    internal static string? WhyNoBrowser(Func<string, string?> environment, bool isWindows, bool isMacOS)
    {
        if (!string.IsNullOrWhiteSpace(environment("BROWSER")) || isWindows || isMacOS)
        {
            return null;
        }

        var hasDesktop = !string.IsNullOrEmpty(environment("DISPLAY")) || !string.IsNullOrEmpty(environment("WAYLAND_DISPLAY"))
            || !string.IsNullOrEmpty(environment("WSL_DISTRO_NAME")); // WSL opens the Windows browser
        return hasDesktop ? null : "this session has no desktop: DISPLAY, WAYLAND_DISPLAY and BROWSER are not set";
    }

    private static Task OpenAsync(Uri uri, Action<string> tell)
    {
        var url = uri.AbsoluteUri;
        var why = WhyNoBrowser(Environment.GetEnvironmentVariable, RuntimeInformation.IsOSPlatform(OSPlatform.Windows), RuntimeInformation.IsOSPlatform(OSPlatform.OSX));
        if (why is not null)
        {
            tell(NoBrowserMessage(why, url));
            return Task.CompletedTask;
        }

        tell($"Opening the sign-in page in your browser. If it does not open, open this address in a browser on this computer, or press Ctrl+C and sign in from any device with Connect-ExchangeOnline -Device:{Environment.NewLine}{url}");
        try
        {
            using var process = Process.Start(StartInfo(url));
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            tell(NoBrowserMessage($"it could not be started: {ex.Message}", url));
        }

        return Task.CompletedTask;
    }

    private static string NoBrowserMessage(string why, string url) =>
        $"No browser can be opened for interactive sign-in ({why}). Open this address in a browser on this computer (the sign-in page returns to http://localhost), or press Ctrl+C and sign in from any device with Connect-ExchangeOnline -Device:{Environment.NewLine}{url}";

    private static ProcessStartInfo StartInfo(string url)
    {
        var browser = Environment.GetEnvironmentVariable("BROWSER");
        if (!string.IsNullOrWhiteSpace(browser))
        {
            var command = browser!.Split(':')[0].Trim();
            return command.Contains("%s")
                ? new ProcessStartInfo("/bin/sh", $"-c \"{command.Replace("%s", "'" + url.Replace("'", "%27") + "'")}\"") { UseShellExecute = false }
                : new ProcessStartInfo(command, "\"" + url + "\"") { UseShellExecute = false };
        }

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return new ProcessStartInfo(url) { UseShellExecute = true };
        }

        return new ProcessStartInfo(RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "open" : "xdg-open", "\"" + url + "\"") { UseShellExecute = false };
    }
}
