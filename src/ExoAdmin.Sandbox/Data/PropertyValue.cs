using System.Text.Json;

namespace ExoAdmin.Sandbox.Data;

internal enum PropertyValueKind : byte
{
    Null,
    String,
    Boolean,
    Integer,
    Guid,
    StringList,
    GuidList,

    /// <summary>A JSON value kept as written (a collection of complex values, such as certificates).</summary>
    Json,
}

/// <summary>
/// One property value without boxing: serving 100,000 mailboxes reads millions of values, and a struct keeps
/// that free of allocations. Implicit conversions let accessors return plain C# values.
/// </summary>
internal readonly struct PropertyValue
{
    private readonly object? _reference;
    private readonly long _number;
    private readonly Guid _guid;

    private PropertyValue(PropertyValueKind kind, object? reference = null, long number = 0, Guid guid = default)
    {
        Kind = kind;
        _reference = reference;
        _number = number;
        _guid = guid;
    }

    public static PropertyValue Null => default;

    public PropertyValueKind Kind { get; }

    public static implicit operator PropertyValue(string? value) =>
        value is null ? Null : new(PropertyValueKind.String, value);

    public static implicit operator PropertyValue(bool value) => new(PropertyValueKind.Boolean, number: value ? 1 : 0);

    public static implicit operator PropertyValue(bool? value) => value is { } v ? v : Null;

    public static implicit operator PropertyValue(int value) => new(PropertyValueKind.Integer, number: value);

    public static implicit operator PropertyValue(int? value) => value is { } v ? v : Null;

    public static implicit operator PropertyValue(long value) => new(PropertyValueKind.Integer, number: value);

    public static implicit operator PropertyValue(Guid value) => new(PropertyValueKind.Guid, guid: value);

    public static implicit operator PropertyValue(string[] value) => new(PropertyValueKind.StringList, value);

    public static implicit operator PropertyValue(Guid[] value) => new(PropertyValueKind.GuidList, value);

    /// <summary>A value stored as its JSON text, written back unchanged.</summary>
    public static PropertyValue FromJson(string json) => new(PropertyValueKind.Json, json);

    /// <summary>Whether two values are the same value (lists item by item), to tell a change from a no-op.</summary>
    public bool SameAs(PropertyValue other) => Kind == other.Kind && Kind switch
    {
        PropertyValueKind.StringList => ((string[])_reference!).SequenceEqual((string[])other._reference!, StringComparer.Ordinal),
        PropertyValueKind.GuidList => ((Guid[])_reference!).SequenceEqual((Guid[])other._reference!),
        PropertyValueKind.String or PropertyValueKind.Json => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
        _ => _number == other._number && _guid == other._guid,
    };

    /// <summary>The value as a plain object (string, bool, long, Guid, string[], Guid[] or null), for filters.</summary>
    public object? ToObject() => Kind switch
    {
        PropertyValueKind.String or PropertyValueKind.StringList or PropertyValueKind.GuidList or PropertyValueKind.Json => _reference,
        PropertyValueKind.Boolean => _number != 0,
        PropertyValueKind.Integer => _number,
        PropertyValueKind.Guid => _guid,
        _ => null,
    };

    public bool IsList => Kind is PropertyValueKind.StringList or PropertyValueKind.GuidList;

    /// <summary>Writes the JSON value. GUIDs are strings in every Exchange JSON format.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case PropertyValueKind.Null:
                writer.WriteNullValue();
                break;
            case PropertyValueKind.String:
                writer.WriteStringValue((string)_reference!);
                break;
            case PropertyValueKind.Boolean:
                writer.WriteBooleanValue(_number != 0);
                break;
            case PropertyValueKind.Integer:
                writer.WriteNumberValue(_number);
                break;
            case PropertyValueKind.Guid:
                writer.WriteStringValue(_guid);
                break;
            case PropertyValueKind.StringList:
                writer.WriteStartArray();
                foreach (var item in (string[])_reference!)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case PropertyValueKind.GuidList:
                writer.WriteStartArray();
                foreach (var item in (Guid[])_reference!)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            case PropertyValueKind.Json:
                writer.WriteRawValue((string)_reference!);
                break;
            default:
                throw new InvalidOperationException($"Unknown value kind {Kind}.");
        }
    }
}
