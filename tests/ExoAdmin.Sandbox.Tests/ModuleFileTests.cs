using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Exchange.Resources;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// EXOModuleFile in the real service's shape (§18.1), generated from the catalogue: read with PowerShell's parser,
/// imported as Microsoft's module imports it, and compared with the catalogue file itself.
/// </summary>
public sealed class ModuleFileTests(ModuleFileTests.Fixture sandbox, ITestOutputHelper output) : IClassFixture<ModuleFileTests.Fixture>
{
    private const string Contoso = SandboxFixture.Contoso;
    private const string Fabrikam = SandboxFixture.Fabrikam;
    private const string Northwind = "northwind.onmicrosoft.com";

    /// <summary>Contoso's app is Organization Management, Fabrikam's help desk, Northwind's Recipient Management.</summary>
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with
        {
            Tenants = [Contoso, Fabrikam, Northwind],
            MailboxesPerTenant = 12,
            Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Fabrikam] = "HelpDesk", [Northwind] = "RecipientManagement" },
        };
    }

    [Fact]
    public async Task Every_Exchange_Online_cmdlet_is_a_script_scoped_function_after_its_help_line()
    {
        var (text, exported) = await sandbox.ModuleAsync(Contoso);

        Assert.Equal(CatalogueFile.ServedNames("exchange").Order(StringComparer.OrdinalIgnoreCase), exported);
        Assert.DoesNotContain("Get-EXOMailbox", exported);
        Assert.DoesNotContain("Connect-ExchangeOnline", exported);

        var ast = Parser.ParseInput(text, out _, out var errors);
        Assert.Empty(errors);
        var functions = ast.FindAll(a => a is FunctionDefinitionAst, false).Cast<FunctionDefinitionAst>().ToArray();
        var cmdlets = functions.Where(f => f.Name.StartsWith("script:", StringComparison.Ordinal)).ToArray();
        Assert.Equal(exported, cmdlets.Select(f => f.Name["script:".Length..]));
        var lines = text.Split('\n');
        Assert.All(cmdlets, function =>
        {
            var name = function.Name["script:".Length..];
            Assert.Equal($"# .ExternalHelp {HelpFileOf(name)}", lines[function.Extent.StartLineNumber - 2]);
            Assert.NotNull(function.Body.ParamBlock);
            Assert.Single(function.Body.ParamBlock.Attributes, a => a.TypeName.Name == "CmdletBinding");
        });

        // The public key clients encrypt SecureStrings with: the run's, once, as <RSAKeyValue> XML.
        var keys = Regex.Matches(text, "<RSAKeyValue>.*?</RSAKeyValue>");
        Assert.Equal(sandbox.Server.Services.GetRequiredService<ModuleKeys>().PublicKeyXml, Assert.Single(keys).Value);
    }

    [Fact]
    public async Task The_whole_module_imports_and_Set_Mailbox_has_the_catalogue_s_twelve_parameter_sets()
    {
        var files = await sandbox.ModuleFilesAsync(Contoso);
        var exported = files[0].GetProperty("exportedCmdlets").GetString()!.Split(',');
        using var module = ServedModule.Import(files[0].GetProperty("fileContent").GetString()!, exported, files[1].GetProperty("fileContent").GetString());

        // Reading every command's parameter sets resolves every type of every param block.
        var counts = module.Run($"Get-Command -Module {module.Name} | ForEach-Object {{ $_.ParameterSets.Count }}");
        Assert.Equal(exported.Length, counts.Count);

        var setMailbox = (CommandInfo)module.Run("Get-Command Set-Mailbox")[0].BaseObject;
        AssertSyntaxIsTheCatalogue(setMailbox, "Set-Mailbox");
        Assert.Equal(12, setMailbox.ParameterSets.Count);
        Assert.Equal("Identity", setMailbox.ParameterSets.Single(s => s.IsDefault).Name);
        Assert.Equal(typeof(bool), setMailbox.Parameters["LitigationHoldEnabled"].ParameterType);
        Assert.Equal(typeof(string), setMailbox.Parameters["CustomAttribute7"].ParameterType);
        Assert.Equal(typeof(object), setMailbox.Parameters["ProhibitSendQuota"].ParameterType);
        Assert.Equal(typeof(object), setMailbox.Parameters["Identity"].ParameterType);
        Assert.Equal(typeof(System.Security.SecureString), setMailbox.Parameters["Password"].ParameterType);
        Assert.Equal(typeof(SwitchParameter), setMailbox.Parameters["Force"].ParameterType);
        Assert.DoesNotContain("DomainController", setMailbox.Parameters.Keys);   // on premises only

        // A sample across the file, and every cmdlet whose parameters have aliases.
        var sample = exported.Where((_, i) => i % 40 == 0)
            .Concat(exported.Where(name => CatalogueFile.Parameters(CatalogueFile.Cmdlet(name), "exchange").Any(p => p.GetProperty("aliases").GetArrayLength() > 0)))
            .Distinct().ToArray();
        Assert.Contains(sample, name => name != "Set-Mailbox");
        foreach (var name in sample)
        {
            AssertSyntaxIsTheCatalogue((CommandInfo)module.Run($"Get-Command {name}")[0].BaseObject, name);
        }
    }

    [Fact]
    public async Task Changes_support_ShouldProcess_and_those_Exchange_confirms_by_default_are_high_impact()
    {
        var (text, exported) = await sandbox.ModuleAsync(Contoso, "Get-Mailbox,Set-Mailbox,Remove-MailboxPermission,Add-RecipientPermission,Test-MAPIConnectivity");
        using var module = ServedModule.Import(text, exported);

        string Binding(string name) => (string)module.Run(
            $"$b = (Get-Command {name}).ScriptBlock.Attributes | Where-Object {{ $_ -is [System.Management.Automation.CmdletBindingAttribute] }}; \"$($b.SupportsShouldProcess)/$($b.ConfirmImpact)\"")[0].BaseObject;
        Assert.StartsWith("False/", Binding("Get-Mailbox"));
        Assert.StartsWith("False/", Binding("Test-MAPIConnectivity"));
        Assert.Equal("True/Medium", Binding("Set-Mailbox"));
        Assert.Equal("True/High", Binding("Remove-MailboxPermission"));
        Assert.Equal("True/High", Binding("Add-RecipientPermission"));
    }

    [Fact]
    public async Task Each_role_is_served_its_own_subset()
    {
        var (_, helpDesk) = await sandbox.ModuleAsync(Fabrikam);
        Assert.Contains("Get-Mailbox", helpDesk);
        Assert.Contains("Test-OAuthConnectivity", helpDesk);
        Assert.DoesNotContain("Set-Mailbox", helpDesk);
        Assert.All(helpDesk, name => Assert.Matches("^(Get|Test|Search|Export|Preview|Validate|Check)-", name));

        var (text, recipients) = await sandbox.ModuleAsync(Northwind);
        Assert.Contains("Set-Mailbox", recipients);
        Assert.Contains("New-MailUser", recipients);
        Assert.Contains("Add-DistributionGroupMember", recipients);
        Assert.Contains("Set-MailboxAutoReplyConfiguration", recipients);
        Assert.DoesNotContain("Get-TransportRule", recipients);
        Assert.DoesNotContain("Set-OrganizationConfig", recipients);
        using var module = ServedModule.Import(text, recipients);
        var setMailbox = (CommandInfo)module.Run("Get-Command Set-Mailbox")[0].BaseObject;
        Assert.Contains("CustomAttribute7", setMailbox.Parameters.Keys);
        Assert.DoesNotContain("LitigationHoldEnabled", setMailbox.Parameters.Keys);   // the Legal Hold role's
        Assert.DoesNotContain("RetentionComment", setMailbox.Parameters.Keys);
    }

    [Fact]
    public async Task Security_and_Compliance_cmdlets_are_served_only_by_the_compliance_listener()
    {
        var (_, exchange) = await sandbox.ModuleAsync(Contoso);
        var (compliance, complianceExported) = await sandbox.ModuleAsync(Contoso, compliance: true);

        Assert.DoesNotContain("Get-RetentionCompliancePolicy", exchange);
        Assert.Empty(exchange.Except(CatalogueFile.ServedNames("exchange")));
        Assert.Equal(CatalogueFile.ServedNames("compliance").Order(StringComparer.OrdinalIgnoreCase), complianceExported);
        Assert.Contains("Get-RetentionCompliancePolicy", complianceExported);
        Assert.DoesNotContain("Set-Mailbox", complianceExported);
        Assert.Contains("Get-Recipient", complianceExported);   // the catalogue lists it in both services
        Assert.Contains("# .ExternalHelp Microsoft.Exchange.TransportMailflow-Help.xml\nfunction script:Get-RetentionCompliancePolicy", compliance);
    }

    [Fact]
    public async Task Format_data_gives_the_deserialized_Exchange_types_Exchange_s_views_unless_told_to_skip_it()
    {
        var files = await sandbox.ModuleFilesAsync(Contoso, "Get-Mailbox,Set-Mailbox,Get-DistributionGroup,Get-MailboxAutoReplyConfiguration");
        Assert.Equal(["tmpEXO.psm1", "tmpEXO.format.ps1xml"], files.Select(f => f.GetProperty("fileName").GetString()));
        var text = files[0].GetProperty("fileContent").GetString()!;
        Assert.Contains("'Get-Mailbox' = 'Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox'", text);

        var formatXml = files[1].GetProperty("fileContent").GetString()!;
        var format = System.Xml.Linq.XDocument.Parse(formatXml);
        Assert.Equal(
            ["Deserialized.Microsoft.Exchange.Data.Directory.Management.DistributionGroup", "Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox",
             "Deserialized.Microsoft.Exchange.InfoWorker.Common.OOF.MailboxAutoReplyConfiguration"],
            format.Descendants("TypeName").Select(t => t.Value));
        var mailboxView = format.Descendants("View").Single(v => v.Element("Name")!.Value.EndsWith(".Mailbox", StringComparison.Ordinal));
        Assert.Equal(["Name", "Alias", "Database", "ProhibitSendQuota", "ExternalDirectoryObjectId"], mailboxView.Descendants("PropertyName").Select(p => p.Value));

        // PowerShell loads it, and a Get-Mailbox object typed as the module types it is formatted by that view.
        using var module = ServedModule.Import(text, files[0].GetProperty("exportedCmdlets").GetString()!.Split(','), formatXml);
        var table = module.Run("""
            $o = [pscustomobject]@{ Name = 'alex'; Alias = 'alex'; Database = 'DB01'; ProhibitSendQuota = '99 GB'; ExternalDirectoryObjectId = 'x'; Office = 'hidden' }
            $o.PSObject.TypeNames.Insert(0, 'Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox')
            $o | Out-String -Width 200
            """)[0].ToString();
        Assert.Contains("ExternalDirectoryObjectId", table);
        Assert.DoesNotContain("Office", table);

        var skipped = await sandbox.ModuleFilesAsync(Contoso, "Get-Mailbox", skipFormatData: true);
        Assert.Equal(["tmpEXO.psm1"], skipped.Select(f => f.GetProperty("fileName").GetString()));
    }

    [Fact]
    public async Task The_help_files_the_module_names_are_served_as_MAML_from_the_catalogue()
    {
        var (text, _) = await sandbox.ModuleAsync(Contoso, "Set-Mailbox,Get-TransportRule");
        Assert.Contains("$global:HelpFileNames = @('Microsoft.Exchange.RolesAndAccess-Help.xml', 'Microsoft.Exchange.TransportMailflow-Help.xml')", text);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{sandbox.AdminApi(Fabrikam, "v1.0")}/EXOHelpFile?Version=3.9.0");
        request.Headers.Authorization = new("Bearer", await sandbox.AccessTokenAsync(Fabrikam));
        request.Headers.TryAddWithoutValidation("HelpFileNames", "[\"Microsoft.Exchange.RolesAndAccess-Help.xml\",\"other-help.xml\"]");
        request.Headers.Add("Accept-Encoding", "gzip");
        using var response = await sandbox.Http.SendAsync(request);
        Assert.Equal(["gzip"], response.Content.Headers.ContentEncoding);
        await using var gzip = new System.IO.Compression.GZipStream(await response.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress);
        using var document = await JsonDocument.ParseAsync(gzip);
        var file = Assert.Single(document.RootElement.GetProperty("value").EnumerateArray());
        Assert.Equal("Microsoft.Exchange.RolesAndAccess-Help.xml", file.GetProperty("fileName").GetString());

        System.Xml.Linq.XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var maml = System.Xml.Linq.XDocument.Parse(file.GetProperty("helpFileContent").GetString()!);
        var commands = maml.Descendants(command + "command").ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value);
        Assert.Contains("Get-Mailbox", commands.Keys);
        Assert.DoesNotContain("Set-Mailbox", commands.Keys);   // help desk: not its cmdlet
        Assert.All(commands.Keys, name => Assert.Equal("Microsoft.Exchange.RolesAndAccess-Help.xml", HelpFileOf(name)));
        var getMailbox = commands["Get-Mailbox"];
        Assert.Equal(CatalogueFile.Cmdlet("Get-Mailbox").GetProperty("parameterSets").GetArrayLength(), getMailbox.Descendants(command + "syntaxItem").Count());
    }

    [Fact]
    public async Task Protect_Value_in_the_module_encrypts_with_the_key_the_sandbox_decrypts()
    {
        var (text, exported) = await sandbox.ModuleAsync(Contoso, "New-MailUser");
        using var module = ServedModule.Import(text, exported);

        var cipher = (string)module.Run($"& (Get-Module {module.Name}) {{ Protect-Value ([System.Net.NetworkCredential]::new('', 'Pa$$w0rd-ü').SecurePassword) }}")[0].BaseObject;

        Assert.DoesNotContain("Pa$$w0rd", cipher);
        Assert.True(sandbox.Server.Services.GetRequiredService<ModuleKeys>().TryDecrypt(cipher, out var plaintext));
        Assert.Equal("Pa$$w0rd-ü", plaintext);
    }

    [Fact]
    public async Task The_organization_management_file_is_generated_once_and_measured()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (first, _) = await sandbox.ModuleAsync(Contoso);
        var firstTime = clock.Elapsed;
        clock.Restart();
        var (second, _) = await sandbox.ModuleAsync(Contoso);
        var secondTime = clock.Elapsed;

        Assert.Equal(first, second);
        var roleModule = sandbox.Server.Services.GetRequiredService<ModuleFiles>()
            .For(sandbox.Server.Services.GetRequiredService<Catalogue.CmdletCatalogue>().For(Catalogue.CatalogueService.ExchangeOnline), "OrganizationManagement");
        Assert.Same(roleModule.AllFunctions, sandbox.Server.Services.GetRequiredService<ModuleFiles>()
            .For(sandbox.Server.Services.GetRequiredService<Catalogue.CmdletCatalogue>().For(Catalogue.CatalogueService.ExchangeOnline), "OrganizationManagement").AllFunctions);
        output.WriteLine($"Organization Management psm1: {System.Text.Encoding.UTF8.GetByteCount(first):N0} bytes, {roleModule.Cmdlets.Count} cmdlets; generated in {roleModule.GenerationTime.TotalMilliseconds:N0} ms; request {firstTime.TotalMilliseconds:N0} ms, then {secondTime.TotalMilliseconds:N0} ms");
        var (compliance, complianceCmdlets) = await sandbox.ModuleAsync(Contoso, compliance: true);
        var (helpDesk, helpDeskCmdlets) = await sandbox.ModuleAsync(Fabrikam);
        output.WriteLine($"Security & Compliance psm1: {System.Text.Encoding.UTF8.GetByteCount(compliance):N0} bytes, {complianceCmdlets.Length} cmdlets; help desk psm1: {System.Text.Encoding.UTF8.GetByteCount(helpDesk):N0} bytes, {helpDeskCmdlets.Length} cmdlets");
    }

    private static string HelpFileOf(string name) => CatalogueFile.Cmdlet(name).GetProperty("helpFile").GetString() is { Length: > 0 } file ? file
        : name.Contains("Provisioning", StringComparison.Ordinal) ? "Microsoft.Exchange.ProvisioningAndMigration-Help.xml" : "Microsoft.Exchange.TransportMailflow-Help.xml";

    /// <summary>
    /// The command's parameter sets, names, mandatory flags, aliases and pipeline input are the catalogue's for
    /// Exchange Online, and its positional parameters come in the catalogue's order.
    /// </summary>
    private static void AssertSyntaxIsTheCatalogue(CommandInfo command, string name)
    {
        var catalogue = CatalogueFile.Cmdlet(name);
        var parameters = CatalogueFile.Parameters(catalogue, "exchange");
        var declared = catalogue.GetProperty("parameterSets").EnumerateArray().Select(s => s.GetProperty("name").GetString()!).ToArray();
        string[] SetsOf(JsonElement p) => CatalogueFile.Sets(p) is var sets && sets.Contains("(All)") ? declared : sets.Intersect(declared).ToArray();

        var common = new HashSet<string>(
            ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
             "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm"], StringComparer.OrdinalIgnoreCase);
        Assert.Equal(parameters.Select(p => p.GetProperty("name").GetString()!).Order(), command.Parameters.Keys.Where(k => !common.Contains(k)).Order());

        // One set on the service (the others need parameters it does not have) is declared without a name.
        var single = command.ParameterSets.Count == 1;
        foreach (var set in command.ParameterSets)
        {
            var setName = set.Name;
            var expected = parameters.Where(p => single || SetsOf(p).Contains(setName)).ToArray();
            var actual = set.Parameters.Where(p => !common.Contains(p.Name)).ToDictionary(p => p.Name);
            Assert.Equal(expected.Select(p => p.GetProperty("name").GetString()!).Order(), actual.Keys.Order());
            foreach (var p in expected)
            {
                var bound = actual[p.GetProperty("name").GetString()!];
                var where = $"{name} -{bound.Name} in set {setName}";
                Assert.True(p.GetProperty("required").GetBoolean() == bound.IsMandatory, where + ": mandatory");
                Assert.True(p.GetProperty("pipeline").GetProperty("byValue").GetBoolean() == bound.ValueFromPipeline, where + ": by value");
                Assert.True(p.GetProperty("pipeline").GetProperty("byPropertyName").GetBoolean() == bound.ValueFromPipelineByPropertyName, where + ": by property name");
                Assert.Equal(p.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Order(), bound.Aliases.Order());
                Assert.True((p.GetProperty("position").ValueKind == JsonValueKind.Null) == (bound.Position < 0), where + ": position");
            }

            // Positions: the catalogue's order, counted from 0.
            var positional = expected.Where(p => p.GetProperty("position").ValueKind != JsonValueKind.Null)
                .OrderBy(p => p.GetProperty("position").GetInt32()).Select(p => p.GetProperty("name").GetString()!).ToArray();
            Assert.Equal(positional, actual.Values.Where(p => p.Position >= 0).OrderBy(p => p.Position).Select(p => p.Name));
            Assert.Equal(Enumerable.Range(0, positional.Length), actual.Values.Where(p => p.Position >= 0).Select(p => p.Position).Order());
        }
    }
}
