using System.Net;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>/_sandbox/audit: exactly the changes the sandbox applied, each once, and nothing else.</summary>
public sealed class AuditLogTests(AuditLogTests.Fixture sandbox) : IClassFixture<AuditLogTests.Fixture>, IAsyncLifetime
{
    /// <summary>Fabrikam's app is help desk: it may read but not change.</summary>
    public sealed class Fixture : SandboxFixture
    {
        internal override SandboxOptions Options => base.Options with
        {
            Roles = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [Fabrikam] = "HelpDesk" },
        };
    }

    private const string Contoso = SandboxFixture.Contoso;
    private const string Fabrikam = SandboxFixture.Fabrikam;

    public Task InitializeAsync() => sandbox.ClearAuditAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_applied_change_is_one_entry_with_its_tenant_cmdlet_identity_parameters_and_request_ids()
    {
        var clientRequestId = Guid.NewGuid().ToString();
        string requestId;
        using (var set = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new Dictionary<string, object>
        {
            ["Identity"] = "alex",
            ["DisplayName"] = "Alex W.",
            ["EmailAddresses"] = new Dictionary<string, object> { ["@odata.type"] = "#Exchange.GenericHashTable", ["Add"] = "smtp:alex.w@contoso.onmicrosoft.com" },
            ["EmailAddresses@odata.type"] = "#Exchange.GenericHashTable",
        }, clientRequestId: clientRequestId))
        {
            await set.JsonAsync();
            requestId = set.Headers.GetValues("request-id").Single();
        }

        using (var grant = await sandbox.InvokeAsync(Contoso, "Add-MailboxPermission", new { Identity = "sales", User = "alex", AccessRights = new[] { "FullAccess" } }))
        {
            await grant.JsonAsync();
        }

        var entries = await sandbox.AuditAsync();

        Assert.Equal(["Set-Mailbox", "Add-MailboxPermission"], entries.Select(e => e.GetProperty("cmdlet").GetString()));
        var first = entries[0];
        Assert.True(entries[1].GetProperty("sequence").GetInt64() > first.GetProperty("sequence").GetInt64());
        Assert.Equal(Contoso, first.GetProperty("tenant").GetString());
        Assert.Equal("alex", first.GetProperty("identity").GetString());
        Assert.Equal(requestId, first.GetProperty("requestId").GetString());
        Assert.Equal(clientRequestId, first.GetProperty("clientRequestId").GetString());
        Assert.InRange(first.GetProperty("time").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        var parameters = first.GetProperty("parameters");
        Assert.Equal(["Identity", "DisplayName", "EmailAddresses"], parameters.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Alex W.", parameters.GetProperty("DisplayName").GetString());
        Assert.Equal("smtp:alex.w@contoso.onmicrosoft.com", parameters.GetProperty("EmailAddresses").GetProperty("Add").GetString());
        Assert.Equal("sales", entries[1].GetProperty("identity").GetString());
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("clientRequestId").ValueKind);
    }

    [Fact]
    public async Task A_change_applied_twice_is_two_entries_even_when_the_second_changes_nothing()
    {
        for (var i = 0; i < 2; i++)
        {
            using var response = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "conf-adams", HiddenFromAddressListsEnabled = true });
            await response.JsonAsync();
        }

        Assert.Equal(2, (await sandbox.AuditAsync("?cmdlet=set-mailbox")).Count(e => e.GetProperty("identity").GetString() == "conf-adams"));
    }

    [Fact]
    public async Task Reads_and_changes_refused_before_they_are_applied_leave_no_entry()
    {
        var forged = Tokens.AccessToken(Tokens.ForeignKey(), $"{sandbox.ConnectionUri}/{sandbox.Tenant(Contoso).TenantId}/v2.0", sandbox.ConnectionUri,
            new Dictionary<string, object> { ["tid"] = sandbox.Tenant(Contoso).TenantId.ToString(), ["roles"] = new[] { "Exchange.ManageAsApp" } });
        var refusals = new (string Domain, string Cmdlet, object Parameters, string? Token, HttpStatusCode Status)[]
        {
            (Contoso, "Get-Mailbox", new { Identity = "alex" }, null, HttpStatusCode.OK),
            (Contoso, "Set-Mailbox", new { Identity = "nobody-here", DisplayName = "X" }, null, HttpStatusCode.NotFound),
            (Contoso, "Set-Mailbox", new { Identity = "alex", Colour = "Blue" }, null, HttpStatusCode.BadRequest),
            (Contoso, "Set-Mailbox", new { Identity = "alex", Type = "Spaceship" }, null, HttpStatusCode.BadRequest),
            (Contoso, "Add-DistributionGroupMember", new { Identity = "team", Member = "admin" }, null, HttpStatusCode.BadRequest),
            (Contoso, "Set-Mailbox", new { Identity = "alex", DisplayName = "Forged" }, forged, HttpStatusCode.Unauthorized),
            (Fabrikam, "Set-Mailbox", new { Identity = "alex", DisplayName = "Help Desk" }, null, HttpStatusCode.Forbidden),
        };

        foreach (var (domain, cmdlet, parameters, token, status) in refusals)
        {
            using var response = await sandbox.InvokeAsync(domain, cmdlet, parameters, token);
            Assert.True(status == response.StatusCode, $"{cmdlet} {JsonSerializer.Serialize(parameters)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Empty(await sandbox.AuditAsync());
    }

    [Fact]
    public async Task Entries_filter_by_tenant_and_cmdlet_and_clearing_keeps_the_sequence_counting()
    {
        using (var set = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "projector-01", DisplayName = "Projector One" }))
        {
            await set.JsonAsync();
        }

        using (var reply = await sandbox.InvokeAsync(Contoso, "Set-MailboxAutoReplyConfiguration", new { Identity = "admin", AutoReplyState = "Enabled", InternalMessage = "Away" }))
        {
            await reply.JsonAsync();
        }

        Assert.Equal(2, (await sandbox.AuditAsync($"?tenant={Contoso}")).Length);
        Assert.Equal(2, (await sandbox.AuditAsync($"?tenant={sandbox.Tenant(Contoso).TenantId}")).Length);
        Assert.Empty(await sandbox.AuditAsync($"?tenant={Fabrikam}"));
        var replies = await sandbox.AuditAsync("?cmdlet=Set-MailboxAutoReplyConfiguration");
        Assert.Equal("admin", replies.Single().GetProperty("identity").GetString());
        using (var unknown = await sandbox.ControlAsync(HttpMethod.Get, "/audit?tenant=nowhere.onmicrosoft.com"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        var last = replies.Single().GetProperty("sequence").GetInt64();
        await sandbox.ClearAuditAsync();
        Assert.Empty(await sandbox.AuditAsync());
        using (var again = await sandbox.InvokeAsync(Contoso, "Set-Mailbox", new { Identity = "projector-01", DisplayName = "Projector 1" }))
        {
            await again.JsonAsync();
        }

        Assert.True((await sandbox.AuditAsync()).Single().GetProperty("sequence").GetInt64() > last);
    }

    [Fact]
    public void Secret_parameter_values_are_never_kept()
    {
        var log = new AuditLog();
        var tenant = sandbox.Server.Services.GetRequiredService<TenantStore>().Tenants[0];
        using var parameters = JsonDocument.Parse("""
            {"Identity":"alex","Password":"S3cret-one","NewPassword":"S3cret-two","Credential":{"UserName":"a","Password":"S3cret-three"},
             "ClientSecret":"S3cret-four","DisplayName":"Alex"}
            """);

        var entry = log.Record(new DefaultHttpContext(), tenant, "Set-Mailbox", parameters.RootElement);

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            entry.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.DoesNotContain("S3cret", text);
        var written = JsonDocument.Parse(text).RootElement.GetProperty("parameters");
        Assert.Equal(AuditLog.Redacted, written.GetProperty("Password").GetString());
        Assert.Equal(AuditLog.Redacted, written.GetProperty("Credential").GetString());
        Assert.Equal("Alex", written.GetProperty("DisplayName").GetString());
        Assert.False(AuditLog.IsSecret("DisplayName"));
        Assert.False(AuditLog.IsSecret("ForwardingSmtpAddress"));
    }
}
