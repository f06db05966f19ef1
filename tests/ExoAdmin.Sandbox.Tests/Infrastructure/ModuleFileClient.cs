using System.Text.Json;
using ExoAdmin.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>What a client of the module endpoints reads: EXOModuleFile's files and EXOHelpFile's, from either listener.</summary>
internal static class ModuleFileClient
{
    /// <summary>A token for the Security &amp; Compliance listener (its audience is the compliance URI).</summary>
    public static async Task<string> ComplianceAccessTokenAsync(this SandboxFixture sandbox, string domain)
    {
        var form = sandbox.ClientCredentialsForm(domain);
        form["scope"] = sandbox.Urls().ComplianceConnectionUri + "/.default";
        using var response = await sandbox.PostTokenRequestAsync(domain, form);
        return (await response.JsonAsync()).GetProperty("access_token").GetString()!;
    }

    public static SandboxUrls Urls(this SandboxFixture sandbox) => sandbox.Server.Services.GetRequiredService<SandboxUrls>();

    /// <summary>The root of a listener's admin API: the Exchange one, or the compliance one (its regional host).</summary>
    public static string ApiRoot(this SandboxFixture sandbox, bool compliance) =>
        compliance ? sandbox.Urls().ComplianceRegionalUri : sandbox.ConnectionUri;

    public static async Task<string> TokenAsync(this SandboxFixture sandbox, string domain, bool compliance) =>
        compliance ? await sandbox.ComplianceAccessTokenAsync(domain) : await sandbox.AccessTokenAsync(domain);

    /// <summary>EXOModuleFile's "value" array.</summary>
    public static async Task<JsonElement[]> ModuleFilesAsync(
        this SandboxFixture sandbox, string domain, string? commandName = null, bool skipFormatData = false, bool compliance = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.ApiRoot(compliance)}/AdminApi/v1.0/{domain}/EXOModuleFile?Version=3.9.0");
        request.Headers.Authorization = new("Bearer", await sandbox.TokenAsync(domain, compliance));
        if (commandName is not null)
        {
            request.Headers.Add("CommandName", commandName);
        }

        if (skipFormatData)
        {
            request.Headers.Add("SkipLoadingFormatData", "true");
        }

        using var response = await sandbox.Http.SendAsync(request);
        return (await response.JsonAsync()).GetProperty("value").EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    /// <summary>The psm1 element: its text and its exported cmdlets.</summary>
    public static async Task<(string Text, string[] Exported)> ModuleAsync(
        this SandboxFixture sandbox, string domain, string? commandName = null, bool compliance = false)
    {
        var psm1 = (await sandbox.ModuleFilesAsync(domain, commandName, skipFormatData: true, compliance))[0];
        return (psm1.GetProperty("fileContent").GetString()!, psm1.GetProperty("exportedCmdlets").GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
