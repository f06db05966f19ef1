using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Catalogue;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// GET /AdminApi/v1.0/{tenant}/EXOModuleFile (§3.2): the module file of the cmdlets the caller's role allows on
/// this listener (Exchange Online or Security &amp; Compliance), narrowed by the CommandName header, in the real
/// service's shape (§18.1, <see cref="ModuleFunctions"/>), plus the format file of their output unless
/// SkipLoadingFormatData says not to. Plain text, never compressed.
/// </summary>
internal sealed class ModuleFileResource(ServiceCatalogues catalogues, ModuleFiles files, Control.ServiceBehaviour behaviour) : IExchangeResource
{
    public const string ModuleFileName = "tmpEXO.psm1";

    public string Name => "EXOModuleFile";

    public string Method => HttpMethods.Get;

    public async Task HandleAsync(ExchangeRequest request)
    {
        request.RejectUnsupportedOptions([], []);
        var role = behaviour.Current.RoleOf(request.Tenant);
        var module = files.For(catalogues.For(request), role);
        var wanted = CommandNamePatterns(request.Http.Request.Headers["CommandName"].ToString());
        var selected = wanted is null ? module.Cmdlets : module.Cmdlets.Where(c => wanted.Any(w => w.IsMatch(c.Name))).ToArray();

        using var writer = JsonResponse.Begin(request.Response);
        request.Response.ContentType = "application/json; charset=utf-8";
        writer.WriteStartObject();
        writer.WriteStartArray("value");
        writer.WriteStartObject();
        writer.WriteString("fileName", ModuleFileName);
        writer.WriteString("fileContent", files.Psm1(request.Tenant.Domain, role, module, selected));
        writer.WriteString("exportedCmdlets", string.Join(",", selected.Select(c => c.Name)));
        writer.WriteEndObject();
        if (!string.Equals(request.Http.Request.Headers["SkipLoadingFormatData"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteStartObject();
            writer.WriteString("fileName", ModuleFormatData.FileName);
            writer.WriteString("fileContent", ModuleFormatData.For(selected.Select(c => c.Name)));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await JsonResponse.EndAsync(writer, request.Response);
    }

    /// <summary>CommandName: "*" or absent (null: all), or a comma list of names, which may hold wildcards.</summary>
    private static Regex[]? CommandNamePatterns(string header)
    {
        var names = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length == 0 || names.Contains("*")
            ? null
            : names.Select(n => new Regex("^" + Regex.Escape(n).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase)).ToArray();
    }
}
