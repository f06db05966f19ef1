using System.Management.Automation;
using ExoAdmin.Engine.Http;

namespace ExoAdmin.Engine.Tests;

public class ServiceErrorReaderTests
{
    [Fact]
    public void Reads_error_id_category_and_message_from_the_details()
    {
        const string body = "{\"error\":{\"code\":\"NotFound\",\"message\":\"outer\",\"details\":[{\"code\":\"13\",\"message\":\"ManagementObjectNotFoundException|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|The operation couldn't be performed because object 'nobody' couldn't be found.\",\"target\":\"nobody\"}]}}";

        var error = ServiceErrorReader.Read(404, body, "rid-1", target: null);

        Assert.Equal("ManagementObjectNotFoundException", error.ErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal("nobody", error.Target);
        Assert.StartsWith("The operation couldn't be performed because object 'nobody'", error.Message);
        Assert.Contains("rid-1", error.Message);
    }

    [Theory]
    [InlineData(403, ErrorCategory.PermissionDenied)]
    [InlineData(429, ErrorCategory.LimitsExceeded)]
    [InlineData(502, ErrorCategory.ConnectionError)]
    public void Falls_back_to_the_status_when_the_body_is_not_an_OData_error(int status, ErrorCategory expected)
    {
        var error = ServiceErrorReader.Read(status, "<html>gateway</html>", null, "target");

        Assert.Equal(expected, error.Category);
        Assert.Equal($"Http{status}", error.ErrorId);
        Assert.Equal("target", error.Target);
    }
}
