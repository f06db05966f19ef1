using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The Mailbox entity's <see cref="PropertySets"/> bound to how each property is read from a seeded mailbox
/// (<see cref="MailboxProperties"/>), whose names are checked against the schema at start-up too.
/// </summary>
internal sealed class MailboxPropertySets
{
    private readonly PropertySets _sets;

    private MailboxPropertySets(PropertySets sets)
    {
        _sets = sets;
        AllProperties = Selection(sets.AllProperties);
    }

    /// <summary>PropertySet=All: what export writes and what classic cmdlets return.</summary>
    public PropertySelection AllProperties { get; }

    public IEnumerable<string> SetNames => _sets.SetNames;

    public static MailboxPropertySets Load()
    {
        var sets = PropertySets.For("Mailbox");
        PropertySets.RequireSchemaProperties(sets.Type, MailboxProperties.MappedNames, nameof(MailboxProperties));
        return new MailboxPropertySets(sets);
    }

    /// <inheritdoc cref="PropertySets.Select"/>
    public PropertySelection Select(string? propertySets, string? select) => Selection(_sets.Select(propertySets, select));

    private static PropertySelection Selection(IReadOnlyList<Edm.EdmProperty> properties) =>
        new(properties.Select(p => new SelectedProperty(p, MailboxProperties.Get(p.Name))).ToArray());
}
