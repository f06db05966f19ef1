using System;
using System.Collections.Generic;
using System.Diagnostics;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>
/// What a connection's module file offers (§3.2, §18.1): the cmdlets it exports, each with the parameters the caller's
/// role gives it, and the public key for SecureString values. Read once at connect and kept on the connection.
/// </summary>
public sealed class ServiceModule
{
    private readonly Dictionary<string, ServiceCmdlet> _cmdlets;
    private readonly HashSet<string> _exported;

    private ServiceModule(IReadOnlyList<string> exported, IReadOnlyList<ServiceCmdlet> declared, ParameterEncryptionKey? key, TimeSpan readTime, bool usedFallback)
    {
        Exported = exported;
        _exported = new HashSet<string>(exported, StringComparer.OrdinalIgnoreCase);
        Cmdlets = declared;
        _cmdlets = new Dictionary<string, ServiceCmdlet>(StringComparer.OrdinalIgnoreCase);
        foreach (var cmdlet in declared)
        {
            _cmdlets[cmdlet.Name] = cmdlet;
        }

        EncryptionKey = key;
        ReadTime = readTime;
        UsedFallbackReader = usedFallback;
    }

    /// <summary>Every cmdlet name the service offers this connection (exportedCmdlets).</summary>
    public IReadOnlyList<string> Exported { get; }

    /// <summary>The exported cmdlets whose function the file declares, in the order of exportedCmdlets.</summary>
    public IReadOnlyList<ServiceCmdlet> Cmdlets { get; }

    public ParameterEncryptionKey? EncryptionKey { get; }

    /// <summary>How long reading the file took (for -Debug and the benchmarks).</summary>
    public TimeSpan ReadTime { get; }

    /// <summary>The fast reader could not follow the file and PowerShell's parser read it.</summary>
    public bool UsedFallbackReader { get; }

    /// <summary>The declaration of an exported cmdlet; null when the file exports it without declaring it, or does not offer it.</summary>
    public ServiceCmdlet? Find(string cmdletName) => _cmdlets.TryGetValue(cmdletName, out var cmdlet) ? cmdlet : null;

    /// <summary>Whether this connection's role (and -CommandName) includes the cmdlet.</summary>
    public bool Offers(string cmdletName) => _exported.Contains(cmdletName);

    /// <summary>
    /// Reads a module file: its functions (the fast reader, else PowerShell's parser), narrowed to the exported names.
    /// An exported name with no function is still offered (the service runs it), with no syntax known.
    /// </summary>
    public static ServiceModule Read(ExoModuleFile file)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<ServiceCmdlet> functions;
        var fallback = false;
        try
        {
            functions = ModuleFileReader.Read(file.ModuleText);
        }
        catch (ModuleFileFormatException)
        {
            functions = PowerShellAstReader.Read(file.ModuleText);
            fallback = true;
        }

        var byName = new Dictionary<string, ServiceCmdlet>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in functions)
        {
            if (!byName.ContainsKey(function.Name))
            {
                byName[function.Name] = function;
            }
        }

        var declared = new List<ServiceCmdlet>(file.ExportedCmdlets.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in file.ExportedCmdlets)
        {
            if (seen.Add(name) && byName.TryGetValue(name, out var cmdlet))
            {
                declared.Add(cmdlet);
            }
        }

        return new ServiceModule(file.ExportedCmdlets, declared, ParameterEncryptionKey.FromModuleText(file.ModuleText), clock.Elapsed, fallback);
    }
}
