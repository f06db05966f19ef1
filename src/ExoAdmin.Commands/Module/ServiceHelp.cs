using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// Connect-ExchangeOnline -LoadCmdletHelp: the service's help files (EXOHelpFile, §3.3) written where the service's
/// commands find them, a folder of the connection's own in the temporary folder, removed with its commands. Each
/// command is named in its help as it is made (Get-ContosoMailbox under -Prefix Contoso), and one that Microsoft's
/// reference documents gets that page as its online address when the file has none, so Get-Help -Online works on it.
/// </summary>
internal static class ServiceHelp
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    /// <summary>Microsoft's reference page of a cmdlet it ships.</summary>
    internal static string ReferencePageOf(string cmdletName) =>
        "https://learn.microsoft.com/powershell/module/exchangepowershell/" + cmdletName.ToLowerInvariant();

    /// <summary>
    /// Writes the help files the made commands use and returns, per help file name the module file gives, the path written.
    /// A file named unlike a plain .xml file name, or that is not MAML, is left out: nothing the service sends is written
    /// anywhere but in the connection's folder.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> Write(ExoConnection connection, IReadOnlyList<ExoHelpFile> files, IReadOnlyList<KeyValuePair<string, ServiceCmdlet>> plan)
    {
        var written = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (files.Count == 0)
        {
            return written;
        }

        // The name each service cmdlet was made under.
        var madeAs = plan.GroupBy(p => p.Value.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.OrdinalIgnoreCase);
        var folder = Directory.CreateDirectory(FolderOf(connection)).FullName;
        connection.WhenDisposed(() => Delete(folder));
        foreach (var file in files)
        {
            if (!IsPlainFileName(file.FileName) || Parse(file.Content) is not { } maml)
            {
                continue;
            }

            foreach (var command in maml.Descendants(Command + "command"))
            {
                var name = command.Element(Command + "details")?.Element(Command + "name");
                if (name is null || !madeAs.TryGetValue(name.Value.Trim(), out var commandName))
                {
                    continue;
                }

                AddOnlineAddress(command, name.Value.Trim());
                name.Value = commandName;
                foreach (var syntaxName in command.Elements(Command + "syntax").Elements(Command + "syntaxItem").Elements(Maml + "name"))
                {
                    syntaxName.Value = commandName;
                }
            }

            var path = Path.Combine(folder, file.FileName);
            maml.Save(path);
            written[file.FileName] = path;
        }

        return written;
    }

    /// <summary>Removes a connection's help files when it goes (Disconnect-ExchangeOnline, a connect that replaces it).</summary>
    private static void Delete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Public help text left in the temporary folder harms nothing; disconnecting must not fail over it.
        }
    }

    private static string FolderOf(ExoConnection connection) => Path.Combine(Path.GetTempPath(), "ExoAdmin-help", connection.ConnectionId);

    private static bool IsPlainFileName(string name) =>
        name.Length > 4 && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0
        && name == Path.GetFileName(name) && name != ".." && !name.StartsWith(".", StringComparison.Ordinal);

    /// <summary>MAML, or null: a document type is refused (no entity expansion from a service's answer).</summary>
    private static XDocument? Parse(string content)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var document = XDocument.Load(reader);
            return document.Root?.Name.LocalName == "helpItems" ? document : null;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    /// <summary>The first related link is what Get-Help -Online opens (PlatyPS writes it as "Online Version:").</summary>
    private static void AddOnlineAddress(XElement command, string cmdletName)
    {
        var links = command.Element(Command + "relatedLinks");
        var hasAddress = links?.Elements(Maml + "navigationLink").Elements(Maml + "uri").Any(u => Uri.TryCreate(u.Value.Trim(), UriKind.Absolute, out _)) ?? false;
        if (hasAddress || !CatalogueCmdletNames.All.Contains(cmdletName, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        if (links is null)
        {
            links = new XElement(Command + "relatedLinks");
            command.Add(links);
        }

        links.AddFirst(new XElement(Maml + "navigationLink",
            new XElement(Maml + "linkText", "Online Version:"),
            new XElement(Maml + "uri", ReferencePageOf(cmdletName))));
    }
}
