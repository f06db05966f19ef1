using System.Reflection;
using System.Text.Json;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The property sets of one schema type (Mailbox, CasMailbox, Recipient, MailboxStatistics), with the members
/// Microsoft documents for each (Data/PropertySets.json), and how a request's PropertySet and $select pick
/// properties from them. One rule for every Get-EXO* cmdlet: the Minimum set always, plus each named set, plus
/// each $select property ("*" for all); All is every property of the type but its key, ChangedProperties and write-only ones.
/// Loading checks every name against the schema, so a typo fails at start-up instead of serving a wrong shape.
/// </summary>
internal sealed class PropertySets
{
    public const string Minimum = "Minimum";
    public const string All = "All";
    private const string ResourceName = "PropertySets.json";

    private static readonly Lazy<IReadOnlyDictionary<string, PropertySets>> Catalog = new(Load);

    private readonly Dictionary<string, HashSet<string>> _sets;

    private PropertySets(EdmStructuredType type, Dictionary<string, HashSet<string>> sets)
    {
        Type = type;
        _sets = sets;
        AllProperties = InSchemaOrder(_sets[All]);
    }

    public EdmStructuredType Type { get; }

    /// <summary>The set names a request may give, All included.</summary>
    public IEnumerable<string> SetNames => _sets.Keys;

    /// <summary>PropertySet=All: every readable property, in schema order.</summary>
    public IReadOnlyList<EdmProperty> AllProperties { get; }

    /// <summary>The property sets of a schema type ("Mailbox"); a type without any is a programming error.</summary>
    public static PropertySets For(string typeName) =>
        Catalog.Value.TryGetValue(typeName, out var sets) ? sets : throw new KeyNotFoundException($"{ResourceName} has no property sets for '{typeName}'.");

    /// <summary>
    /// The properties a request asks for, in schema order: the Minimum set, the union of its property sets and
    /// its $select properties.
    /// </summary>
    /// <param name="propertySets">The PropertySet query option: "Archive,Quota".</param>
    /// <param name="select">The $select query option: "Office,CustomAttribute1".</param>
    /// <exception cref="ExchangeErrorException">An unknown property set or property (400, naming it).</exception>
    public IReadOnlyList<EdmProperty> Select(string? propertySets, string? select)
    {
        var names = new HashSet<string>(_sets[Minimum], StringComparer.OrdinalIgnoreCase);
        foreach (var set in SplitList(propertySets))
        {
            names.UnionWith(_sets.TryGetValue(set, out var members)
                ? members
                : throw new ExchangeErrorException(ExchangeErrors.BadRequest(
                    $"'{set}' is not a valid property set of type 'Exchange.{Type.Name}'. Valid property sets: {string.Join(", ", _sets.Keys)}.")));
        }

        foreach (var property in SplitList(select))
        {
            if (property == "*")
            {
                names.UnionWith(_sets[All]);
            }
            else if (Type.TryGetProperty(property, out var edm))
            {
                names.Add(edm.Name);
            }
            else
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"Could not find a property named '{property}' on type 'Exchange.{Type.Name}'."));
            }
        }

        return InSchemaOrder(names);
    }

    private IReadOnlyList<EdmProperty> InSchemaOrder(IReadOnlySet<string> names) => Type.Properties.Where(p => names.Contains(p.Name)).ToArray();

    private static IEnumerable<string> SplitList(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IReadOnlyDictionary<string, PropertySets> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        var file = JsonSerializer.Deserialize<Dictionary<string, TypeSets>>(stream, new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        }) ?? throw new InvalidOperationException($"{ResourceName} is empty.");

        return file.ToDictionary(entry => entry.Key, entry => Build(EdmSchema.Instance.GetType(entry.Key), entry.Value), StringComparer.Ordinal);
    }

    private static PropertySets Build(EdmStructuredType type, TypeSets file)
    {
        var writeOnly = file.WriteOnlyProperties ?? [];
        RequireSchemaProperties(type, writeOnly, "writeOnlyProperties");
        if (!file.PropertySets.ContainsKey(Minimum))
        {
            throw new InvalidOperationException($"{ResourceName}: {type.Name} has no {Minimum} set.");
        }

        var sets = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, members) in file.PropertySets)
        {
            RequireSchemaProperties(type, members, $"{type.Name}.{name}");
            sets[name] = new HashSet<string>(members.Select(m => { type.TryGetProperty(m, out var p); return p.Name; }), StringComparer.OrdinalIgnoreCase);
        }

        // ObjectKey is the entity's key and ChangedProperties (of complex types' base ComplexEntry) the OData client's
        // change tracking: neither is data a cmdlet shows.
        var excluded = new HashSet<string>(writeOnly, StringComparer.OrdinalIgnoreCase) { "ObjectKey", "ChangedProperties" };
        sets[All] = type.Properties.Select(p => p.Name).Where(name => !excluded.Contains(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new PropertySets(type, sets);
    }

    /// <summary>Fails unless every name is a property of the type.</summary>
    public static void RequireSchemaProperties(EdmStructuredType type, IEnumerable<string> names, string source)
    {
        var unknown = names.Where(name => !type.TryGetProperty(name, out _)).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException($"{source} names properties that Exchange.{type.Name} does not have: {string.Join(", ", unknown)}.");
        }
    }

    private sealed record TypeSets(Dictionary<string, string[]> PropertySets, string[]? WriteOnlyProperties);
}
