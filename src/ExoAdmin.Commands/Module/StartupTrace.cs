using System;
using System.Diagnostics;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Where import time goes, for whoever tunes it: with EXOADMIN_TRACE_STARTUP=1 each step of the import writes
/// "ExoAdmin startup: step N ms" to standard error (there is no cmdlet, so no Debug stream, at import).
/// Connect-ExchangeOnline's own steps are on its Debug stream.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("EXOADMIN_TRACE_STARTUP") == "1";

    public static void Step(string step, Stopwatch clock)
    {
        if (Enabled)
        {
            Console.Error.WriteLine($"ExoAdmin startup: {step} {clock.Elapsed.TotalMilliseconds:0.0} ms");
        }

        clock.Restart();
    }
}
