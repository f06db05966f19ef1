namespace ExoAdmin.Sandbox.Catalogue;

/// <summary>What kind of value a parameter takes, which decides how the sandbox reads it from InvokeCommand's JSON.</summary>
internal enum ParameterKind
{
    /// <summary>Identities, enums, addresses and every other Exchange type: text (or a list of text) the cmdlet interprets.</summary>
    Value,
    Switch,
    Boolean,
    Integer,
    Text,
    TextList,
    Date,
    Guid,

    /// <summary>RSA-encrypted text (§5.2).</summary>
    SecureString,
    Credential,

    /// <summary>Unlimited&lt;T&gt; or ByteQuantifiedSize: "Unlimited", "49GB", "49 GB (52,613,349,376 bytes)" or a number.</summary>
    Unlimited,
    TimeSpan,

    /// <summary>MultiValuedProperty, ProxyAddressCollection and other lists: a list, or @{Add=…;Remove=…}.</summary>
    MultiValued,
    Hashtable,
    HashtableList,
    Bytes,
}

/// <summary>A catalogue type as a client can declare it, and how the sandbox reads its values.</summary>
/// <param name="PowerShell">The type literal of the module file's param block: one every client can load.</param>
internal sealed record ParameterType(string PowerShell, ParameterKind Kind);

/// <summary>
/// The one table from Exchange's parameter types (as the catalogue names them) to types a client can load.
/// Exchange's own types (MailboxIdParameter, MultiValuedProperty, Unlimited, Fqdn, enums…) do not exist outside the
/// service, so the module file declares them [object], as PowerShell's implicit-remoting proxies do: the client
/// sends what the caller gave, and the service converts it. .NET types every PowerShell has keep their type.
/// </summary>
internal static class ParameterTypes
{
    private static readonly Dictionary<string, ParameterType> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        ["SwitchParameter"] = new("[switch]", ParameterKind.Switch),
        ["Boolean"] = new("[bool]", ParameterKind.Boolean),
        ["System.Boolean"] = new("[bool]", ParameterKind.Boolean),
        ["Int16"] = new("[int16]", ParameterKind.Integer),
        ["Int32"] = new("[int]", ParameterKind.Integer),
        ["System.Int32"] = new("[int]", ParameterKind.Integer),
        ["Int64"] = new("[long]", ParameterKind.Integer),
        ["UInt16"] = new("[uint16]", ParameterKind.Integer),
        ["UInt32"] = new("[uint32]", ParameterKind.Integer),
        ["System.UInt64"] = new("[uint64]", ParameterKind.Integer),
        ["String"] = new("[string]", ParameterKind.Text),
        ["System.String"] = new("[string]", ParameterKind.Text),
        ["String[]"] = new("[string[]]", ParameterKind.TextList),
        ["DateTime"] = new("[datetime]", ParameterKind.Date),
        ["System.DateTime"] = new("[datetime]", ParameterKind.Date),
        // Exchange's own date type; a DateTime converts to it on the service.
        ["ExDateTime"] = new("[datetime]", ParameterKind.Date),
        ["DateTimeOffset"] = new("[datetimeoffset]", ParameterKind.Date),
        ["Guid"] = new("[guid]", ParameterKind.Guid),
        ["System.Guid"] = new("[guid]", ParameterKind.Guid),
        ["SecureString"] = new("[securestring]", ParameterKind.SecureString),
        ["PSCredential"] = new("[pscredential]", ParameterKind.Credential),
        ["Uri"] = new("[uri]", ParameterKind.Value),
        ["CultureInfo"] = new("[cultureinfo]", ParameterKind.Value),
        ["TimeSpan"] = new("[timespan]", ParameterKind.TimeSpan),
        // Not [timespan]: "30" means 30 days to Exchange but 30 ticks to PowerShell's conversion.
        ["EnhancedTimeSpan"] = new("[object]", ParameterKind.TimeSpan),
        ["Unlimited"] = new("[object]", ParameterKind.Unlimited),
        ["UnlimitedInt"] = new("[object]", ParameterKind.Unlimited),
        ["ByteQuantifiedSize"] = new("[object]", ParameterKind.Unlimited),
        ["Microsoft.Exchange.Data.ByteQuantifiedSize"] = new("[object]", ParameterKind.Unlimited),
        ["Microsoft.Exchange.Management.RestApiClient.Unlimited`1[System.UInt32]"] = new("[object]", ParameterKind.Unlimited),
        // Not [object[]]: @{Add=…; Remove=…} must reach the service as one hashtable.
        ["MultiValuedProperty"] = new("[object]", ParameterKind.MultiValued),
        ["<MultiValuedProperty>"] = new("[object]", ParameterKind.MultiValued),
        ["ProxyAddressCollection"] = new("[object]", ParameterKind.MultiValued),
        ["ProxyAddressTemplateCollection"] = new("[object]", ParameterKind.MultiValued),
        ["Hashtable"] = new("[hashtable]", ParameterKind.Hashtable),
        ["PswsHashtable"] = new("[hashtable]", ParameterKind.Hashtable),
        ["Hashtable[]"] = new("[hashtable[]]", ParameterKind.HashtableList),
        ["PswsHashtable[]"] = new("[hashtable[]]", ParameterKind.HashtableList),
        ["System.Collections.Hashtable[]"] = new("[hashtable[]]", ParameterKind.HashtableList),
        ["Byte[]"] = new("[byte[]]", ParameterKind.Bytes),
    };

    private static readonly ParameterType ObjectArray = new("[object[]]", ParameterKind.MultiValued);
    private static readonly ParameterType Object = new("[object]", ParameterKind.Value);

    public static ParameterType Of(string catalogueType) =>
        Known.GetValueOrDefault(catalogueType)
        ?? (catalogueType.EndsWith("[]", StringComparison.Ordinal) ? ObjectArray : Object);
}
