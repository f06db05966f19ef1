namespace ExoAdmin.Sandbox.Catalogue;

/// <summary>The two services a catalogue entry can belong to (its "services" values).</summary>
internal enum CatalogueService
{
    /// <summary>"exchange": served by the Exchange Online listener.</summary>
    ExchangeOnline,

    /// <summary>"compliance": served by the Security &amp; Compliance listener.</summary>
    SecurityCompliance,
}

/// <summary>
/// A parameter's place in one parameter set, as one PowerShell [Parameter()] attribute states it. Positions are
/// normalised per set (0, 1, 2… in the catalogue's order), because the catalogue counts from 0 or from 1.
/// </summary>
internal sealed record SetMembership(string SetName, bool Mandatory, int? Position);

/// <summary>One parameter of a cmdlet on one service.</summary>
/// <param name="TypeName">Exchange's own type name, as the reference writes it (MailboxIdParameter, Unlimited…).</param>
internal sealed record CatalogueParameter(
    string Name,
    string TypeName,
    IReadOnlyList<SetMembership> Sets,
    bool FromPipeline,
    bool FromPipelineByPropertyName,
    IReadOnlyList<string> Aliases)
{
    public bool IsSwitch => ParameterTypes.Of(TypeName).Kind == ParameterKind.Switch;

    public SetMembership? In(string setName) => Sets.FirstOrDefault(s => s.SetName.Equals(setName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether a bound name (the parameter's name or one of its aliases) names this parameter.</summary>
    public bool IsNamed(string name) =>
        Name.Equals(name, StringComparison.OrdinalIgnoreCase) || Aliases.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A cmdlet as one service offers it: only the parameters that service has, only the parameter sets those
/// parameters use (and the default one), positions normalised.
/// </summary>
/// <param name="HelpFile">The Exchange help file the module file's "# .ExternalHelp" line names.</param>
/// <param name="ParameterSets">Set names in the catalogue's order; a cmdlet with one set has one, named "Default".</param>
/// <param name="DefaultParameterSet">The set PowerShell picks when the bound parameters fit several.</param>
internal sealed record CatalogueCmdlet(
    string Name,
    CatalogueService Service,
    string HelpFile,
    IReadOnlyList<string> ParameterSets,
    string DefaultParameterSet,
    IReadOnlyList<CatalogueParameter> Parameters)
{
    public string Verb => Name[..Name.IndexOf('-')];

    public string Noun => Name[(Name.IndexOf('-') + 1)..];

    public bool HasSeveralSets => ParameterSets.Count > 1;

    public CatalogueParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
