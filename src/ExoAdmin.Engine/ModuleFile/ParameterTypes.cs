using System;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>The types ExoAdmin declares service parameters as: each one a value §5.2 says how to send.</summary>
public enum ParameterKind
{
    /// <summary>Anything: sent by what the value turns out to be (Exchange's own types: MultiValuedProperty, Unlimited, Fqdn…).</summary>
    Object,
    ObjectArray,
    String,
    StringArray,
    Boolean,
    Switch,
    Int32,
    Int64,
    UInt32,
    Double,
    DateTime,
    Guid,
    TimeSpan,
    SecureString,
    Credential,
    Hashtable,
    HashtableArray,
    ByteArray,
    ByteArrayArray,
}

/// <summary>
/// One table from a type name as the service writes it, in its module file or its cmdlet reference ("MailboxIdParameter",
/// "System.Boolean", "MultiValuedProperty", "SwitchParameter", "PswsHashtable[]"…), to the type ExoAdmin declares. Exchange's
/// own types do not exist on a client: identities (…IdParameter) become strings, which PowerShell fills from a piped
/// object's Identity; everything else Exchange-specific becomes object, which takes every form a script passes (a value, a
/// list, @{Add=…;Remove=…}, $null). The source generator of the compiled cmdlets compiles this same file.
/// </summary>
public static class ParameterTypes
{
    public static ParameterKind KindOf(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName))
        {
            return ParameterKind.Object;
        }

        var name = typeName!.Trim();
        if (name.EndsWith("[][]", StringComparison.Ordinal))
        {
            return ShortName(name.Substring(0, name.Length - 4)) is "byte" ? ParameterKind.ByteArrayArray : ParameterKind.ObjectArray;
        }

        if (name.EndsWith("[]", StringComparison.Ordinal))
        {
            return KindOf(name.Substring(0, name.Length - 2)) switch
            {
                ParameterKind.String => ParameterKind.StringArray,
                ParameterKind.Hashtable => ParameterKind.HashtableArray,
                ParameterKind.ByteArray => ParameterKind.ByteArrayArray,
                _ when ShortName(name.Substring(0, name.Length - 2)) is "byte" => ParameterKind.ByteArray,
                _ => ParameterKind.ObjectArray,
            };
        }

        if (name.IndexOf('[') >= 0 || name.IndexOf('<') >= 0)
        {
            // Nullable[bool], List[string], <MultiValuedProperty>…: object takes them all, $null included.
            return ParameterKind.Object;
        }

        var shortName = ShortName(name);
        if (shortName.EndsWith("idparameter", StringComparison.Ordinal))
        {
            return ParameterKind.String;
        }

        return shortName switch
        {
            "string" => ParameterKind.String,
            "bool" or "boolean" => ParameterKind.Boolean,
            "switch" or "switchparameter" => ParameterKind.Switch,
            "int" or "int32" => ParameterKind.Int32,
            "long" or "int64" => ParameterKind.Int64,
            "uint32" => ParameterKind.UInt32,
            "double" => ParameterKind.Double,
            "datetime" or "exdatetime" => ParameterKind.DateTime,
            "guid" => ParameterKind.Guid,
            "timespan" => ParameterKind.TimeSpan,
            "securestring" => ParameterKind.SecureString,
            "pscredential" => ParameterKind.Credential,
            "hashtable" or "pswshashtable" => ParameterKind.Hashtable,
            _ => ParameterKind.Object,
        };
    }

    private static readonly System.Collections.Generic.HashSet<string> Recipients = new(StringComparer.OrdinalIgnoreCase)
    {
        "RecipientIdParameter", "MailboxIdParameter", "SecurityPrincipalIdParameter", "ExtendedSecurityPrincipalIdParameter",
        "UserIdParameter", "MailUserIdParameter", "GroupIdParameter", "DistributionGroupIdParameter", "GeneralRecipientIdParameter",
        "UnifiedGroupIdParameter", "GeneralMailboxOrMailUserIdParameter", "MailContactIdParameter", "MailboxOrMailUserIdParameter",
        "ContactIdParameter", "UniversalSecurityGroupIdParameter", "DeliveryRecipientIdParameter", "UserContactIdParameter",
        "RecipientWithAdUserGroupIdParameter", "GeneralMailboxIdParameter", "UnifiedGroupOrUserMailboxIdParameter",
        "DistributionGroupMemberIdParameter", "DynamicDistributionGroupMemberIdParameter", "RoleGroupMemberIdParameter",
        "MailboxUserContactIdParameter", "SecurityGroupIdParameter", "UserContactGroupIdParameter", "DynamicGroupIdParameter",
    };

    /// <summary>Whether a parameter of this type names an object by its identity (Exchange's …IdParameter types).</summary>
    public static bool IsIdentity(string? typeName) =>
        !string.IsNullOrWhiteSpace(typeName) && typeName!.Trim().TrimEnd('[', ']').EndsWith("IdParameter", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a parameter of this type names a recipient (a mailbox, user, group, contact…): it completes as -Identity does.</summary>
    public static bool IsRecipient(string? typeName)
    {
        if (string.IsNullOrWhiteSpace(typeName))
        {
            return false;
        }

        var name = typeName!.Trim();
        while (name.EndsWith("[]", StringComparison.Ordinal))
        {
            name = name.Substring(0, name.Length - 2);
        }

        var dot = name.LastIndexOf('.');
        return Recipients.Contains(dot < 0 ? name : name.Substring(dot + 1));
    }

    private static string ShortName(string name)
    {
        var dot = name.LastIndexOf('.');
        return (dot < 0 ? name : name.Substring(dot + 1)).Trim().ToLowerInvariant();
    }
}
