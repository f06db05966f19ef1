using System.Reflection;
using System.Xml.Linq;

namespace ExoAdmin.Sandbox.Edm;

/// <summary>
/// The service's OData model (adminapi-edmx.xml, embedded). It is the single source of property names and
/// Edm types: serializers and property sets are checked against it instead of repeating it in code.
/// </summary>
internal sealed class EdmSchema
{
    private const string ResourceName = "adminapi-edmx.xml";
    private const string Namespace = "Exchange.";
    private static readonly XNamespace Edm = "http://docs.oasis-open.org/odata/ns/edm";
    private static readonly Lazy<EdmSchema> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, EdmStructuredType> _types;

    private EdmSchema(Dictionary<string, EdmStructuredType> types) => _types = types;

    public static EdmSchema Instance => Embedded.Value;

    /// <summary>An entity or complex type of the Exchange namespace, by its short name (e.g. "Mailbox").</summary>
    public EdmStructuredType GetType(string name) =>
        _types.TryGetValue(name.StartsWith(Namespace, StringComparison.Ordinal) ? name[Namespace.Length..] : name, out var type)
            ? type
            : throw new KeyNotFoundException($"The schema has no type '{name}'.");

    private static EdmSchema LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        var document = XDocument.Load(stream);
        var enums = document.Descendants(Edm + "EnumType").Select(e => Namespace + (string)e.Attribute("Name")!).ToHashSet(StringComparer.Ordinal);
        var elements = document.Descendants(Edm + "EntityType").Concat(document.Descendants(Edm + "ComplexType"))
            .ToDictionary(e => (string)e.Attribute("Name")!, StringComparer.Ordinal);

        // A type has its base types' properties first, as OData orders them.
        IEnumerable<EdmProperty> PropertiesOf(XElement element) =>
            ((string?)element.Attribute("BaseType") is { } baseType ? PropertiesOf(elements[baseType[Namespace.Length..]]) : [])
            .Concat(element.Elements(Edm + "Property")
                .Select(p => EdmProperty.Parse((string)p.Attribute("Name")!, (string)p.Attribute("Type")!, enums.Contains)));

        var types = elements.ToDictionary(
            e => e.Key,
            e => new EdmStructuredType(
                e.Key,
                PropertiesOf(e.Value).ToArray(),
                e.Value.Elements(Edm + "NavigationProperty").Select(n => EdmProperty.Parse((string)n.Attribute("Name")!, (string)n.Attribute("Type")!)).ToArray()),
            StringComparer.Ordinal);
        return new EdmSchema(types);
    }
}

/// <summary>
/// An entity or complex type: its structural properties (its base types' first) in schema order, and apart from
/// them its navigation properties (contained collections such as Mailbox's MailboxPermission), which are never
/// selected as data but may be expanded into an answer.
/// </summary>
internal sealed class EdmStructuredType
{
    private readonly Dictionary<string, EdmProperty> _byName;
    private readonly Dictionary<string, EdmProperty> _navigationByName;

    public EdmStructuredType(string name, IReadOnlyList<EdmProperty> properties, IReadOnlyList<EdmProperty>? navigationProperties = null)
    {
        Name = name;
        Properties = properties;
        _byName = properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _navigationByName = (navigationProperties ?? []).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public IReadOnlyList<EdmProperty> Properties { get; }

    /// <summary>A navigation property by name (case-insensitive).</summary>
    public bool TryGetNavigationProperty(string name, out EdmProperty property) => _navigationByName.TryGetValue(name, out property!);

    /// <summary>Finds a property by name, ignoring case as the service does for $select.</summary>
    public bool TryGetProperty(string name, out EdmProperty property) => _byName.TryGetValue(name, out property!);
}
