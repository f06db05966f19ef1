using System.Xml.Linq;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// The .format.ps1xml element of EXOModuleFile (§3.2): Exchange's default views of what the module's cmdlets return,
/// keyed on the deserialized type names the module puts on each object (<see cref="ModuleOutputTypes"/>).
/// Microsoft's module writes it beside the psm1 and lists it in FormatsToProcess.
/// </summary>
internal static class ModuleFormatData
{
    public const string FileName = "tmpEXO.format.ps1xml";

    /// <summary>A Configuration document with one view per output type of the cmdlets served.</summary>
    public static string For(IEnumerable<string> cmdletNames)
    {
        var views = cmdletNames
            .Select(ModuleOutputTypes.For)
            .OfType<ModuleOutputType>()
            .DistinctBy(t => t.ExchangeType)
            .OrderBy(t => t.ExchangeType, StringComparer.Ordinal)
            .Select(View);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("Configuration", new XElement("ViewDefinitions", views));
    }

    private static XElement View(ModuleOutputType type)
    {
        var selectedBy = new XElement("ViewSelectedBy", new XElement("TypeName", type.DeserializedName));
        if (type.List)
        {
            return new XElement("View",
                new XElement("Name", type.DeserializedName),
                selectedBy,
                new XElement("ListControl",
                    new XElement("ListEntries",
                        new XElement("ListEntry",
                            new XElement("ListItems", type.Columns.Select(column =>
                                new XElement("ListItem", new XElement("PropertyName", column))))))));
        }

        return new XElement("View",
            new XElement("Name", type.DeserializedName),
            selectedBy,
            new XElement("TableControl",
                new XElement("TableHeaders", type.Columns.Select(_ => new XElement("TableColumnHeader"))),
                new XElement("TableRowEntries",
                    new XElement("TableRowEntry",
                        new XElement("TableColumnItems", type.Columns.Select(column =>
                            new XElement("TableColumnItem", new XElement("PropertyName", column))))))));
    }
}
