using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// A served module file written and imported the way Microsoft's module does it (§3.2): the psm1 and its format
/// file in a tmpEXO_ folder, a psd1 whose FunctionsToExport is exportedCmdlets, Import-Module -DisableNameChecking,
/// here in a runspace of its own.
/// </summary>
internal sealed class ServedModule : IDisposable
{
    private readonly DirectoryInfo _folder;

    private ServedModule(DirectoryInfo folder, PowerShell shell, string name)
    {
        _folder = folder;
        Shell = shell;
        Name = name;
    }

    public PowerShell Shell { get; }

    public string Name { get; }

    public static ServedModule Import(string psm1, IEnumerable<string> exported, string? formatXml = null)
    {
        var folder = Directory.CreateTempSubdirectory("tmpEXO_");
        var name = folder.Name;
        File.WriteAllText(Path.Combine(folder.FullName, name + ".psm1"), psm1);
        var formats = formatXml is null ? "@()" : "@('tmpEXO.format.ps1xml')";
        if (formatXml is not null)
        {
            File.WriteAllText(Path.Combine(folder.FullName, "tmpEXO.format.ps1xml"), formatXml);
        }

        File.WriteAllText(Path.Combine(folder.FullName, name + ".psd1"),
            $"@{{ RootModule = '{name}.psm1'; ModuleVersion = '1.0'; FunctionsToExport = @({string.Join(",", exported.Select(e => $"'{e}'"))}); FormatsToProcess = {formats} }}");
        var state = InitialSessionState.CreateDefault2();
        // Invoke-WebRequest, ConvertTo-Json and the other utility cmdlets the module's core uses.
        state.ImportPSModule([typeof(Microsoft.PowerShell.Commands.InvokeWebRequestCommand).Assembly.Location]);
        var shell = PowerShell.Create(state);
        shell.AddCommand("Import-Module").AddParameter("Name", folder.FullName).AddParameter("DisableNameChecking").AddParameter("ErrorAction", "Stop").Invoke();
        return new ServedModule(folder, shell, name);
    }

    /// <summary>Runs a script in the module's runspace; its errors fail the test with their text.</summary>
    public IReadOnlyList<PSObject> Run(string script)
    {
        Shell.Commands.Clear();
        Shell.Streams.ClearStreams();
        var output = Shell.AddScript(script).Invoke();
        Assert.False(Shell.HadErrors, string.Join("\n", Shell.Streams.Error.Select(e => e.ToString())));
        return output;
    }

    public void Dispose()
    {
        Shell.Dispose();
        _folder.Delete(recursive: true);
    }
}
