using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExoAdmin.Sandbox.Catalogue;

/// <summary>
/// Every cmdlet the service offers (src/Schema/cmdlet-catalogue.json, embedded; protocol §18.2), read once at
/// start-up into one view per service that the module file, its help, InvokeCommand's checks and RBAC all share:
/// the catalogue is the one list of cmdlets and parameters, never a hand-written list per cmdlet.
/// </summary>
internal sealed partial class CmdletCatalogue
{
    private const string ResourceName = "cmdlet-catalogue.json";

    /// <summary>
    /// The help files of the cmdlets compiled into Microsoft's module itself (Connect-ExchangeOnline, Get-EXO*,
    /// Viva…): the service's module file never carries them (§18.2).
    /// </summary>
    private static readonly HashSet<string> CompiledHelpFiles = new(StringComparer.OrdinalIgnoreCase)
    {
        "ExchangeOnlineManagement-help.xml",
        "Microsoft.Exchange.Management.RestApiClient.dll-Help.xml",
        "Microsoft.Exchange.Management.ExoPowershellGalleryModule.dll-Help.xml",
    };

    /// <summary>
    /// The reference names no help file for a few recent cmdlets; the module file still needs one on each
    /// "# .ExternalHelp" line (Microsoft's module finds cmdlets by that line), so they get their family's file.
    /// </summary>
    private static readonly (string NameContains, string HelpFile)[] HelpFileOfFamily =
    [
        ("Provisioning", "Microsoft.Exchange.ProvisioningAndMigration-Help.xml"),
        ("", "Microsoft.Exchange.TransportMailflow-Help.xml"),
    ];

    private readonly Dictionary<CatalogueService, ServiceCatalogue> _services;

    private CmdletCatalogue(Dictionary<CatalogueService, ServiceCatalogue> services) => _services = services;

    public ServiceCatalogue For(CatalogueService service) => _services[service];

    public static CmdletCatalogue Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        var file = JsonSerializer.Deserialize<CatalogueFile>(stream, JsonOptions)
            ?? throw new InvalidOperationException($"'{ResourceName}' is empty.");
        var served = file.Cmdlets.Where(c => !CompiledHelpFiles.Contains(c.HelpFile)).ToArray();
        return new CmdletCatalogue(new Dictionary<CatalogueService, ServiceCatalogue>
        {
            [CatalogueService.ExchangeOnline] = new(CatalogueService.ExchangeOnline, View(served, "exchange", CatalogueService.ExchangeOnline)),
            [CatalogueService.SecurityCompliance] = new(CatalogueService.SecurityCompliance, View(served, "compliance", CatalogueService.SecurityCompliance)),
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private static CatalogueCmdlet[] View(IEnumerable<RawCmdlet> cmdlets, string serviceName, CatalogueService service) =>
        cmdlets.Where(c => c.Services.Contains(serviceName, StringComparer.OrdinalIgnoreCase))
            .Select(c => Build(c, serviceName, service))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
            .ToArray();

    private static CatalogueCmdlet Build(RawCmdlet raw, string serviceName, CatalogueService service)
    {
        bool OnService(RawParameter p) => p.Services.Contains(serviceName, StringComparer.OrdinalIgnoreCase);
        var declaredSets = raw.ParameterSets.Select(s => s.Name).ToArray();

        // "(All)", or no set the cmdlet declares, means every set.
        string[] DeclaredSetsOf(RawParameter p) => p.Sets.Intersect(declaredSets).ToArray() is { Length: > 0 } named && !p.Sets.Contains("(All)") ? named : declaredSets;

        // A set does not exist on this service when it has no parameter there, or when it needs one that exists
        // only on premises (Remove-Mailbox -StoreMailboxIdentity): nothing could ever satisfy it.
        var sets = declaredSets
            .Where(set => raw.Parameters.Any(p => OnService(p) && DeclaredSetsOf(p).Contains(set))
                && !raw.Parameters.Any(p => p.Required && !OnService(p) && DeclaredSetsOf(p).Contains(set)))
            .ToArray();
        if (sets.Length == 0)
        {
            sets = [raw.ParameterSets.FirstOrDefault(s => s.Default)?.Name ?? declaredSets[0]];
        }

        string[] SetsOf(RawParameter p) => DeclaredSetsOf(p).Where(sets.Contains).ToArray();
        var parameters = raw.Parameters.Where(p => OnService(p) && SetsOf(p).Length > 0).ToArray();

        // The reference marks no default for 140 cmdlets with several sets; PowerShell would then refuse a call that
        // fits more than one (Get-Recipient without parameters). Exchange's own default for those is the Identity set
        // (so 'alex' | Get-Mailbox binds -Identity, as ExoAdmin's compiled cmdlets do); without one, the set that asks
        // for the fewest mandatory parameters (the first listed of those).
        var defaultSet = raw.ParameterSets.FirstOrDefault(s => s.Default && sets.Contains(s.Name))?.Name
            ?? sets.FirstOrDefault(set => set.Equals("Identity", StringComparison.OrdinalIgnoreCase))
            ?? sets.OrderBy(set => parameters.Count(p => p.Required && SetsOf(p).Contains(set))).First();

        // Positions count from 0 or from 1 and may repeat: only their order within a set means anything.
        var positions = sets.ToDictionary(
            set => set,
            set => parameters
                .Select((p, index) => (p, index))
                .Where(x => x.p.Position is not null && SetsOf(x.p).Contains(set))
                .OrderBy(x => x.p.Position).ThenBy(x => x.index)
                .Select((x, rank) => (x.p.Name, rank))
                .ToDictionary(x => x.Name, x => x.rank));

        var built = parameters.Select(p => new CatalogueParameter(
                p.Name,
                p.Type,
                SetsOf(p).Select(set => new SetMembership(set, p.Required, positions[set].TryGetValue(p.Name, out var position) ? position : null)).ToArray(),
                p.Pipeline.ByValue,
                p.Pipeline.ByPropertyName,
                p.Aliases))
            .ToArray();
        var helpFile = raw.HelpFile.Length > 0
            ? raw.HelpFile
            : HelpFileOfFamily.First(f => raw.Name.Contains(f.NameContains, StringComparison.Ordinal)).HelpFile;
        return new CatalogueCmdlet(raw.Name, service, helpFile, sets, defaultSet, built);
    }

    private sealed record CatalogueFile(RawCmdlet[] Cmdlets);

    private sealed record RawCmdlet(string Name, string[] Services, string HelpFile, RawSet[] ParameterSets, RawParameter[] Parameters);

    private sealed record RawSet(string Name, bool Default);

    private sealed record RawParameter(
        string Name, string Type, string[] Sets, bool Required, int? Position, RawPipeline Pipeline, string[] Aliases, string[] Services);

    private sealed record RawPipeline(bool ByValue, bool ByPropertyName);
}

/// <summary>The cmdlets one service offers, in name order, found by name case-insensitively.</summary>
internal sealed class ServiceCatalogue
{
    private readonly Dictionary<string, CatalogueCmdlet> _byName;

    public ServiceCatalogue(CatalogueService service, IReadOnlyList<CatalogueCmdlet> cmdlets)
    {
        Service = service;
        Cmdlets = cmdlets;
        _byName = cmdlets.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
    }

    public CatalogueService Service { get; }

    public IReadOnlyList<CatalogueCmdlet> Cmdlets { get; }

    public CatalogueCmdlet? Find(string name) => _byName.GetValueOrDefault(name);
}
