using System.Diagnostics;
using System.Text.Json;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The served module run as Microsoft's module runs it (§4): written to a tmpEXO_ folder with the two id lines the
/// client appends, imported in a fresh pwsh that trusts the sandbox's CA, its functions calling the §4.2 surface of
/// Microsoft's module (here a stand-in ConnectionContextFactory). Proves Execute-Command's requests, retries (429
/// after Retry-After, 5xx with back-off, 401 with claims through GetAuthHeader($claims)), the Confirm=true probe,
/// the error records and the SecureString encryption against the real sandbox.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class ServedModuleClientTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ServedModuleClientTests));

    private const string Contoso = SandboxFixture.Contoso;

    /// <summary>The §4.2 surface of Microsoft's module the served psm1 calls, with the tokens the test hands it.</summary>
    private const string MicrosoftModuleSurface = """
        namespace Microsoft.Exchange.Management.ExoPowershellSnapin
        {
            public sealed class AuthHeader
            {
                public string AuthorizationHeader { get; set; }
                public string TenantId { get; set; }
                public string BaseUri { get; set; }
                public string UserPrincipalName { get; set; }
            }

            public sealed class ConnectionContext
            {
                public int PageSize { get; set; } = 1000;
                public string RoutingHint { get; set; }
                public string RoutingHintPrefix { get; set; } = "APP";
                public System.Guid ConnectionId { get; } = System.Guid.NewGuid();
                public string ExoModuleVersion { get; } = "3.9.0";
                public string Token { get; set; }
                public string RenewedToken { get; set; }
                public string TenantId { get; set; }
                public string BaseUri { get; set; }
                public System.Collections.Generic.List<string> ClaimsAsked { get; } = new System.Collections.Generic.List<string>();

                public AuthHeader GetAuthHeader(string claims = "", string cmdletId = "")
                {
                    if (!string.IsNullOrEmpty(claims))
                    {
                        ClaimsAsked.Add(claims);
                        Token = RenewedToken;
                    }

                    return new AuthHeader { AuthorizationHeader = "Bearer " + Token, TenantId = TenantId, BaseUri = BaseUri, UserPrincipalName = "OAuthUser@" + TenantId };
                }
            }

            public static class ConnectionContextFactory
            {
                public static ConnectionContext Current { get; } = new ConnectionContext();

                public static ConnectionContext GetCurrentConnectionContext(string objectId) =>
                    objectId == "context-1" ? Current : throw new System.InvalidOperationException("You must call Connect-ExchangeOnline before calling any other cmdlet.");
            }
        }
        """;

    private const string Script = """
        param([string] $ModuleFolder, [string] $ResultPath)
        $ErrorActionPreference = 'Stop'
        Add-Type -TypeDefinition $env:TEST_SURFACE
        $context = [Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionContextFactory]::Current
        $context.Token = $env:TEST_TOKEN; $context.RenewedToken = $env:TEST_RENEWED_TOKEN
        $context.TenantId = $env:TEST_TENANT; $context.BaseUri = $env:TEST_BASE_URI
        Import-Module $ModuleFolder -DisableNameChecking
        & (Get-Module tmpEXO_*) { $script:DefaultRetryIntervalInMilliSeconds = 1 }
        function Add-Fault([hashtable] $Rule) {
            $Rule.path = '/adminapi/beta/*/InvokeCommand'; $Rule.count = 1
            $null = Invoke-RestMethod -Method POST -Uri "$env:TEST_CONTROL/faults" -Headers @{ 'X-Sandbox-Control-Key' = $env:TEST_CONTROL_KEY } -Body ($Rule | ConvertTo-Json) -ContentType 'application/json'
        }

        $result = [ordered]@{}
        $mailbox = Get-Mailbox -Identity alex
        $result.TypeName = $mailbox.PSObject.TypeNames[0]
        $result.Alias = $mailbox.Alias
        Set-Mailbox alex -CustomAttribute5 'via-module'
        $result.Set = (Get-Mailbox alex).CustomAttribute5
        Set-Mailbox alex -CustomAttribute5 'via-module' -WarningVariable unchanged -WarningAction SilentlyContinue
        $result.Unchanged = "$unchanged"
        $context.PageSize = 10
        $result.Unlimited = @(Get-Mailbox -ResultSize Unlimited).Count
        $result.Fifteen = @(Get-Mailbox -ResultSize 15 -WarningVariable more -WarningAction SilentlyContinue).Count
        $result.MoreWarning = "$more"
        $context.PageSize = 1000
        Set-Mailbox alex -CustomAttribute6 'what-if' -WhatIf
        $result.AfterWhatIf = (Get-Mailbox alex).CustomAttribute6
        Set-Mailbox nobody -CustomAttribute5 x -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.ErrorReason = $failures[0].CategoryInfo.Reason
        $result.ErrorCategory = "$($failures[0].CategoryInfo.Category)"
        $result.ErrorId = $failures[0].FullyQualifiedErrorId
        $result.ErrorTarget = "$($failures[0].TargetObject)"
        $result.Status = $global:EXO_LastExecutionStatus

        Add-Fault @{ kind = '429'; retryAfterSeconds = 0 }
        $result.After429 = (Get-Mailbox alex).Alias
        Add-Fault @{ kind = '503' }
        $result.After503 = (Get-Mailbox alex).Alias
        Add-Fault @{ kind = 'claims-challenge' }
        $result.AfterClaims = (Get-Mailbox alex).Alias
        $result.ClaimsAsked = $context.ClaimsAsked.Count

        Remove-MailboxPermission sales -User admin -AccessRights FullAccess -Confirm:$false
        $result.Permissions = @(Get-MailboxPermission sales | ForEach-Object User)
        $password = [System.Net.NetworkCredential]::new('', $env:TEST_PASSWORD).SecurePassword
        $user = New-MailUser -Name 'Module User' -ExternalEmailAddress 'SMTP:mu@partner.example' -MicrosoftOnlineServicesID 'mu@contoso.onmicrosoft.com' -Password $password
        $result.NewMailUser = $user.PSObject.TypeNames[0]
        $result | ConvertTo-Json | Set-Content -LiteralPath $ResultPath
        """;

    [Fact]
    [Trait("Category", "Process")]   // a fresh pwsh runs the served module: the E2E tier
    public async Task The_served_module_runs_its_cmdlets_with_retries_probes_errors_and_encrypted_passwords()
    {
        var (psm1, exported) = await sandbox.ModuleAsync(Contoso, "Get-Mailbox,Set-Mailbox,Get-MailboxPermission,Remove-MailboxPermission,New-MailUser");
        var folder = Directory.CreateTempSubdirectory("tmpEXO_");
        try
        {
            // What Microsoft's module does with the file (§3.2, §4.1): its own folder, the two id lines appended, a psd1.
            File.WriteAllText(Path.Combine(folder.FullName, folder.Name + ".psm1"), psm1 + "\n$TokenProviderObjectId = 'provider-1';\n$ConnectionContextObjectId = 'context-1';\n");
            File.WriteAllText(Path.Combine(folder.FullName, folder.Name + ".psd1"),
                $"@{{ RootModule = '{folder.Name}.psm1'; ModuleVersion = '1.0'; FunctionsToExport = @({string.Join(",", exported.Select(e => $"'{e}'"))}) }}");
            var scriptPath = Path.Combine(folder.FullName, "run.ps1");
            File.WriteAllText(scriptPath, Script);
            var resultPath = Path.Combine(folder.FullName, "result.json");
            const string password = "Module-Pa55word!";

            var (exitCode, output) = await RunPwshAsync(scriptPath, folder.FullName, resultPath, new Dictionary<string, string>
            {
                ["TEST_SURFACE"] = MicrosoftModuleSurface,
                ["TEST_TOKEN"] = await sandbox.AccessTokenAsync(Contoso),
                ["TEST_RENEWED_TOKEN"] = RenewedToken(),
                ["TEST_TENANT"] = Contoso,
                ["TEST_BASE_URI"] = sandbox.ConnectionUri + "/adminapi/beta",
                ["TEST_CONTROL"] = sandbox.Server.Ready.Control.Uri,
                ["TEST_CONTROL_KEY"] = sandbox.Server.Ready.Control.Key,
                ["TEST_PASSWORD"] = password,
                ["SSL_CERT_FILE"] = sandbox.Server.Ready.CaCertificatePath,
            });

            Assert.True(exitCode == 0 && File.Exists(resultPath), output);
            var result = JsonDocument.Parse(File.ReadAllText(resultPath)).RootElement;
            Assert.Equal("Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox", result.GetProperty("TypeName").GetString());
            Assert.Equal("alex", result.GetProperty("Alias").GetString());
            Assert.Equal("via-module", result.GetProperty("Set").GetString());
            Assert.Equal("The command completed successfully but no settings of 'alex' have been modified.", result.GetProperty("Unchanged").GetString());

            // §7.2 paging: every page of 10 followed for Unlimited; ResultSize stops after 15, with the service's warning.
            Assert.Equal(SandboxFixture.MailboxCount, result.GetProperty("Unlimited").GetInt32());
            Assert.Equal(15, result.GetProperty("Fifteen").GetInt32());
            Assert.StartsWith("There are more results available than are currently displayed.", result.GetProperty("MoreWarning").GetString());

            // -WhatIf: the probe's message, nothing changed.
            Assert.Contains("What if: Setting mailbox \"alex\": CustomAttribute6 = 'what-if'.", output);
            Assert.Equal(string.Empty, result.GetProperty("AfterWhatIf").GetString());

            // The service's error as scripts see it (§18.4).
            Assert.Equal("ManagementObjectNotFoundException", result.GetProperty("ErrorReason").GetString());
            Assert.Equal("ObjectNotFound", result.GetProperty("ErrorCategory").GetString());
            var errorId = result.GetProperty("ErrorId").GetString()!;
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(errorId,
                @"^\[Server=[a-z0-9]+,RequestId=[0-9a-f-]{36},TimeStamp=[^\]]+\] \[FailureCategory=Cmdlet-ManagementObjectNotFoundException\] ManagementObjectNotFoundException,Set-Mailbox$"), errorId);
            Assert.Equal("nobody", result.GetProperty("ErrorTarget").GetString());
            Assert.False(result.GetProperty("Status").GetBoolean());

            // Retried through 429, 503 and a claims challenge (the claims went to GetAuthHeader).
            Assert.Equal(("alex", "alex", "alex"), (result.GetProperty("After429").GetString(), result.GetProperty("After503").GetString(), result.GetProperty("AfterClaims").GetString()));
            Assert.Equal(1, result.GetProperty("ClaimsAsked").GetInt32());
            using var faults = await sandbox.ControlAsync(HttpMethod.Get, "/faults");
            Assert.Equal(["429", "503", "claims-challenge"], (await faults.JsonAsync()).GetProperty("faults").EnumerateArray()
                .Where(f => f.GetProperty("injected").GetInt32() == 1).Select(f => f.GetProperty("kind").GetString()));

            Assert.DoesNotContain("admin@contoso.com", result.GetProperty("Permissions").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal("Deserialized.Microsoft.Exchange.Data.Directory.Management.MailUser", result.GetProperty("NewMailUser").GetString());
            Assert.Equal(password, sandbox.Server.Services.GetRequiredService<UserDirectory>().FindUser("mu@contoso.onmicrosoft.com")!.Password);
            Assert.DoesNotContain(password, output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A token for Contoso's app that says it was issued later than any revocation during the test.</summary>
    private string RenewedToken()
    {
        var tenant = sandbox.Tenant(Contoso);
        var claims = new Dictionary<string, object> { ["tid"] = tenant.TenantId.ToString(), ["appid"] = tenant.AppId.ToString(), ["roles"] = new[] { "Exchange.ManageAsApp" } };
        return Tokens.AccessToken(sandbox.Server.Services.GetRequiredService<TokenSigningKey>().Credentials, $"{sandbox.ConnectionUri}/{tenant.TenantId}/v2.0",
            sandbox.ConnectionUri, claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1), issuedAt: DateTime.UtcNow.AddMinutes(10));
    }

    /// <summary>Runs the repository's pinned pwsh (dotnet pwsh) on the script; returns its exit code and everything it printed.</summary>
    private static async Task<(int ExitCode, string Output)> RunPwshAsync(string script, string moduleFolder, string resultPath, Dictionary<string, string> environment)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ExoAdmin.sln")))
        {
            root = root.Parent!;
        }

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", script, moduleFolder, resultPath })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
