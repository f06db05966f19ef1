using System.Reflection;
using System.Text.Json;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Binds the Mailbox entity of the schema to the seeded data: which properties each property set holds
/// (Data/MailboxPropertySets.json) and how each is read (<see cref="MailboxProperties"/>). Loading checks
/// every name against the schema, so a typo fails at start-up instead of serving a wrong shape.
/// </summary>
internal sealed class MailboxPropertySets
{
    public const string Minimum = "Minimum";
    public const string All = "All";
    private const string ResourceName = "MailboxPropertySets.json";

    private readonly EdmStructuredType _mailbox;
    private readonly Dictionary<string, HashSet<string>> _sets;

    private MailboxPropertySets(EdmStructuredType mailbox, Dictionary<string, HashSet<string>> sets)
    {
        _mailbox = mailbox;
        _sets = sets;
        AllProperties = Selection(_sets[All]);
    }

    /// <summary>PropertySet=All: what export writes and what classic cmdlets return.</summary>
    public PropertySelection AllProperties { get; }

    public IEnumerable<string> SetNames => _sets.Keys;

    public static MailboxPropertySets Load()
    {
        var mailbox = EdmSchema.Instance.GetType("Mailbox");
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing.");
        var file = JsonSerializer.Deserialize<PropertySetFile>(stream, new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
        }) ?? throw new InvalidOperationException($"{ResourceName} is empty.");

        RequireSchemaProperties(mailbox, MailboxProperties.MappedNames, nameof(MailboxProperties));
        RequireSchemaProperties(mailbox, file.WriteOnlyProperties, "writeOnlyProperties");
        var sets = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, members) in file.PropertySets)
        {
            RequireSchemaProperties(mailbox, members, name);
            sets[name] = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase);
        }

        var writeOnly = new HashSet<string>(file.WriteOnlyProperties, StringComparer.OrdinalIgnoreCase) { "ObjectKey" };
        sets[All] = mailbox.Properties.Select(p => p.Name).Where(name => !writeOnly.Contains(name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new MailboxPropertySets(mailbox, sets);
    }

    /// <summary>
    /// The properties a request asks for: the union of its property sets (Minimum when none is named) and
    /// its $select properties ("*" for all), written in schema order.
    /// </summary>
    /// <param name="propertySets">The PropertySet query option: "Archive,Quota".</param>
    /// <param name="select">The $select query option: "Office,CustomAttribute1".</param>
    /// <exception cref="ExchangeErrorException">An unknown property set or property.</exception>
    public PropertySelection Select(string? propertySets, string? select)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var set in SplitList(propertySets).DefaultIfEmpty(Minimum))
        {
            names.UnionWith(_sets.TryGetValue(set, out var members)
                ? members
                : throw new ExchangeErrorException(ExchangeErrors.BadRequest(
                    $"'{set}' is not a valid property set. Valid property sets: {string.Join(", ", _sets.Keys)}.")));
        }

        foreach (var property in SplitList(select))
        {
            if (property == "*")
            {
                names.UnionWith(_sets[All]);
            }
            else if (_mailbox.TryGetProperty(property, out var edm))
            {
                names.Add(edm.Name);
            }
            else
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"Could not find a property named '{property}' on type 'Exchange.Mailbox'."));
            }
        }

        return Selection(names);
    }

    private PropertySelection Selection(IReadOnlySet<string> names) =>
        new(_mailbox.Properties.Where(p => names.Contains(p.Name)).Select(p => new SelectedProperty(p, MailboxProperties.Get(p.Name))).ToArray());

    private static IEnumerable<string> SplitList(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void RequireSchemaProperties(EdmStructuredType type, IEnumerable<string> names, string source)
    {
        var unknown = names.Where(name => !type.TryGetProperty(name, out _)).ToArray();
        if (unknown.Length > 0)
        {
            throw new InvalidOperationException($"{source} names properties that Exchange.{type.Name} does not have: {string.Join(", ", unknown)}.");
        }
    }

    private sealed record PropertySetFile(Dictionary<string, string[]> PropertySets, string[] WriteOnlyProperties);
}
