using System.Xml.Linq;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// The .format.ps1xml element of EXOModuleFile (§3.2): table views for what the generated module's Get- cmdlets
/// return, keyed on the "ExoSandbox.&lt;Noun&gt;" type name its Execute-Command puts on each object. Microsoft's
/// module writes it beside the psm1 and lists it in FormatsToProcess; ExoAdmin has its own views and ignores it.
/// </summary>
internal static class ModuleFormatData
{
    public const string FileName = "tmpEXO.format.ps1xml";

    /// <summary>The columns of each noun's table view, as Exchange's own views show them.</summary>
    private static readonly Dictionary<string, string[]> Views = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Mailbox"] = ["Name", "Alias", "RecipientTypeDetails", "PrimarySmtpAddress"],
        ["MailboxPermission"] = ["Identity", "User", "AccessRights", "IsInherited", "Deny"],
        ["RecipientPermission"] = ["Identity", "Trustee", "AccessControlType", "AccessRights"],
        ["MailboxAutoReplyConfiguration"] = ["Identity", "AutoReplyState", "StartTime", "EndTime"],
        ["DistributionGroup"] = ["Name", "DisplayName", "GroupType", "PrimarySmtpAddress"],
        ["DistributionGroupMember"] = ["Name", "RecipientType"],
        ["Recipient"] = ["Name", "RecipientType"],
        ["CASMailbox"] = ["Name", "ActiveSyncEnabled", "OWAEnabled", "PopEnabled", "ImapEnabled", "MAPIEnabled", "EwsEnabled"],
        ["InboxRule"] = ["Name", "Enabled", "Priority", "RuleIdentity"],
    };

    /// <summary>A Configuration document with a view for each Get- cmdlet served that has one.</summary>
    public static string For(IEnumerable<string> cmdletNames)
    {
        var views = cmdletNames
            .Where(name => name.StartsWith("Get-", StringComparison.OrdinalIgnoreCase))
            .Select(name => name[4..])
            .Where(Views.ContainsKey)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(View);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("Configuration", new XElement("ViewDefinitions", views));
    }

    private static XElement View(string noun) =>
        new("View",
            new XElement("Name", "ExoSandbox." + noun),
            new XElement("ViewSelectedBy", new XElement("TypeName", "ExoSandbox." + noun)),
            new XElement("TableControl",
                new XElement("TableHeaders", Views[noun].Select(_ => new XElement("TableColumnHeader"))),
                new XElement("TableRowEntries",
                    new XElement("TableRowEntry",
                        new XElement("TableColumnItems", Views[noun].Select(column =>
                            new XElement("TableColumnItem", new XElement("PropertyName", column))))))));
}
