using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// InvokeCommand accepts every catalogue cmdlet and binds its parameters as PowerShell on the service would: names,
/// aliases and prefixes, values, parameter sets, mandatory parameters, the role's parameters; every refusal is a
/// ParameterBindingException in Exchange's shape. Cmdlets the sandbox does not model read nothing and refuse changes.
/// </summary>
public sealed class CatalogueBindingTests(CatalogueBindingTests.Fixture sandbox) : IClassFixture<CatalogueBindingTests.Fixture>
{
    private const string Contoso = SandboxFixture.Contoso;
    private const string Northwind = "northwind.onmicrosoft.com";
    private const string BindingException = "System.Management.Automation.ParameterBindingException";

    /// <summary>Northwind's app is Recipient Management.</summary>
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with
        {
            Tenants = [Contoso, Northwind],
            MailboxesPerTenant = 12,
            Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Northwind] = "RecipientManagement" },
        };
    }

    [Fact]
    public async Task A_parameter_the_cmdlet_does_not_have_is_refused()
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", CustomAttribute16 = "x" });

        var error = await response.CmdletErrorAsync(400);
        Assert.Equal(("5", "NamedParameterNotFound", BindingException, "A parameter cannot be found that matches parameter name 'CustomAttribute16'.", "CustomAttribute16"), error);
    }

    [Fact]
    public async Task An_on_premises_only_parameter_is_not_a_parameter_of_the_service()
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", DomainController = "dc01" });

        Assert.Equal("NamedParameterNotFound", (await response.CmdletErrorAsync(400)).ErrorId);
    }

    [Fact]
    public async Task A_missing_mandatory_parameter_is_named()
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { CustomAttribute1 = "x" });

        var error = await response.CmdletErrorAsync(400);
        Assert.Equal(("5", "MissingMandatoryParameter", BindingException, "Cannot process command because of one or more missing mandatory parameters: Identity.", "Identity"), error);
    }

    [Fact]
    public async Task Parameters_of_two_different_sets_fit_no_set()
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", RemoveDisabledArchive = true, RecalculateInactiveMailbox = true });

        var error = await response.CmdletErrorAsync(400);
        Assert.Equal("AmbiguousParameterSet", error.ErrorId);
        Assert.StartsWith("Parameter set cannot be resolved using the specified named parameters.", error.Message);
    }

    [Fact]
    public async Task Unique_prefixes_and_aliases_bind_ambiguous_prefixes_do_not()
    {
        using (var prefix = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alina.king", MessageCopyForSentAs = true }))
        {
            await prefix.JsonAsync();
        }

        Assert.True((await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "alina.king" })).GetProperty("MessageCopyForSentAsEnabled").GetBoolean());
        Assert.Empty(await sandbox.ValuesAsync(Contoso, "Get-MoveRequest", new { MoveStatus = "InProgress" }));   // -Status's alias

        using var ambiguous = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", CustomAttribute = "x" });
        var error = await ambiguous.CmdletErrorAsync(400);
        Assert.Equal("AmbiguousParameter", error.ErrorId);
        Assert.Contains("-CustomAttribute1 -CustomAttribute10", error.Message);
    }

    [Theory]
    [InlineData("ProhibitSendQuota", "lots")]
    [InlineData("LitigationHoldEnabled", "perhaps")]
    [InlineData("RetainDeletedItemsFor", "a fortnight")]
    [InlineData("EndDateForRetentionHold", "someday")]
    [InlineData("ResourceCapacity", "many")]
    public async Task A_value_the_parameter_s_type_does_not_take_is_refused(string parameter, string value)
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new Dictionary<string, object> { ["Identity"] = "alex", [parameter] = value });

        var error = await response.CmdletErrorAsync(400);
        Assert.Equal(("ParameterArgumentTransformationError", parameter), (error.ErrorId, error.Target));
        Assert.StartsWith($"Cannot process argument transformation on parameter '{parameter}'. Cannot convert value \"{value}\"", error.Message);
    }

    [Fact]
    public async Task A_parameter_the_role_lacks_is_refused_and_the_rest_of_the_cmdlet_works()
    {
        using (var refused = await sandbox.RunAsync(Northwind, "Set-Mailbox", new { Identity = "alex", LitigationHoldEnabled = true }))
        {
            var error = await refused.CmdletErrorAsync(400);
            Assert.Equal(("NamedParameterNotFound", "LitigationHoldEnabled"), (error.ErrorId, error.Target));
        }

        using (var allowed = await sandbox.RunAsync(Northwind, "Set-Mailbox", new { Identity = "alex", CustomAttribute2 = "recipients" }))
        {
            await allowed.JsonAsync();
        }

        Assert.Equal("recipients", (await sandbox.SingleAsync(Northwind, "Get-Mailbox", new { Identity = "alex" })).GetProperty("CustomAttribute2").GetString());
        using var otherCmdlet = await sandbox.RunAsync(Northwind, "Get-TransportRule", new { });
        Assert.Equal("AccessDeniedException", (await otherCmdlet.CmdletErrorAsync(403)).ErrorId);
    }

    [Fact]
    public async Task A_cmdlet_the_sandbox_does_not_model_reads_nothing_and_refuses_to_change_anything()
    {
        Assert.Empty(await sandbox.ValuesAsync(Contoso, "Get-TransportRule", new { }));
        Assert.Empty(await sandbox.ValuesAsync(Contoso, "Test-OAuthConnectivity", new { Service = "EWS", TargetUri = "https://outlook.office365.com/ews" }));

        var audit = sandbox.Server.Services.GetRequiredService<AuditLog>();
        var before = audit.Entries().Count;
        using var response = await sandbox.RunAsync(Contoso, "New-TransportRule", new { Name = "Block", SentTo = "alex" });
        var error = await response.CmdletErrorAsync(400);
        Assert.Equal(("11", "CmdletNotModelled", "System.NotSupportedException"), (error.Category, error.ErrorId, error.ExceptionType));
        Assert.Equal("The cmdlet 'New-TransportRule' is not modelled by the sandbox: it changes objects the sandbox does not keep, so nothing was changed.", error.Message);
        Assert.Equal(before, audit.Entries().Count);

        // Binding comes first: a not-modelled change with a wrong parameter says so.
        using var unknown = await sandbox.RunAsync(Contoso, "New-TransportRule", new { Name = "Block", Frobnicate = 1 });
        Assert.Equal("NamedParameterNotFound", (await unknown.CmdletErrorAsync(400)).ErrorId);
    }

    [Fact]
    public async Task Each_listener_runs_only_its_own_service_s_cmdlets()
    {
        using (var onExchange = await sandbox.RunAsync(Contoso, "Get-RetentionCompliancePolicy", new { }))
        {
            Assert.Equal("CommandNotFoundException", (await onExchange.CmdletErrorAsync(400)).ErrorId);
        }

        Assert.Equal(3, (await sandbox.ValuesAsync(Contoso, "Get-RetentionCompliancePolicy", new { }, compliance: true)).Length);
        using var onCompliance = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", CustomAttribute1 = "x" }, compliance: true);
        Assert.Equal("CommandNotFoundException", (await onCompliance.CmdletErrorAsync(400)).ErrorId);
    }

    [Fact]
    public async Task A_modelled_change_refuses_a_parameter_set_it_does_not_model()
    {
        using var response = await sandbox.RunAsync(Contoso, "Add-MailboxPermission", new { Identity = "sales", Owner = "alex" });

        var error = await response.CmdletErrorAsync(400);
        Assert.Equal("CmdletNotModelled", error.ErrorId);
        Assert.Contains("Add-MailboxPermission (parameter set Owner)", error.Message);
    }
}
