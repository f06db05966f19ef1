using System.Collections;
using System.Text.Json;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.OData;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests;

/// <summary>The immutable request a cmdlet hands the engine, and the one read/change rule.</summary>
public class InvokeCommandRequestTests
{
    private static JsonElement Parameters(InvokeCommandRequest request) =>
        JsonDocument.Parse(request.Body).RootElement.GetProperty("CmdletInput").GetProperty("Parameters").Clone();

    [Theory]
    [InlineData("Get-Mailbox", false)]
    [InlineData("get-recipient", false)]
    [InlineData("Set-Mailbox", true)]
    [InlineData("Test-OAuthConnectivity", true)]
    [InlineData("Search-Mailbox", true)]
    [InlineData("Getaway-Thing", true)]
    public void One_rule_decides_read_or_change(string cmdlet, bool changes)
    {
        Assert.Equal(!changes, CmdletEffect.IsReadOnly(cmdlet));
        var request = new InvokeCommandRequest(cmdlet, []);
        Assert.Equal(changes, request.ChangesState);
        Assert.Equal(!changes, request.IsReadOnly);
    }

    [Fact]
    public void The_request_is_a_copy_the_caller_can_no_longer_change()
    {
        var bound = new Dictionary<string, object?> { ["Identity"] = "alex", ["DisplayName"] = "Alex" };
        var request = new InvokeCommandRequest("Set-Mailbox", bound, target: "alex");
        var body = request.Body;

        bound["Identity"] = "ben"; // the next pipeline item rebinds the cmdlet's parameters
        bound["Extra"] = 1;

        Assert.Equal(body, request.Body);
        Assert.Equal(["Identity", "DisplayName"], request.Parameters.Select(p => p.Key));
        Assert.Equal("alex", Parameters(request).GetProperty("Identity").GetString());
        Assert.Equal("alex", request.Target);
    }

    [Fact]
    public void A_change_goes_with_Confirm_false_and_its_probe_with_Confirm_true_and_counts_as_a_read()
    {
        var change = new InvokeCommandRequest("Remove-MailboxPermission", [new("Identity", "alex"), new("Confirm", true)], target: "alex");
        var probe = change.AsConfirmationProbe();

        Assert.False(Parameters(change).GetProperty("Confirm").GetBoolean());
        Assert.True(Parameters(probe).GetProperty("Confirm").GetBoolean());
        Assert.True(change.ChangesState && !change.IsReadOnly && !change.IsConfirmationProbe);
        Assert.True(probe.IsConfirmationProbe && probe.IsReadOnly);
        Assert.Equal("alex", probe.Target);
        Assert.False(Parameters(new InvokeCommandRequest("Get-Mailbox", [new("Identity", "alex")])).TryGetProperty("Confirm", out _));
        Assert.Throws<InvalidOperationException>(() => new InvokeCommandRequest("Get-Mailbox", []).AsConfirmationProbe());
    }

    [Theory]
    [InlineData(null, long.MaxValue)]
    [InlineData("Unlimited", long.MaxValue)]
    [InlineData("unlimited", long.MaxValue)]
    [InlineData(25, 25L)]
    [InlineData("40", 40L)]
    public void ResultSize_is_read_from_whatever_form_it_was_bound_in(object? value, long limit)
    {
        var parameters = value is null ? new KeyValuePair<string, object?>[0] : [new("ResultSize", value)];

        Assert.Equal(limit, new InvokeCommandRequest("Get-Mailbox", parameters).ResultSize.Limit);
        Assert.Equal(7, new InvokeCommandRequest("Get-Mailbox", [new("ResultSize", ResultSize.Of(7))]).ResultSize.Limit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData("lots")]
    public void A_ResultSize_that_is_not_one_is_refused(object value)
    {
        var error = Assert.Throws<ExoException>(() => new InvokeCommandRequest("Get-Mailbox", [new("ResultSize", value)]));

        Assert.Equal("InvalidResultSize", error.ErrorId);
    }

    [Theory]
    [InlineData("Get-Mailbox", "Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox")]
    [InlineData("Get-MailboxPermission", "Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject")]
    [InlineData("Add-MailboxPermission", "Deserialized.Microsoft.Exchange.Management.RecipientTasks.MailboxAcePresentationObject")]
    [InlineData("Get-OrganizationConfig", "Deserialized.Microsoft.Exchange.Data.Directory.Management.OrganizationConfig")]
    [InlineData("Get-SomethingNew", "ExoAdmin.SomethingNew")]
    public void Output_carries_the_type_name_a_client_of_the_real_service_sees(string cmdlet, string typeName)
    {
        Assert.Equal(typeName, new InvokeCommandRequest(cmdlet, []).OutputTypeName);
    }
}
