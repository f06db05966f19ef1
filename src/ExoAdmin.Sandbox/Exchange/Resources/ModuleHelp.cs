using System.Xml.Linq;
using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// MAML help for the cmdlets of one Exchange help file, generated from the catalogue: names, one syntax item per
/// parameter set, and each parameter's type, mandatory flag, position, pipeline input and aliases. The catalogue
/// carries no prose, so descriptions say only what the facts say.
/// </summary>
internal static class ModuleHelp
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string For(IEnumerable<CatalogueCmdlet> cmdlets) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), cmdlets.Select(CommandOf));

    private static XElement CommandOf(CatalogueCmdlet cmdlet)
    {
        var service = cmdlet.Service == CatalogueService.ExchangeOnline ? "Exchange Online" : "Security & Compliance";
        var synopsis = $"{cmdlet.Name} is a {service} cmdlet; it runs on the service through InvokeCommand." +
            (ManagementRoles.ChangesState(cmdlet.Name) ? " It supports -WhatIf and -Confirm." : string.Empty);
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "command", Command.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dev", Dev.NamespaceName),
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                Para(synopsis),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun)),
            Para(synopsis),
            new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set =>
                new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    cmdlet.Parameters
                        .Select(p => (Parameter: p, Membership: p.In(set)))
                        .Where(x => x.Membership is not null)
                        .OrderBy(x => x.Membership!.Position ?? int.MaxValue)
                        .Select(x => Parameter(x.Parameter, x.Membership!, described: false))))),
            new XElement(Command + "parameters", cmdlet.Parameters.Select(p => Parameter(p, p.Sets[0], described: true))));
    }

    private static XElement Parameter(CatalogueParameter parameter, SetMembership membership, bool described)
    {
        var element = new XElement(Command + "parameter",
            new XAttribute("required", membership.Mandatory ? "true" : "false"),
            new XAttribute("position", membership.Position is { } position ? (position + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "named"),
            new XAttribute("pipelineInput", PipelineInput(parameter)),
            new XAttribute("globbing", "false"),
            new XAttribute("aliases", parameter.Aliases.Count > 0 ? string.Join(", ", parameter.Aliases) : "none"),
            new XElement(Maml + "name", parameter.Name));
        if (described)
        {
            element.Add(Para($"The {parameter.Name} parameter ({parameter.TypeName}){(parameter.Sets.Any(s => s.Mandatory) ? " is required" : string.Empty)}."));
        }

        if (!parameter.IsSwitch)
        {
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), parameter.TypeName));
        }

        if (described)
        {
            element.Add(new XElement(Dev + "type", new XElement(Maml + "name", parameter.TypeName)));
        }

        return element;
    }

    private static string PipelineInput(CatalogueParameter p) => (p.FromPipeline, p.FromPipelineByPropertyName) switch
    {
        (true, true) => "True (ByValue, ByPropertyName)",
        (true, false) => "True (ByValue)",
        (false, true) => "True (ByPropertyName)",
        _ => "False",
    };

    private static XElement Para(string text) => new(Maml + "description", new XElement(Maml + "para", text));
}
