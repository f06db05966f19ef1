using System;
using System.Collections.Generic;

namespace ExoAdmin.Engine.Model;

/// <summary>
/// The type names a client of the real service sees on classic cmdlets' output (Microsoft's module deserializes CLIXML,
/// so each object carries "Deserialized." and the server's .NET type), keyed by the cmdlet's noun. Scripts and format
/// files key on them; ExoAdmin's compiled and generated cmdlets both take their names from here, and the sandbox's
/// module file uses the same names.
/// </summary>
/// <remarks>
/// Where each name comes from: the server type that the cmdlet's task writes, as Exchange's management assemblies name
/// it (GetMailbox writes Mailbox, GetRecipient ReducedRecipient, Get-MailboxPermission MailboxAcePresentationObject,
/// Get-RecipientPermission RecipientPermission, Get-InboxRule InboxRule, Get-CASMailbox CASMailbox…). A noun missing here
/// gets ExoAdmin.&lt;Noun&gt;: better no Microsoft name than an invented one.
/// </remarks>
public static class ClassicTypeNames
{
    private const string Deserialized = "Deserialized.";

    private static readonly Dictionary<string, string> ByNoun = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Mailbox"] = "Microsoft.Exchange.Data.Directory.Management.Mailbox",
        ["Recipient"] = "Microsoft.Exchange.Data.Directory.Management.ReducedRecipient",
        ["DistributionGroupMember"] = "Microsoft.Exchange.Data.Directory.Management.ReducedRecipient",
        ["DistributionGroup"] = "Microsoft.Exchange.Data.Directory.Management.DistributionGroup",
        ["CASMailbox"] = "Microsoft.Exchange.Data.Directory.Management.CASMailbox",
        ["MailUser"] = "Microsoft.Exchange.Data.Directory.Management.MailUser",
        ["User"] = "Microsoft.Exchange.Data.Directory.Management.User",
        ["MailContact"] = "Microsoft.Exchange.Data.Directory.Management.MailContact",
        ["OrganizationConfig"] = "Microsoft.Exchange.Data.Directory.Management.OrganizationConfig",
        ["MailboxPermission"] = "Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject",
        ["RecipientPermission"] = "Microsoft.Exchange.Data.Directory.Permission.RecipientPermission",
        ["MailboxAutoReplyConfiguration"] = "Microsoft.Exchange.Data.Storage.Management.MailboxAutoReplyConfiguration",
        ["InboxRule"] = "Microsoft.Exchange.Management.Common.InboxRule",
        ["RetentionCompliancePolicy"] = "Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy",
    };

    /// <summary>The first type name of a cmdlet's output objects: "Deserialized.&lt;server type&gt;", or ExoAdmin.&lt;Noun&gt;.</summary>
    public static string For(string cmdletName)
    {
        var noun = cmdletName.Substring(cmdletName.IndexOf('-') + 1);
        return ByNoun.TryGetValue(noun, out var type) ? Deserialized + type : "ExoAdmin." + noun;
    }

    private static readonly Dictionary<string, string> SchemaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Mailbox"] = "Mailbox",
        ["CASMailbox"] = "CasMailbox",
        ["Recipient"] = "Recipient",
        ["DistributionGroupMember"] = "Recipient",
    };

    /// <summary>The schema type whose Edm types type the output's values (sizes, dates), by the cmdlet's noun; null when none fits.</summary>
    public static string? SchemaTypeOf(string cmdletName) =>
        SchemaTypes.TryGetValue(cmdletName.Substring(cmdletName.IndexOf('-') + 1), out var type) ? type : null;

    /// <summary>Every name in the table, for format data and tests.</summary>
    public static IEnumerable<KeyValuePair<string, string>> All
    {
        get
        {
            foreach (var entry in ByNoun)
            {
                yield return new KeyValuePair<string, string>(entry.Key, Deserialized + entry.Value);
            }
        }
    }
}
