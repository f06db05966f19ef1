using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;
using ExoAdmin.Sandbox.Exchange.InvokeCommand;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// An object built property by property, for everything that is not a Mailbox entity (statistics, permissions,
/// groups…). Written as an OData entity or complex value, or as InvokeCommand's Exchange.GenericHashTable, where
/// each collection is preceded by its "@odata.type" annotation.
/// </summary>
internal sealed class PropertyBag(int ordinal) : ICmdletOutput
{
    private static readonly JsonEncodedText StringCollection = JsonEncodedText.Encode("#Collection(String)");
    private readonly List<(string Name, object Value)> _properties = [];

    public int Ordinal { get; } = ordinal;

    public PropertyBag Add(string name, PropertyValue value)
    {
        _properties.Add((name, value));
        return this;
    }

    /// <summary>Values an admin stored: each replaces the derived value of the same name, or is added when the bag has none.</summary>
    public PropertyBag Overlay(StoredProperties stored)
    {
        foreach (var (name, value) in stored.All)
        {
            var index = _properties.FindIndex(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                _properties[index] = (_properties[index].Name, value);
            }
            else
            {
                _properties.Add((name, value));
            }
        }

        return this;
    }

    /// <summary>A collection of complex values (e.g. a permission's PermissionList).</summary>
    public PropertyBag AddComplex(string name, IReadOnlyList<PropertyBag> values)
    {
        _properties.Add((name, values));
        return this;
    }

    /// <summary>A property's value as a plain object (null when absent), for $filter.</summary>
    public object? Get(string name)
    {
        foreach (var (key, value) in _properties)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value is PropertyValue single ? single.ToObject() : value;
            }
        }

        return null;
    }

    /// <summary>A property's value (null when absent or complex), for what a change starts from.</summary>
    public PropertyValue ValueOf(string name)
    {
        foreach (var (key, value) in _properties)
        {
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return value is PropertyValue single ? single : PropertyValue.Null;
            }
        }

        return PropertyValue.Null;
    }

    /// <summary>The same properties at another position in a result's order.</summary>
    public PropertyBag WithOrdinal(int ordinal)
    {
        var copy = new PropertyBag(ordinal);
        copy._properties.AddRange(_properties);
        return copy;
    }

    /// <summary>
    /// The entity a request selected (<see cref="PropertySets.Select"/>): those properties in that order, each
    /// with this bag's value or null where the bag has none.
    /// </summary>
    public PropertyBag Project(IReadOnlyList<EdmProperty> properties)
    {
        // One pass to index this bag (the first of a repeated name wins), not a scan per selected property: list
        // pages project every row, and All selects a hundred properties or more.
        var byName = new Dictionary<string, object>(_properties.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in _properties)
        {
            byName.TryAdd(name, value);
        }

        var copy = new PropertyBag(Ordinal);
        foreach (var property in properties)
        {
            copy._properties.Add((property.Name, byName.TryGetValue(property.Name, out var value) ? value : PropertyValue.Null));
        }

        return copy;
    }

    /// <summary>InvokeCommand output: an open Exchange.GenericHashTable, each collection after its "@odata.type".</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#Exchange.GenericHashTable");
        foreach (var (name, value) in _properties)
        {
            switch (value)
            {
                case PropertyValue single:
                    if (single.IsList)
                    {
                        writer.WriteString(name + "@odata.type", StringCollection);
                    }

                    writer.WritePropertyName(name);
                    single.WriteTo(writer);
                    break;
                case IReadOnlyList<PropertyBag> items:
                    writer.WriteStartArray(name);
                    foreach (var item in items)
                    {
                        item.WriteUntyped(writer);
                    }

                    writer.WriteEndArray();
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// An OData entity or complex value of <paramref name="type"/>, each property as the schema types it
    /// (<see cref="EdmJson"/>); with <paramref name="contextUrl"/> a top-level one.
    /// </summary>
    public void WriteEntity(Utf8JsonWriter writer, EdmStructuredType type, string? contextUrl = null)
    {
        writer.WriteStartObject();
        if (contextUrl is not null)
        {
            writer.WriteString("@odata.context", contextUrl);
        }

        foreach (var (name, value) in _properties)
        {
            var property = EdmJson.Property(type, name);
            writer.WritePropertyName(property.Name);
            switch (value)
            {
                case PropertyValue single:
                    EdmJson.WriteValue(writer, property, single);
                    break;
                case IReadOnlyList<PropertyBag> items:
                    var elementType = EdmSchema.Instance.GetType(property.ElementTypeName);
                    writer.WriteStartArray();
                    foreach (var item in items)
                    {
                        item.WriteEntity(writer, elementType);
                    }

                    writer.WriteEndArray();
                    break;
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A complex value inside a hash table, which has no schema type.</summary>
    private void WriteUntyped(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _properties)
        {
            writer.WritePropertyName(name);
            switch (value)
            {
                case PropertyValue single:
                    single.WriteTo(writer);
                    break;
                case IReadOnlyList<PropertyBag> items:
                    writer.WriteStartArray();
                    foreach (var item in items)
                    {
                        item.WriteUntyped(writer);
                    }

                    writer.WriteEndArray();
                    break;
            }
        }

        writer.WriteEndObject();
    }
}
