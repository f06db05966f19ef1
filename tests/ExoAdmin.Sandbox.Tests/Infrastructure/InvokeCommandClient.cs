using System.Text.Json;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>InvokeCommand as a client sends it, and the §8.2 error shape it answers with.</summary>
internal static class InvokeCommandClient
{
    /// <summary>POST …/InvokeCommand on the Exchange listener (<see cref="SandboxControl.InvokeAsync"/>) or the compliance one.</summary>
    public static async Task<HttpResponseMessage> RunAsync(this SandboxFixture sandbox, string tenant, string cmdlet, object parameters, bool compliance = false) =>
        compliance
            ? await sandbox.PostJsonAsync($"{sandbox.ApiRoot(compliance)}/adminapi/beta/{tenant}/InvokeCommand", await sandbox.TokenAsync(tenant, compliance),
                JsonSerializer.Serialize(new { CmdletInput = new { CmdletName = cmdlet, Parameters = parameters } }))
            : await sandbox.InvokeAsync(tenant, cmdlet, parameters);

    /// <summary>The objects a successful call returned (one page).</summary>
    public static async Task<JsonElement[]> ValuesAsync(this SandboxFixture sandbox, string tenant, string cmdlet, object parameters, bool compliance = false)
    {
        using var response = await sandbox.RunAsync(tenant, cmdlet, parameters, compliance);
        return (await response.JsonAsync()).GetProperty("value").EnumerateArray().ToArray();
    }

    /// <summary>The single object a successful read returned.</summary>
    public static async Task<JsonElement> SingleAsync(this SandboxFixture sandbox, string tenant, string cmdlet, object parameters, bool compliance = false) =>
        Assert.Single(await sandbox.ValuesAsync(tenant, cmdlet, parameters, compliance));

    /// <summary>Asserts the section 8.2 error shape and returns its details[0]: code (category), the three message parts, target.</summary>
    public static async Task<(string Category, string ErrorId, string ExceptionType, string Message, string? Target)> CmdletErrorAsync(
        this HttpResponseMessage response, int status)
    {
        var error = (await response.JsonAsync(status)).GetProperty("error");
        var detail = error.GetProperty("details").EnumerateArray().Single();
        var parts = detail.GetProperty("message").GetString()!.Split('|', 3);
        Assert.Equal(error.GetProperty("message").GetString(), parts[2]);
        Assert.Equal(parts[1], error.GetProperty("innererror").GetProperty("type").GetString());
        Assert.Equal(parts[1][(parts[1].LastIndexOf('.') + 1)..], response.Headers.GetValues("x-ExceptionType").Single());
        return (detail.GetProperty("code").GetString()!, parts[0], parts[1], parts[2], detail.GetProperty("target").GetString());
    }
}
