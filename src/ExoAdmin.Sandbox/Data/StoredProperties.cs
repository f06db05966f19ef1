using System.Collections.Immutable;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// Property values an admin set on an object (Set-Mailbox -CustomAttribute7 x, Set-CASMailbox -PopEnabled $false…),
/// by property name, each already in the type the schema gives that property, so Get- cmdlets and the Get-EXO*
/// resources read them back as they read any other value. One store for every modelled object instead of a field
/// per parameter; immutable, so a changed object is a copy and readers never see half a change.
/// </summary>
internal sealed class StoredProperties
{
    public static readonly StoredProperties Empty = new(ImmutableDictionary.Create<string, PropertyValue>(StringComparer.OrdinalIgnoreCase));

    private readonly ImmutableDictionary<string, PropertyValue> _values;

    private StoredProperties(ImmutableDictionary<string, PropertyValue> values) => _values = values;

    public bool IsEmpty => _values.IsEmpty;

    public IEnumerable<KeyValuePair<string, PropertyValue>> All => _values;

    public bool TryGet(string name, out PropertyValue value) => _values.TryGetValue(name, out value);

    public StoredProperties With(string name, PropertyValue value) => new(_values.SetItem(name, value));

    /// <summary>Whether both hold the same values under the same names.</summary>
    public bool SameAs(StoredProperties other) =>
        _values.Count == other._values.Count && _values.All(v => other._values.TryGetValue(v.Key, out var o) && v.Value.SameAs(o));
}
