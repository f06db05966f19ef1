using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ExoAdmin.Generators;

/// <summary>The part of the cmdlet catalogue (§18.2) the generator needs: each cmdlet's parameters for one service.</summary>
internal sealed class Catalogue
{
    private readonly Dictionary<string, CatalogueCmdlet> _cmdlets;

    private Catalogue(Dictionary<string, CatalogueCmdlet> cmdlets) => _cmdlets = cmdlets;

    public static Catalogue Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var cmdlets = new Dictionary<string, CatalogueCmdlet>(StringComparer.OrdinalIgnoreCase);
        foreach (var cmdlet in document.RootElement.GetProperty("cmdlets").EnumerateArray())
        {
            var parsed = CatalogueCmdlet.Parse(cmdlet);
            cmdlets[parsed.Name] = parsed;
        }

        return new Catalogue(cmdlets);
    }

    public CatalogueCmdlet? Find(string name) => _cmdlets.TryGetValue(name, out var cmdlet) ? cmdlet : null;

    /// <summary>Every cmdlet name the reference lists, sorted.</summary>
    public IEnumerable<string> Names => _cmdlets.Keys.OrderBy(n => n, StringComparer.Ordinal);
}

/// <summary>
/// One cmdlet, narrowed to the service it runs on for ExoAdmin (Exchange Online where it exists there, else Security &amp;
/// Compliance), with positions counted from 0 in the reference's order.
/// </summary>
internal sealed class CatalogueCmdlet
{
    private CatalogueCmdlet(string name, string service, IReadOnlyList<string> sets, string? defaultSet, IReadOnlyList<CatalogueParameter> parameters)
    {
        Name = name;
        Service = service;
        Sets = sets;
        DefaultSet = defaultSet;
        Parameters = parameters;
    }

    public string Name { get; }

    public string Service { get; }

    /// <summary>The parameter sets this service's parameters use, in the reference's order (not those it cannot satisfy).</summary>
    public IReadOnlyList<string> Sets { get; }

    /// <summary>
    /// The set PowerShell binds when several fit: the reference's default, else "Identity", else the set with the most
    /// parameters (the first of those). Null with one set (it needs no name).
    /// </summary>
    public string? DefaultSet { get; }

    public IReadOnlyList<CatalogueParameter> Parameters { get; }

    public static CatalogueCmdlet Parse(JsonElement cmdlet)
    {
        var name = cmdlet.GetProperty("name").GetString()!;
        var services = cmdlet.GetProperty("services").EnumerateArray().Select(s => s.GetString()).ToArray();
        var service = services.Contains("exchange") ? "exchange" : "compliance";
        var declaredSets = cmdlet.GetProperty("parameterSets").EnumerateArray()
            .Select(s => (Name: s.GetProperty("name").GetString()!, Default: s.GetProperty("default").GetBoolean())).ToArray();
        var all = cmdlet.GetProperty("parameters").EnumerateArray().ToArray();
        bool OnService(JsonElement p) => p.GetProperty("services").EnumerateArray().Any(s => s.GetString() == service);

        // A set that requires a parameter this service does not have (-Instance, on-premises only) cannot be used here.
        var unusable = new HashSet<string>(
            all.Where(p => p.GetProperty("required").GetBoolean() && !OnService(p)).SelectMany(p => p.GetProperty("sets").EnumerateArray().Select(s => s.GetString()!)),
            StringComparer.OrdinalIgnoreCase);
        IEnumerable<string> SetsOf(JsonElement p) => p.GetProperty("sets").EnumerateArray().Select(s => s.GetString()!).Where(s => !unusable.Contains(s));
        var raw = all.Where(p => OnService(p) && SetsOf(p).Any()).ToArray();
        var positions = raw.Select(p => p.GetProperty("position")).Where(p => p.ValueKind == JsonValueKind.Number)
            .Select(p => p.GetInt32()).Distinct().OrderBy(p => p).ToList();
        var used = new HashSet<string>(raw.SelectMany(SetsOf), StringComparer.OrdinalIgnoreCase);
        var sets = declaredSets.Select(s => s.Name).Where(used.Contains).ToArray();
        var parameters = raw.Select(p => new CatalogueParameter(
                p.GetProperty("name").GetString()!,
                p.GetProperty("type").GetString()!,
                SetsOf(p).ToArray(),
                p.GetProperty("required").GetBoolean(),
                p.GetProperty("position").ValueKind == JsonValueKind.Number ? positions.IndexOf(p.GetProperty("position").GetInt32()) : null,
                p.GetProperty("pipeline").GetProperty("byValue").GetBoolean(),
                p.GetProperty("pipeline").GetProperty("byPropertyName").GetBoolean(),
                p.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).ToArray()))
            .ToArray();
        string? defaultSet = null;
        if (sets.Length > 1)
        {
            defaultSet = declaredSets.Where(s => s.Default && used.Contains(s.Name)).Select(s => s.Name).FirstOrDefault()
                ?? sets.FirstOrDefault(s => s.Equals("Identity", StringComparison.OrdinalIgnoreCase))
                ?? sets.OrderByDescending(s => parameters.Count(p => p.Sets.Contains(s))).First();
        }

        return new CatalogueCmdlet(name, service, sets, defaultSet, parameters);
    }
}

internal sealed class CatalogueParameter
{
    public CatalogueParameter(string name, string type, IReadOnlyList<string> sets, bool required, int? position, bool byValue, bool byPropertyName, IReadOnlyList<string> aliases)
    {
        Name = name;
        Type = type;
        Sets = sets;
        Required = required;
        Position = position;
        ByValue = byValue;
        ByPropertyName = byPropertyName;
        Aliases = aliases;
    }

    public string Name { get; }

    /// <summary>Exchange's type name (MailboxIdParameter, MultiValuedProperty, SwitchParameter…).</summary>
    public string Type { get; }

    public IReadOnlyList<string> Sets { get; }

    public bool Required { get; }

    /// <summary>Counted from 0 within the cmdlet; null when named only.</summary>
    public int? Position { get; }

    public bool ByValue { get; }

    public bool ByPropertyName { get; }

    public IReadOnlyList<string> Aliases { get; }
}
