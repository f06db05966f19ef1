using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;
using ExoAdmin.Engine.Http.Bodies;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Engine.Operations;

/// <summary>The generated module the service offers a connection (§3.2): its psm1 text and the cmdlets it exports.</summary>
public sealed class ExoModuleFile
{
    public ExoModuleFile(string moduleText, IReadOnlyList<string> exportedCmdlets)
    {
        ModuleText = moduleText;
        ExportedCmdlets = exportedCmdlets;
    }

    /// <summary>The psm1, to be read with PowerShell's parser; never run.</summary>
    public string ModuleText { get; }

    public IReadOnlyList<string> ExportedCmdlets { get; }
}

/// <summary>GET {CU}/AdminApi/v1.0/{tenant}/EXOModuleFile?Version=… with the §3.2 headers.</summary>
public static class ModuleFileOperations
{
    /// <param name="skipFormatData">-SkipLoadingFormatData: the service leaves its format file out of the answer.</param>
    public static async Task<ExoModuleFile> GetAsync(ExoConnection connection, IReadOnlyCollection<string>? commandNames, IOperationSink sink, CancellationToken cancellationToken, bool skipFormatData = false)
    {
        var uri = new Uri(connection.ConnectionUri, $"/AdminApi/v1.0/{Uri.EscapeDataString(connection.TenantId)}/EXOModuleFile?Version={ConnectionHeaders.ProtocolModuleVersion}");
        // The rest of §3.2's headers are the connection's (ConnectionHeaders, RequestKind.ModuleFile).
        var headers = new Dictionary<string, string> { ["CommandName"] = commandNames is { Count: > 0 } ? string.Join(",", commandNames) : "*" };
        if (skipFormatData)
        {
            headers["SkipLoadingFormatData"] = "true";
        }

        var call = new RestCall(HttpMethod.Get, uri, Guid.NewGuid().ToString()) { Kind = RequestKind.ModuleFile, ExtraHeaders = headers };
        try
        {
            // The full catalogue makes this several MB: it is read within the module file's own cap (BodyLimits.ModuleFileBytes).
            using var document = await EntityReader.ReadJsonAsync(connection.Client, call, sink, BodyLimits.ModuleFileBytes, cancellationToken).ConfigureAwait(false);
            if (!document.RootElement.TryGetProperty("value", out var files) || files.ValueKind != JsonValueKind.Array)
            {
                throw Failures.Protocol("The module file response has no 'value': the service sent no cmdlets for this connection.", uri.AbsolutePath);
            }

            foreach (var file in files.EnumerateArray())
            {
                var name = file.TryGetProperty("fileName", out var n) ? n.GetString() : null;
                if (name is not null && name.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase)
                    && file.TryGetProperty("fileContent", out var content) && content.GetString() is { Length: > 0 } text)
                {
                    var exported = file.TryGetProperty("exportedCmdlets", out var list) ? list.GetString() ?? string.Empty : string.Empty;
                    return new ExoModuleFile(text, exported.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()).ToArray());
                }
            }

            throw Failures.Protocol("The module file response holds no .psm1 file.", uri.AbsolutePath);
        }
        catch (JsonException ex)
        {
            throw Failures.Protocol($"The module file response is not valid JSON: {ex.Message}", uri.AbsolutePath, ex);
        }
    }
}
