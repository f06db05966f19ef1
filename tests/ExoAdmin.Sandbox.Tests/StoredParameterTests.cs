using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Tests.Infrastructure;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// Every parameter of the modelled Set-/New-/Remove-/Add- cmdlets is kept and read back: by the classic Get- cmdlet
/// and, wherever the schema has the property, by the Get-EXO* resource with the schema's Edm type.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class StoredParameterTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(StoredParameterTests));

    private const string Contoso = SandboxFixture.Contoso;

    private async Task<JsonElement> ExoMailboxAsync(string alias, string select)
    {
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes(alias));
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox('{key}')?isEncoded=true&$select={select}", await sandbox.AccessTokenAsync(Contoso));
        return await response.JsonAsync();
    }

    private async Task SetAsync(string cmdlet, object parameters, bool compliance = false)
    {
        using var response = await sandbox.RunAsync(Contoso, cmdlet, parameters, compliance);
        await response.JsonAsync();
    }

    [Fact]
    public async Task Set_Mailbox_parameters_outside_the_old_set_are_read_back_by_Get_Mailbox_and_Get_EXOMailbox_with_the_schema_s_types()
    {
        await SetAsync("Set-Mailbox", new Dictionary<string, object>
        {
            ["Identity"] = "elizabeth.hassan",
            ["CustomAttribute7"] = "cost-centre 42",
            ["ProhibitSendQuota"] = "49GB",
            ["IssueWarningQuota"] = 48L * 1024 * 1024 * 1024,
            ["MaxSendSize"] = "25 MB (26,214,400 bytes)",
            ["RetainDeletedItemsFor"] = "30",
            ["RecipientLimits"] = 250,
            ["MessageCopyForSentAsEnabled"] = true,
            ["SingleItemRecoveryEnabled"] = false,
            ["LitigationHoldEnabled"] = true,
            ["ExtensionCustomAttribute1"] = new[] { "north", "west" },
            ["AuditOwner"] = new Dictionary<string, object> { ["@odata.type"] = "#Exchange.GenericHashTable", ["Add"] = "Create", ["Remove"] = "Send" },
            ["EndDateForRetentionHold"] = "2031-05-06T07:08:09.0000000Z",
            ["MailTip"] = "On leave until May",
            ["AutoArchivingEnabled"] = true,
        });

        var classic = await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "elizabeth.hassan" });
        Assert.Equal("cost-centre 42", classic.GetProperty("CustomAttribute7").GetString());
        Assert.Equal("49 GB (52,613,349,376 bytes)", classic.GetProperty("ProhibitSendQuota").GetString());
        Assert.Equal("48 GB (51,539,607,552 bytes)", classic.GetProperty("IssueWarningQuota").GetString());
        Assert.Equal("25 MB (26,214,400 bytes)", classic.GetProperty("MaxSendSize").GetString());
        Assert.Equal("30.00:00:00", classic.GetProperty("RetainDeletedItemsFor").GetString());
        Assert.Equal("250", classic.GetProperty("RecipientLimits").GetString());
        Assert.True(classic.GetProperty("MessageCopyForSentAsEnabled").GetBoolean());
        Assert.False(classic.GetProperty("SingleItemRecoveryEnabled").GetBoolean());
        Assert.True(classic.GetProperty("LitigationHoldEnabled").GetBoolean());
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd"), classic.GetProperty("LitigationHoldDate").GetString());   // the hold is dated when it starts
        Assert.Equal(["north", "west"], classic.GetProperty("ExtensionCustomAttribute1").EnumerateArray().Select(v => v.GetString()));
        var auditOwner = classic.GetProperty("AuditOwner").EnumerateArray().Select(v => v.GetString()).ToArray();
        Assert.Contains("Create", auditOwner);
        Assert.DoesNotContain("Send", auditOwner);
        Assert.Contains("MailItemsAccessed", auditOwner);   // the rest of the default list stays
        Assert.Equal("2031-05-06T07:08:09+00:00", classic.GetProperty("EndDateForRetentionHold").GetString());
        Assert.Equal("On leave until May", classic.GetProperty("MailTip").GetString());
        Assert.True(classic.GetProperty("AutoArchivingEnabled").GetBoolean());   // not in the schema: classic output only

        var entity = await ExoMailboxAsync("elizabeth.hassan",
            "CustomAttribute7,ProhibitSendQuota,RetainDeletedItemsFor,MessageCopyForSentAsEnabled,LitigationHoldEnabled,ExtensionCustomAttribute1,RecipientLimits");
        Assert.Equal("cost-centre 42", entity.GetProperty("CustomAttribute7").GetString());
        Assert.Equal(JsonValueKind.String, entity.GetProperty("ProhibitSendQuota").ValueKind);   // Edm.String
        Assert.Equal("49 GB (52,613,349,376 bytes)", entity.GetProperty("ProhibitSendQuota").GetString());
        Assert.Equal(JsonValueKind.True, entity.GetProperty("MessageCopyForSentAsEnabled").ValueKind);   // Edm.Boolean
        Assert.Equal(JsonValueKind.True, entity.GetProperty("LitigationHoldEnabled").ValueKind);
        Assert.Equal(JsonValueKind.Array, entity.GetProperty("ExtensionCustomAttribute1").ValueKind);   // Collection(Edm.String)
        Assert.Equal("30.00:00:00", entity.GetProperty("RetainDeletedItemsFor").GetString());
        Assert.Equal("250", entity.GetProperty("RecipientLimits").GetString());

        // Clearing: $null empties a string attribute and a list, as Exchange shows them unset.
        await SetAsync("Set-Mailbox", new Dictionary<string, object?> { ["Identity"] = "elizabeth.hassan", ["CustomAttribute7"] = null, ["ExtensionCustomAttribute1"] = null });
        var cleared = await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "elizabeth.hassan" });
        Assert.Equal(string.Empty, cleared.GetProperty("CustomAttribute7").GetString());
        Assert.Equal(0, cleared.GetProperty("ExtensionCustomAttribute1").GetArrayLength());
    }

    [Fact]
    public async Task A_Set_that_changes_nothing_warns_as_Exchange_does()
    {
        await SetAsync("Set-Mailbox", new { Identity = "joshua.tan", CustomAttribute9 = "same" });
        using var again = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "joshua.tan", CustomAttribute9 = "same" });
        var page = await again.JsonAsync();
        Assert.Equal("The command completed successfully but no settings of 'joshua.tan' have been modified.", page.GetProperty("@adminapi.warnings")[0].GetString());
    }

    [Fact]
    public async Task Remove_Mailbox_soft_deletes_Get_Mailbox_SoftDeletedMailbox_lists_it_and_Undo_brings_it_back()
    {
        await SetAsync("Remove-Mailbox", new { Identity = "connor.ross" });

        using (var gone = await sandbox.RunAsync(Contoso, "Get-Mailbox", new { Identity = "connor.ross" }))
        {
            Assert.Equal("ManagementObjectNotFoundException", (await gone.CmdletErrorAsync(404)).ErrorId);
        }

        Assert.DoesNotContain(await sandbox.ValuesAsync(Contoso, "Get-Mailbox", new { ResultSize = "Unlimited" }), m => m.GetProperty("Alias").GetString() == "connor.ross");
        using (var exo = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Mailbox?SoftDeletedMailbox=True", await sandbox.AccessTokenAsync(Contoso)))
        {
            Assert.Equal("connor.ross", (await exo.JsonAsync()).GetProperty("value").EnumerateArray().Single().GetProperty("Alias").GetString());
        }

        var deleted = await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { SoftDeletedMailbox = true });
        Assert.Equal("connor.ross", deleted.GetProperty("Alias").GetString());
        Assert.True(deleted.GetProperty("IsSoftDeletedByRemove").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, deleted.GetProperty("WhenSoftDeleted").ValueKind);

        await SetAsync("Undo-SoftDeletedMailbox", new { SoftDeletedObject = "connor.ross" });
        Assert.False((await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { Identity = "connor.ross" })).GetProperty("IsSoftDeletedByRemove").GetBoolean());
        Assert.Empty(await sandbox.ValuesAsync(Contoso, "Get-Mailbox", new { SoftDeletedMailbox = true }));
    }

    [Fact]
    public async Task Get_Mailbox_Archive_lists_only_mailboxes_with_an_archive()
    {
        var archived = await sandbox.ValuesAsync(Contoso, "Get-Mailbox", new { Archive = true, ResultSize = "Unlimited" });

        Assert.Contains(archived, m => m.GetProperty("Alias").GetString() == "alex");
        Assert.All(archived, m => Assert.Equal("Active", m.GetProperty("ArchiveStatus").GetString()));
        Assert.True(archived.Length < SandboxFixture.MailboxCount);
    }

    [Fact]
    public async Task Get_Mailbox_GroupMailbox_lists_the_groups_mailboxes_as_Get_EXOMailbox_does()
    {
        var groups = await sandbox.ValuesAsync(Contoso, "Get-Mailbox", new { GroupMailbox = true });
        Assert.Equal(["project-falcon", "leadership"], groups.Select(m => m.GetProperty("Alias").GetString()));
        Assert.Equal("Leadership Team", (await sandbox.SingleAsync(Contoso, "Get-Mailbox", new { GroupMailbox = true, Identity = "leadership" })).GetProperty("DisplayName").GetString());
        Assert.DoesNotContain(await sandbox.ValuesAsync(Contoso, "Get-Mailbox", new { ResultSize = "Unlimited" }), m => m.GetProperty("Alias").GetString() == "leadership");
    }

    [Fact]
    public async Task Set_CASMailbox_keeps_every_parameter_and_Get_EXOCasMailbox_reads_it()
    {
        await SetAsync("Set-CASMailbox", new Dictionary<string, object>
        {
            ["Identity"] = "mateo.porter", ["PopEnabled"] = false, ["SmtpClientAuthenticationDisabled"] = true,
            ["ActiveSyncAllowedDeviceIDs"] = new Dictionary<string, object> { ["Add"] = new[] { "DEV1", "DEV2" } },
        });

        var classic = await sandbox.SingleAsync(Contoso, "Get-CASMailbox", new { Identity = "mateo.porter" });
        Assert.False(classic.GetProperty("PopEnabled").GetBoolean());
        Assert.True(classic.GetProperty("ImapEnabled").GetBoolean());
        Assert.Equal(["DEV1", "DEV2"], classic.GetProperty("ActiveSyncAllowedDeviceIDs").EnumerateArray().Select(v => v.GetString()));
        var key = Convert.ToBase64String(Encoding.UTF8.GetBytes("mateo.porter"));
        using var response = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/CasMailbox('{key}')?isEncoded=true&PropertySet=All", await sandbox.AccessTokenAsync(Contoso));
        var entity = await response.JsonAsync();
        Assert.Equal(JsonValueKind.False, entity.GetProperty("PopEnabled").ValueKind);
        Assert.Equal(JsonValueKind.True, entity.GetProperty("SmtpClientAuthenticationDisabled").ValueKind);
    }

    [Fact]
    public async Task Set_MailboxAutoReplyConfiguration_keeps_the_parameters_beyond_the_messages()
    {
        await SetAsync("Set-MailboxAutoReplyConfiguration", new { Identity = "alina.king", AutoReplyState = "Enabled", DeclineMeetingMessage = "Away", CreateOOFEvent = true });

        var reply = await sandbox.SingleAsync(Contoso, "Get-MailboxAutoReplyConfiguration", new { Identity = "alina.king" });
        Assert.Equal("Enabled", reply.GetProperty("AutoReplyState").GetString());
        Assert.Equal("Away", reply.GetProperty("DeclineMeetingMessage").GetString());
        Assert.True(reply.GetProperty("CreateOOFEvent").GetBoolean());
    }

    [Fact]
    public async Task Set_User_is_read_back_by_Get_User_and_Get_EXORecipient()
    {
        await SetAsync("Set-User", new { Identity = "anezka.dvorak", Department = "Finance", Title = "Controller" });

        var user = await sandbox.SingleAsync(Contoso, "Get-User", new { Identity = "anezka.dvorak" });
        Assert.Equal(("Finance", "Controller"), (user.GetProperty("Department").GetString(), user.GetProperty("Title").GetString()));
        var recipients = await (await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Recipient?$select=Alias,Department&$filter=Alias eq 'anezka.dvorak'", await sandbox.AccessTokenAsync(Contoso))).JsonAsync();
        Assert.Equal("Finance", recipients.GetProperty("value")[0].GetProperty("Department").GetString());
    }

    [Fact]
    public async Task Distribution_groups_are_created_changed_filled_and_removed()
    {
        var created = (await sandbox.ValuesAsync(Contoso, "New-DistributionGroup", new { Name = "Project X", Members = new[] { "alex", "admin" }, Notes = "temporary" })).Single();
        Assert.Equal("projectx", created.GetProperty("Alias").GetString());
        Assert.Equal(["alex", "admin"], (await sandbox.ValuesAsync(Contoso, "Get-DistributionGroupMember", new { Identity = "projectx" })).Select(m => m.GetProperty("Alias").GetString()));

        await SetAsync("Set-DistributionGroup", new { Identity = "projectx", CustomAttribute3 = "x", MemberJoinRestriction = "Open" });
        var group = await sandbox.SingleAsync(Contoso, "Get-DistributionGroup", new { Identity = "projectx" });
        Assert.Equal(("x", "Open", "temporary"), (group.GetProperty("CustomAttribute3").GetString(), group.GetProperty("MemberJoinRestriction").GetString(), group.GetProperty("Notes").GetString()));

        await SetAsync("Update-DistributionGroupMember", new { Identity = "projectx", Members = new[] { "sales" } });
        Assert.Equal(["sales"], (await sandbox.ValuesAsync(Contoso, "Get-DistributionGroupMember", new { Identity = "projectx" })).Select(m => m.GetProperty("Alias").GetString()));

        await SetAsync("Remove-DistributionGroup", new { Identity = "projectx" });
        using var gone = await sandbox.RunAsync(Contoso, "Get-DistributionGroup", new { Identity = "projectx" });
        Assert.Equal("ManagementObjectNotFoundException", (await gone.CmdletErrorAsync(404)).ErrorId);
    }

    [Fact]
    public async Task Inbox_rules_are_created_with_their_conditions_changed_disabled_and_removed()
    {
        var rule = (await sandbox.ValuesAsync(Contoso, "New-InboxRule", new { Mailbox = "anezka.dvorak", Name = "Invoices", SubjectContainsWords = new[] { "invoice" }, MarkImportance = "High" })).Single();
        Assert.Equal("Invoices", rule.GetProperty("Name").GetString());

        await SetAsync("Set-InboxRule", new { Identity = @"anezka.dvorak\Invoices", StopProcessingRules = true });
        await SetAsync("Disable-InboxRule", new { Identity = @"anezka.dvorak\Invoices" });
        var read = await sandbox.SingleAsync(Contoso, "Get-InboxRule", new { Mailbox = "anezka.dvorak", Identity = "Invoices" });
        Assert.Equal(["invoice"], read.GetProperty("SubjectContainsWords").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("High", read.GetProperty("MarkImportance").GetString());
        Assert.True(read.GetProperty("StopProcessingRules").GetBoolean());
        Assert.False(read.GetProperty("Enabled").GetBoolean());

        await SetAsync("Remove-InboxRule", new { Identity = @"anezka.dvorak\Invoices" });
        Assert.DoesNotContain(await sandbox.ValuesAsync(Contoso, "Get-InboxRule", new { Mailbox = "anezka.dvorak" }), r => r.GetProperty("Name").GetString() == "Invoices");
    }

    [Fact]
    public async Task Retention_policies_are_created_changed_and_removed_on_the_compliance_side()
    {
        var policy = (await sandbox.ValuesAsync(Contoso, "New-RetentionCompliancePolicy", new { Name = "Legal 10y", ExchangeLocation = new[] { "alex" }, Comment = "ten years" }, compliance: true)).Single();
        Assert.Equal("Exchange", policy.GetProperty("Workload").GetString());

        await SetAsync("Set-RetentionCompliancePolicy", new { Identity = "Legal 10y", AddExchangeLocation = new[] { "sales" }, Enabled = false }, compliance: true);
        var read = await sandbox.SingleAsync(Contoso, "Get-RetentionCompliancePolicy", new { Identity = "Legal 10y" }, compliance: true);
        Assert.Equal(["alex", "sales"], read.GetProperty("ExchangeLocation").EnumerateArray().Select(v => v.GetString()));
        Assert.False(read.GetProperty("Enabled").GetBoolean());

        await SetAsync("Remove-RetentionCompliancePolicy", new { Identity = "Legal 10y" }, compliance: true);
        Assert.Equal(3, (await sandbox.ValuesAsync(Contoso, "Get-RetentionCompliancePolicy", new { }, compliance: true)).Length);
    }
}
