using System.Management.Automation;

namespace ExoAdmin.Commands.Module;

/// <summary>Import and Remove-Module hooks: wire up the engine, and drop a runspace's connections with the module.</summary>
public sealed class ModuleLifecycle : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport()
    {
        EngineResolver.Install();
        Completion.CompleterRegistration.Register();
    }

    public void OnRemove(PSModuleInfo module) => RunspaceSessions.Reset();
}
