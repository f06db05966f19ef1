namespace ExoAdmin.Sandbox.Catalogue;

/// <summary>
/// A parameter the service has and Microsoft's public reference (the catalogue) does not list yet
/// (--undocumented-parameter CMDLET:NAME[:TYPE], repeatable). Exchange ships parameters before their documentation does,
/// so a client built from the reference meets parameters it was not compiled with; this lets a rehearsal (and ExoAdmin's
/// tests) serve one. The parameter is optional, in every parameter set of the cmdlet, without a position or pipeline
/// input, and of the catalogue type named (String when none): from there on it is the catalogue's like any other, so the
/// module file declares it, InvokeCommand binds it, and Set- cmdlets store it and Get- cmdlets read it back.
/// </summary>
internal sealed record UndocumentedParameter(string Cmdlet, string Name, string TypeName)
{
    /// <exception cref="FormatException">Not CMDLET:NAME[:TYPE] with a Verb-Noun cmdlet and a plain parameter name.</exception>
    public static UndocumentedParameter Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || !IsName(parts[0], allowDash: true) || parts[0].Count(c => c == '-') != 1 || !IsName(parts[1], allowDash: false)
            || (parts.Length == 3 && parts[2].Length == 0))
        {
            throw new FormatException($"needs CMDLET:NAME[:TYPE] such as Set-Mailbox:RetentionRegion:String, not '{text}'.");
        }

        return new UndocumentedParameter(parts[0], parts[1], parts.Length == 3 ? parts[2] : "String");
    }

    private static bool IsName(string text, bool allowDash) =>
        text.Length > 0 && char.IsAsciiLetter(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || (allowDash && c == '-'));
}

/// <summary>The catalogue with the undocumented parameters the sandbox was started with added to their cmdlets.</summary>
internal sealed partial class CmdletCatalogue
{
    /// <exception cref="FormatException">A parameter names a cmdlet neither service offers, or one the cmdlet already has.</exception>
    public CmdletCatalogue With(IReadOnlyList<UndocumentedParameter> additions)
    {
        if (additions.Count == 0)
        {
            return this;
        }

        foreach (var addition in additions.Where(a => _services.Values.All(s => s.Find(a.Cmdlet) is null)))
        {
            throw new FormatException($"no service offers {addition.Cmdlet}.");
        }

        return new CmdletCatalogue(_services.ToDictionary(
            pair => pair.Key,
            pair => new ServiceCatalogue(pair.Key, pair.Value.Cmdlets.Select(cmdlet => With(cmdlet, additions)).ToArray())));
    }

    private static CatalogueCmdlet With(CatalogueCmdlet cmdlet, IReadOnlyList<UndocumentedParameter> additions)
    {
        var added = additions.Where(a => a.Cmdlet.Equals(cmdlet.Name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (added.Length == 0)
        {
            return cmdlet;
        }

        if (added.FirstOrDefault(a => cmdlet.Parameters.Any(p => p.IsNamed(a.Name))) is { } known)
        {
            throw new FormatException($"{cmdlet.Name} already has -{known.Name}.");
        }

        var parameters = added.Select(a => new CatalogueParameter(
            a.Name, a.TypeName, cmdlet.ParameterSets.Select(set => new SetMembership(set, Mandatory: false, Position: null)).ToArray(),
            FromPipeline: false, FromPipelineByPropertyName: false, Aliases: []));
        return cmdlet with { Parameters = [.. cmdlet.Parameters, .. parameters] };
    }
}
