using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>One of the service's help files: its name (as the module file's ".ExternalHelp" lines name it) and its MAML.</summary>
public sealed class ExoHelpFile
{
    public ExoHelpFile(string fileName, string content)
    {
        FileName = fileName;
        Content = content;
    }

    public string FileName { get; }

    public string Content { get; }
}

/// <summary>
/// GET {CU}/AdminApi/v1.0/{tenant}/EXOHelpFile?Version=… (§3.3, Connect-ExchangeOnline -LoadCmdletHelp): the MAML of the
/// help files the module file names, asked for in the HelpFileNames header as a JSON array. The answer may come gzipped;
/// the transport decompresses it.
/// </summary>
public static class HelpFileOperations
{
    /// <summary>
    /// The help files of the cmdlets a module file offers, as Microsoft's module asks for them after the module file. A
    /// failure never fails the connect (as in Microsoft's module): it is one warning, and the commands keep their syntax.
    /// </summary>
    public static async Task<IReadOnlyList<ExoHelpFile>> GetForModuleAsync(ExoConnection connection, ModuleFile.ServiceModule module, IOperationSink sink, CancellationToken cancellationToken)
    {
        var names = module.Cmdlets.Select(c => c.HelpFile).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        try
        {
            return await GetAsync(connection, names, sink, cancellationToken).ConfigureAwait(false);
        }
        catch (ExoException ex)
        {
            sink.WriteWarning($"-LoadCmdletHelp: the service's help files could not be read ({ex.Message}); Get-Help shows the service's commands without their descriptions.");
            return Array.Empty<ExoHelpFile>();
        }
    }

    public static async Task<IReadOnlyList<ExoHelpFile>> GetAsync(ExoConnection connection, IReadOnlyCollection<string> fileNames, IOperationSink sink, CancellationToken cancellationToken)
    {
        if (fileNames.Count == 0)
        {
            return Array.Empty<ExoHelpFile>();
        }

        var uri = new Uri(connection.ConnectionUri, $"/AdminApi/v1.0/{Uri.EscapeDataString(connection.TenantId)}/EXOHelpFile?Version={ConnectionHeaders.ProtocolModuleVersion}");
        var call = new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString())
        {
            ExtraHeaders = new Dictionary<string, string> { ["HelpFileNames"] = JsonSerializer.Serialize(fileNames) },
        };
        using var response = await connection.Client.SendAsync(call, sink, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("value", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw Failures.Protocol("The help file response has no 'value'.", uri.AbsolutePath);
            }

            return files.EnumerateArray()
                .Select(f => (Name: f.TryGetProperty("fileName", out var n) ? n.GetString() : null, Content: f.TryGetProperty("helpFileContent", out var c) ? c.GetString() : null))
                .Where(f => !string.IsNullOrEmpty(f.Name) && !string.IsNullOrEmpty(f.Content) && fileNames.Contains(f.Name!, StringComparer.OrdinalIgnoreCase))
                .Select(f => new ExoHelpFile(f.Name!, f.Content!))
                .ToArray();
        }
        catch (JsonException ex)
        {
            throw Failures.Protocol($"The help file response is not valid JSON: {ex.Message}", uri.AbsolutePath, ex);
        }
    }
}
