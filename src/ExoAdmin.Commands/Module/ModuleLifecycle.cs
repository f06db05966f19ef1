using System.Management.Automation;

namespace ExoAdmin.Commands.Module;

/// <summary>Import and Remove-Module hooks: wire up the engine, and drop a runspace's connections with the module.</summary>
public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        EngineResolver.Install();
        StartupTrace.Step("engine resolver", clock);
        Completion.CompleterRegistration.Register();
        StartupTrace.Step("argument completers", clock);
    }

    public void OnRemove(PSModuleInfo module) => RunspaceSessions.Reset();
}
