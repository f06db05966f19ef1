namespace ExoAdmin.Sandbox.Edm;

/// <summary>The JSON shape an Edm type takes on the wire.</summary>
internal enum EdmValueKind
{
    String,
    Boolean,
    Integer,
    Guid,
    DateTimeOffset,
    /// <summary>An Exchange.* enum type: its member name as a string.</summary>
    Enum,
    /// <summary>An Exchange.* complex or entity type.</summary>
    Structured,
}

/// <summary>One structural property of an entity or complex type, as the schema declares it.</summary>
/// <param name="ElementTypeName">The type of the value, or of each element of a collection ("Exchange.MailboxPermissionInfo").</param>
internal sealed record EdmProperty(string Name, string TypeName, string ElementTypeName, EdmValueKind Kind, bool IsCollection)
{
    private const string CollectionPrefix = "Collection(";

    /// <summary>A property whose Exchange.* type, if any, is structured (what cmdlet outputs outside the schema use).</summary>
    public static EdmProperty Parse(string name, string typeName) => Parse(name, typeName, isEnum: _ => false);

    /// <param name="isEnum">Whether an Exchange.* type name is one of the schema's enum types.</param>
    public static EdmProperty Parse(string name, string typeName, Func<string, bool> isEnum)
    {
        var isCollection = typeName.StartsWith(CollectionPrefix, StringComparison.Ordinal);
        var elementType = isCollection ? typeName[CollectionPrefix.Length..^1] : typeName;
        return new EdmProperty(name, typeName, elementType, KindOf(elementType, isEnum), isCollection);
    }

    private static EdmValueKind KindOf(string elementType, Func<string, bool> isEnum) => elementType switch
    {
        "Edm.String" => EdmValueKind.String,
        "Edm.Boolean" => EdmValueKind.Boolean,
        "Edm.Int16" or "Edm.Int32" or "Edm.Int64" or "Edm.Byte" => EdmValueKind.Integer,
        "Edm.Guid" => EdmValueKind.Guid,
        "Edm.DateTimeOffset" => EdmValueKind.DateTimeOffset,
        _ when elementType.StartsWith("Exchange.", StringComparison.Ordinal) => isEnum(elementType) ? EdmValueKind.Enum : EdmValueKind.Structured,
        _ => throw new NotSupportedException($"Edm type '{elementType}' is not mapped."),
    };
}
