using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Filters;

namespace ExoAdmin.Engine.Tests;

public class OpathFilterTests
{
    [Theory]
    // The conversion observed from the original module (§6.3).
    [InlineData("EmailAddresses -like '*contoso.com' -and RecipientTypeDetails -eq 'UserMailbox'", "EmailAddresses/any(d:endswith(d, 'contoso.com')) and RecipientTypeDetails eq 'UserMailbox'")]
    [InlineData("DisplayName -like 'Alex*'", "startswith(DisplayName, 'Alex')")]
    [InlineData("DisplayName -like '*lex*'", "contains(DisplayName, 'lex')")]
    [InlineData("DisplayName -like 'Alex'", "DisplayName eq 'Alex'")]
    [InlineData("DisplayName -notlike 'Alex*'", "not(startswith(DisplayName, 'Alex'))")]
    [InlineData("{ Alias -ne \"bob\" }", "Alias ne 'bob'")]
    [InlineData("HiddenFromAddressListsEnabled -eq $true", "HiddenFromAddressListsEnabled eq true")]
    [InlineData("ForwardingSmtpAddress -ne $null", "ForwardingSmtpAddress ne null")]
    [InlineData("-not (Alias -eq 'a' -or Alias -eq 'b') -and Name -like 'x*'", "not((Alias eq 'a' or Alias eq 'b')) and startswith(Name, 'x')")]
    [InlineData("DisplayName -eq 'O''Brien'", "DisplayName eq 'O''Brien'")]
    [InlineData("emailaddresses -eq 'smtp:a@b.c'", "EmailAddresses/any(d:d eq 'smtp:a@b.c')")]
    public void Converts_OPATH_to_OData(string opath, string odata)
    {
        Assert.Equal(odata, OpathFilter.ToOData(opath, "Mailbox"));
    }

    [Theory]
    [InlineData("NoSuchProperty -eq 'x'", "not a property")]
    [InlineData("DisplayName -matches 'x'", "not a supported operator")]
    [InlineData("DisplayName -eq 'open", "not closed")]
    [InlineData("DisplayName -eq", "value is missing")]
    [InlineData("DisplayName -like 'a*b'", "only at the start or end")]
    [InlineData("DisplayName -eq $name", "not expanded")]
    [InlineData("(DisplayName -eq 'x'", "')'")]
    public void Refuses_invalid_filters_with_a_reason(string opath, string reason)
    {
        var error = Assert.Throws<ExoException>(() => OpathFilter.ToOData(opath, "Mailbox"));

        Assert.Equal("InvalidFilter", error.ErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.Category);
        Assert.Contains(reason, error.Message);
    }
}
