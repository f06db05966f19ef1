using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// The sandbox as its users start it: "dotnet ExoAdmin.Sandbox.dll …" as a child process, whose stdout must
/// be exactly one JSON line and which stops when its stdin is closed.
/// </summary>
internal sealed class SandboxProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private SandboxProcess(Process process, string readyLine)
    {
        _process = process;
        ReadyLine = readyLine;
        Ready = JsonDocument.Parse(readyLine).RootElement.Clone();
    }

    /// <summary>
    /// The sandbox the test task staged for this run (EXOADMIN_SANDBOX_PATH: out/sandbox, precompiled, so each of the
    /// starts here costs half the CPU), or else the one built beside these tests.
    /// </summary>
    public static string SandboxDll =>
        Environment.GetEnvironmentVariable("EXOADMIN_SANDBOX_PATH") is { Length: > 0 } staged ? staged : Path.Combine(AppContext.BaseDirectory, "ExoAdmin.Sandbox.dll");

    public string ReadyLine { get; }

    public JsonElement Ready { get; }

    public int Id => _process.Id;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static async Task<SandboxProcess> StartAsync(params string[] args)
    {
        var process = Start(args);
        var stderr = new StringBuilder();
        var readyLine = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
        if (readyLine is null)
        {
            await process.WaitForExitAsync();
            throw new InvalidOperationException($"The sandbox exited ({process.ExitCode}) without a ready line: {await process.StandardError.ReadToEndAsync()}");
        }

        var sandbox = new SandboxProcess(process, readyLine);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (sandbox._stderr)
            {
                sandbox._stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return sandbox;
    }

    /// <summary>Runs the sandbox to completion (e.g. the export command) and returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Closes stdin, as a parent does to stop the sandbox, and returns its exit code and any further stdout.</summary>
    public async Task<(int ExitCode, string RemainingStdout)> StopAsync()
    {
        _process.StandardInput.Close();
        return await WaitForExitAsync();
    }

    public async Task<(int ExitCode, string RemainingStdout)> WaitForExitAsync()
    {
        var remaining = await _process.StandardOutput.ReadToEndAsync().WaitAsync(StartTimeout);
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        return (_process.ExitCode, remaining);
    }

    /// <summary>Stops the sandbox the polite way (so it deletes its folder); kills it only if it hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(StartTimeout);
            }
            catch (TimeoutException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private static Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(SandboxDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
