using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.Tests;

/// <summary>The one table from the service's exception types to ErrorCategory, and the error records built from it (§8.2, §18.4).</summary>
public class ServiceExceptionTypesTests
{
    [Theory]
    [InlineData("Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", ErrorCategory.ObjectNotFound)]
    [InlineData("ManagementObjectNotFoundException", ErrorCategory.ObjectNotFound)]
    [InlineData("Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException", ErrorCategory.ResourceExists)]
    [InlineData("Microsoft.Exchange.Data.Directory.Recipient.MailboxUserNotFoundException", ErrorCategory.ObjectNotFound)]
    [InlineData("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException", ErrorCategory.InvalidArgument)]
    [InlineData("System.Management.Automation.ParameterBindingException", ErrorCategory.InvalidArgument)]
    [InlineData("Microsoft.Exchange.Configuration.Authorization.AccessDeniedException", ErrorCategory.PermissionDenied)]
    [InlineData("Microsoft.Exchange.Data.DataValidationException", ErrorCategory.InvalidData)]
    public void Known_types_have_their_category(string type, ErrorCategory category)
    {
        Assert.Equal(category, ServiceExceptionTypes.CategoryOf(type));
    }

    [Fact]
    public void An_unknown_type_leaves_the_category_to_the_service()
    {
        Assert.Null(ServiceExceptionTypes.CategoryOf("Contoso.SomethingException"));
        Assert.Null(ServiceExceptionTypes.CategoryOf(null));
        const string body = """{"error":{"code":"x","message":"y","details":[{"code":"7","message":"E1|Contoso.SomethingException|It broke.","target":"t"}]}}""";
        Assert.Equal(ErrorCategory.InvalidOperation, ServiceErrorReader.Read(400, body, "rid", null).Category); // 7 = InvalidOperation
    }

    [Fact]
    public void A_classic_cmdlet_error_reads_as_the_real_module_shows_it()
    {
        const string body = """{"error":{"code":"NotFound","message":"outer","details":[{"code":"0","message":"Ex94914C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn't find object \"nobody\". Please make sure that it was spelled correctly or specify a different object.","target":"nobody"}]}}""";

        var error = ServiceErrorReader.Read(404, body, "4f1c-rid", null, server: "BN8PR04MB6289", timestamp: "Fri, 04 Dec 2026 23:40:00 GMT")
            .AsCmdletError("fallback-target");
        var record = error.ToErrorRecord();

        // The category comes from the exception type even where the detail's number says otherwise (0 = NotSpecified).
        Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
        Assert.Equal("ManagementObjectNotFoundException", record.CategoryInfo.Reason);
        Assert.Equal("Ex94914C[Server=BN8PR04MB6289,RequestId=4f1c-rid,TimeStamp=Fri, 04 Dec 2026 23:40:00 GMT]", record.FullyQualifiedErrorId);
        Assert.Equal("nobody", record.TargetObject);
        Assert.StartsWith("Couldn't find object \"nobody\".", record.Exception.Message);
    }

    [Fact]
    public void The_x_ExceptionType_header_names_the_type_when_the_body_does_not()
    {
        var error = ServiceErrorReader.Read(409, """{"error":{"code":"Conflict","message":"Already a member."}}""", "rid", "team",
            exceptionTypeHeader: "Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException");

        Assert.Equal(ErrorCategory.ResourceExists, error.Category);
        Assert.Equal("MemberAlreadyExistsException", error.ToErrorRecord().CategoryInfo.Reason);
    }
}
