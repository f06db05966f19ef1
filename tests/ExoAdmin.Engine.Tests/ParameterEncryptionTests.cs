using System.Management.Automation;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Engine.Tests;

/// <summary>SecureString parameters (§5.2, §18.4): RSA PKCS#1 v1.5 of the UTF-8 text, with the module file's key, never the plaintext.</summary>
public class ParameterEncryptionTests
{
    private const string Secret = "Pässw0rd-🔑-only-for-this-test";

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    [Fact]
    public void The_first_key_in_the_module_file_encrypts_what_the_private_key_decrypts()
    {
        using var service = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var module = $"# key\n$script:Key = '{service.ToXmlString(false)}'\n# an older one\n$script:Old = '{other.ToXmlString(false)}'\n";
        var key = ParameterEncryptionKey.FromModuleText(module)!;

        var request = new InvokeCommandRequest("New-MailUser", [new("Name", "Ava"), new("Password", Secure(Secret)), new("ExternalEmailAddress", "ava@example.com")], key);

        Assert.DoesNotContain(Secret, request.Body);
        var sent = JsonDocument.Parse(request.Body).RootElement.GetProperty("CmdletInput").GetProperty("Parameters").GetProperty("Password").GetString()!;
        var plain = service.Decrypt(Convert.FromBase64String(sent), RSAEncryptionPadding.Pkcs1);
        Assert.Equal(Secret, Encoding.UTF8.GetString(plain));
        Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(Convert.FromBase64String(sent), RSAEncryptionPadding.Pkcs1));
    }

    [Fact]
    public void A_credential_sends_its_user_name_and_its_password_encrypted()
    {
        using var service = RSA.Create(2048);
        var key = ParameterEncryptionKey.Parse(service.ToXmlString(false));

        var request = new InvokeCommandRequest("New-MigrationEndpoint", [new("Credentials", new PSCredential("admin@contoso.com", Secure(Secret)))], key);

        Assert.DoesNotContain(Secret, request.Body);
        var credential = JsonDocument.Parse(request.Body).RootElement.GetProperty("CmdletInput").GetProperty("Parameters").GetProperty("Credentials");
        Assert.Equal("#Exchange.GenericHashTable", credential.GetProperty("@odata.type").GetString());
        Assert.Equal("admin@contoso.com", credential.GetProperty("UserName").GetString());
        Assert.Equal(Secret, Encoding.UTF8.GetString(service.Decrypt(Convert.FromBase64String(credential.GetProperty("Password").GetString()!), RSAEncryptionPadding.Pkcs1)));
    }

    [Fact]
    public void Without_a_key_a_secret_is_refused_and_nothing_names_it()
    {
        var error = Assert.Throws<ExoException>(() => new InvokeCommandRequest("Set-Mailbox", [new("Identity", "alex"), new("Password", Secure(Secret))]));

        Assert.Equal("ServiceKeyMissing", error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
        Assert.Equal("Password", error.Target);
        Assert.Contains("nothing was sent", error.Message);
        Assert.DoesNotContain(Secret, error.ToString());
    }

    [Fact]
    public void A_secret_too_long_for_the_key_is_refused_without_its_text()
    {
        using var small = RSA.Create(1024);
        var key = ParameterEncryptionKey.Parse(small.ToXmlString(false));
        var longSecret = new string('x', 200);

        var error = Assert.Throws<ExoException>(() => new InvokeCommandRequest("Set-Mailbox", [new("Password", Secure(longSecret))], key));

        Assert.Equal("SecretNotEncrypted", error.ErrorId);
        Assert.DoesNotContain(longSecret, error.ToString());
    }

    [Theory]
    [InlineData("<RSAKeyValue><Modulus>not base64!</Modulus><Exponent>AQAB</Exponent></RSAKeyValue>")]
    [InlineData("<RSAKeyValue><Exponent>AQAB</Exponent></RSAKeyValue>")]
    [InlineData("<RSAKeyValue><Modulus>AAAA</Modulus>")]
    public void A_malformed_key_is_a_protocol_error(string xml)
    {
        var error = Assert.Throws<ExoException>(() => ParameterEncryptionKey.Parse(xml));

        Assert.Equal(ErrorCategory.ProtocolError, error.Category);
    }

    [Fact]
    public void A_module_file_without_a_key_has_none()
    {
        Assert.Null(ParameterEncryptionKey.FromModuleText("function script:Get-Mailbox { }"));
    }
}
