using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The §5.2 probe: a change sent with Confirm=true is validated as fully as the change itself (identities resolve,
/// parameters bind), changes nothing, and is answered with @adminapi.confirmationmessage saying what would change.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class ConfirmationProbeTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(ConfirmationProbeTests));

    private const string Contoso = SandboxFixture.Contoso;

    private AuditLog Audit => sandbox.Server.Services.GetRequiredService<AuditLog>();

    private async Task<JsonElement> ProbeAsync(string cmdlet, object parameters)
    {
        using var response = await sandbox.RunAsync(Contoso, cmdlet, parameters);
        return await response.JsonAsync();
    }

    [Fact]
    public async Task A_probe_says_what_would_change_and_changes_nothing()
    {
        var audited = Audit.Entries().Count;
        var answer = await ProbeAsync("Set-Mailbox", new { Identity = "joshua.tan", CustomAttribute4 = "probe", ProhibitSendQuota = "20GB", Confirm = true });

        Assert.Equal(0, answer.GetProperty("value").GetArrayLength());
        Assert.Equal("Setting mailbox \"joshua.tan\": CustomAttribute4 = 'probe', ProhibitSendQuota = '20GB'.", answer.GetProperty("@adminapi.confirmationmessage").GetString());
        Assert.Equal(string.Empty, (await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "joshua.tan" })).GetProperty("CustomAttribute4").GetString());
        Assert.Equal(audited, Audit.Entries().Count);

        // Confirm=false is the real thing.
        await ProbeAsync("Set-Mailbox", new { Identity = "joshua.tan", CustomAttribute4 = "probe", Confirm = false });
        Assert.Equal("probe", (await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "joshua.tan" })).GetProperty("CustomAttribute4").GetString());
    }

    [Fact]
    public async Task A_probe_for_a_missing_target_fails_as_the_change_would()
    {
        using var response = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "no-such-mailbox", CustomAttribute4 = "x", Confirm = true });

        var error = await response.CmdletErrorAsync(404);
        Assert.Equal(("13", "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", "no-such-mailbox"), (error.Category, error.ExceptionType, error.Target));
    }

    [Fact]
    public async Task A_probe_for_a_change_Exchange_would_refuse_is_refused()
    {
        using var member = await sandbox.RunAsync(Contoso, "Add-DistributionGroupMember", new { Identity = "team", Member = "admin", Confirm = true });
        Assert.Equal("MemberAlreadyExistsException", (await member.CmdletErrorAsync(400)).ErrorId);

        using var binding = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alex", ProhibitSendQuota = "lots", Confirm = true });
        Assert.Equal("ParameterArgumentTransformationError", (await binding.CmdletErrorAsync(400)).ErrorId);
    }

    [Theory]
    [InlineData("Remove-MailboxPermission", "{\"Identity\":\"sales\",\"User\":\"admin\",\"AccessRights\":[\"FullAccess\"],\"Confirm\":true}",
        "Removing mailbox permission \"FullAccess\" for user \"admin@contoso.com\" on mailbox \"sales\".")]
    [InlineData("Add-RecipientPermission", "{\"Identity\":\"sales\",\"Trustee\":\"alex\",\"AccessRights\":\"SendAs\",\"Confirm\":true}",
        "Adding recipient permission 'SendAs' for user or group 'alex@contoso.com' on recipient 'sales'.")]
    [InlineData("Remove-DistributionGroupMember", "{\"Identity\":\"team\",\"Member\":\"anezka.dvorak\",\"Confirm\":true}",
        "Removing distribution group member \"anezka.dvorak\" from distribution group \"team\".")]
    [InlineData("Set-CASMailbox", "{\"Identity\":\"alex\",\"PopEnabled\":false,\"Confirm\":true}",
        "Setting CAS mailbox \"alex\": PopEnabled = $false.")]
    [InlineData("Remove-Mailbox", "{\"Identity\":\"alex\",\"Confirm\":true}",
        "Removing the mailbox \"alex\" will remove the Microsoft account and mark the mailbox and the account for deletion.")]
    public async Task Each_modelled_change_words_its_confirmation(string cmdlet, string parameters, string message)
    {
        var answer = await ProbeAsync(cmdlet, JsonDocument.Parse(parameters).RootElement);

        Assert.Equal(message, answer.GetProperty("@adminapi.confirmationmessage").GetString());
    }

    [Fact]
    public async Task A_probe_of_a_change_the_sandbox_does_not_model_is_refused_like_the_change()
    {
        using var response = await sandbox.RunAsync(Contoso, "New-TransportRule", new { Name = "Block", Confirm = true });

        Assert.Equal("CmdletNotModelled", (await response.CmdletErrorAsync(400)).ErrorId);
    }
}
