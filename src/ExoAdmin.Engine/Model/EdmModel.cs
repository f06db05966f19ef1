using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace ExoAdmin.Engine.Model;

/// <summary>
/// The service's OData schema (embedded adminapi-edmx.xml, as extracted from the original
/// module): which properties an entity has and their Edm types. Loaded once, on first use.
/// </summary>
internal sealed class EdmModel
{
    private static readonly Lazy<EdmModel> LazyInstance = new(Load);
    private readonly Dictionary<string, EdmStructuredType> _types;

    private EdmModel(Dictionary<string, EdmStructuredType> types) => _types = types;

    public static EdmModel Instance => LazyInstance.Value;

    /// <summary>An entity or complex type by its short name (Mailbox, MailboxStatistics...).</summary>
    public EdmStructuredType GetType(string name) =>
        _types.TryGetValue(name, out var type) ? type : throw new KeyNotFoundException($"The schema has no type '{name}'.");

    private static EdmModel Load()
    {
        using var stream = typeof(EdmModel).Assembly.GetManifestResourceStream("adminapi-edmx.xml")
            ?? throw new InvalidDataException("The embedded OData schema is missing from ExoAdmin.Engine.");
        var document = XDocument.Load(stream);
        var raw = document.Descendants()
            .Where(e => e.Name.LocalName is "EntityType" or "ComplexType")
            .ToDictionary(e => (string)e.Attribute("Name")!, e => e, StringComparer.Ordinal);

        var types = new Dictionary<string, EdmStructuredType>(StringComparer.Ordinal);
        foreach (var name in raw.Keys)
        {
            var properties = new Dictionary<string, EdmProperty>(StringComparer.OrdinalIgnoreCase);
            // Inherited properties first (BaseType="Exchange.ComplexEntry"...).
            for (var element = raw[name]; element is not null; element = BaseOf(element, raw))
            {
                foreach (var property in element.Elements().Where(p => p.Name.LocalName == "Property"))
                {
                    var propertyName = (string)property.Attribute("Name")!;
                    if (!properties.ContainsKey(propertyName))
                    {
                        properties[propertyName] = new EdmProperty(propertyName, (string)property.Attribute("Type")!);
                    }
                }
            }

            types[name] = new EdmStructuredType(name, properties);
        }

        return new EdmModel(types);
    }

    private static XElement? BaseOf(XElement element, Dictionary<string, XElement> raw)
    {
        var baseType = (string?)element.Attribute("BaseType");
        if (baseType is null)
        {
            return null;
        }

        var shortName = baseType.Substring(baseType.LastIndexOf('.') + 1);
        return raw.TryGetValue(shortName, out var found) ? found : null;
    }
}

internal sealed class EdmStructuredType
{
    private readonly Dictionary<string, EdmProperty> _properties;

    public EdmStructuredType(string name, Dictionary<string, EdmProperty> properties)
    {
        Name = name;
        _properties = properties;
    }

    public string Name { get; }

    public IEnumerable<EdmProperty> Properties => _properties.Values;

    public EdmProperty? Find(string name) => _properties.TryGetValue(name, out var property) ? property : null;
}

internal sealed class EdmProperty
{
    public EdmProperty(string name, string type)
    {
        Name = name;
        IsCollection = type.StartsWith("Collection(", StringComparison.Ordinal);
        ElementType = IsCollection ? type.Substring(11, type.Length - 12) : type;
    }

    /// <summary>The schema's spelling, which the output uses.</summary>
    public string Name { get; }

    public bool IsCollection { get; }

    /// <summary>Edm.String, Edm.Guid, Exchange.ByteArrayType...; the element type for collections.</summary>
    public string ElementType { get; }
}
