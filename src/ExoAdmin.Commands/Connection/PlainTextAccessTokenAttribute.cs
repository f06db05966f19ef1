using System.Management.Automation;
using System.Security;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// -AccessToken is a string, as in Microsoft's module, but scripts that keep tokens in a SecureString may pass one: it is
/// unwrapped here, at binding, instead of becoming the text "System.Security.SecureString". Surrounding white space (a
/// token read from a file) is dropped.
/// </summary>
internal sealed class PlainTextAccessTokenAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value switch
        {
            SecureString secure => new PSCredential("token", secure).GetNetworkCredential().Password.Trim(),
            string text => text.Trim(),
            _ => inputData,
        };
    }
}
