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
    private static readonly XNamespace Edm = "http://docs.oasis-open.org/odata/ns/edm";
    private static readonly Lazy<EdmSchema> Embedded = new(LoadEmbedded);

    private readonly Dictionary<string, EdmStructuredType> _types;

    private EdmSchema(Dictionary<string, EdmStructuredType> types) => _types = types;

    public static EdmSchema Instance => Embedded.Value;

    /// <summary>An entity or complex type of the Exchange namespace, by its short name (e.g. "Mailbox").</summary>
    public EdmStructuredType GetType(string name) =>
        _types.TryGetValue(name, out var type) ? type : throw new KeyNotFoundException($"The schema has no type '{name}'.");

    private static EdmSchema LoadEmbedded()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        var document = XDocument.Load(stream);
        var types = document.Descendants(Edm + "EntityType")
            .Concat(document.Descendants(Edm + "ComplexType"))
            .Select(element => new EdmStructuredType(
                (string)element.Attribute("Name")!,
                element.Elements(Edm + "Property")
                    .Select(p => EdmProperty.Parse((string)p.Attribute("Name")!, (string)p.Attribute("Type")!))
                    .ToArray()))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);
        return new EdmSchema(types);
    }
}

/// <summary>An entity or complex type: its structural properties in schema order.</summary>
internal sealed class EdmStructuredType
{
    private readonly Dictionary<string, EdmProperty> _byName;

    public EdmStructuredType(string name, IReadOnlyList<EdmProperty> properties)
    {
        Name = name;
        Properties = properties;
        _byName = properties.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public IReadOnlyList<EdmProperty> Properties { get; }

    /// <summary>Finds a property by name, ignoring case as the service does for $select.</summary>
    public bool TryGetProperty(string name, out EdmProperty property) => _byName.TryGetValue(name, out property!);
}
