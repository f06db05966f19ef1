namespace ExoAdmin.Sandbox.Edm;

/// <summary>The JSON shape an Edm type takes on the wire.</summary>
internal enum EdmValueKind
{
    String,
    Boolean,
    Integer,
    Guid,
    DateTimeOffset,
    /// <summary>An Exchange.* complex or entity type.</summary>
    Structured,
}

/// <summary>One structural property of an entity or complex type, as the schema declares it.</summary>
internal sealed record EdmProperty(string Name, string TypeName, EdmValueKind Kind, bool IsCollection)
{
    public static EdmProperty Parse(string name, string typeName)
    {
        const string collectionPrefix = "Collection(";
        var isCollection = typeName.StartsWith(collectionPrefix, StringComparison.Ordinal);
        var elementType = isCollection ? typeName[collectionPrefix.Length..^1] : typeName;
        return new EdmProperty(name, typeName, KindOf(elementType), isCollection);
    }

    private static EdmValueKind KindOf(string elementType) => elementType switch
    {
        "Edm.String" => EdmValueKind.String,
        "Edm.Boolean" => EdmValueKind.Boolean,
        "Edm.Int16" or "Edm.Int32" or "Edm.Int64" or "Edm.Byte" => EdmValueKind.Integer,
        "Edm.Guid" => EdmValueKind.Guid,
        "Edm.DateTimeOffset" => EdmValueKind.DateTimeOffset,
        _ when elementType.StartsWith("Exchange.", StringComparison.Ordinal) => EdmValueKind.Structured,
        _ => throw new NotSupportedException($"Edm type '{elementType}' is not mapped."),
    };
}
