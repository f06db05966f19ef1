using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ExoAdmin.Sandbox.Control;
using ExoAdmin.Sandbox.Exchange.Resources;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// SecureString parameters travel RSA-encrypted (PKCS#1 v1.5, UTF-8, base64) with the public key in the module file
/// (§5.2, §18.4); the sandbox decrypts with the current key or the one before it, and the plaintext reaches neither
/// the audit log nor any answer.
/// </summary>
[Collection(SharedSandbox.Name)]
public sealed class SecureStringTests(SharedSandbox.Fixture shared)
{
    private readonly SandboxFixture sandbox = shared.For(typeof(SecureStringTests));

    private const string Contoso = SandboxFixture.Contoso;

    private ModuleKeys Keys => sandbox.Server.Services.GetRequiredService<ModuleKeys>();

    /// <summary>What a client does with the module file's key: the first &lt;RSAKeyValue&gt; in the psm1.</summary>
    private async Task<string> EncryptWithServedKeyAsync(string plaintext)
    {
        var (psm1, _) = await sandbox.ModuleAsync(Contoso, "New-MailUser");
        var start = psm1.IndexOf("<RSAKeyValue>", StringComparison.Ordinal);
        var end = psm1.IndexOf("</RSAKeyValue>", start, StringComparison.Ordinal) + "</RSAKeyValue>".Length;
        return Encrypt(psm1[start..end], plaintext);
    }

    private static string Encrypt(string publicKeyXml, string plaintext)
    {
        using var rsa = RSA.Create();
        rsa.FromXmlString(publicKeyXml);
        return Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes(plaintext), RSAEncryptionPadding.Pkcs1));
    }

    private async Task<HttpResponseMessage> SignInAsync(string user, string password) =>
        await sandbox.PostTokenRequestAsync("organizations", new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = SignInPages.ExchangePowerShellClientId, ["username"] = user, ["password"] = password,
            ["scope"] = sandbox.ConnectionUri + "/.default",
        });

    [Fact]
    public async Task New_MailUser_with_a_password_creates_a_recipient_whose_account_signs_in_with_it()
    {
        const string password = "Rehearsal-Pa55word!";
        using var response = await sandbox.RunAsync(Contoso, "New-MailUser", new
        {
            Name = "Pat Contractor", ExternalEmailAddress = "SMTP:pat@partner.example", MicrosoftOnlineServicesID = "pat@contoso.onmicrosoft.com",
            Password = await EncryptWithServedKeyAsync(password),
        });
        var body = await response.Content.ReadAsStringAsync();
        var created = JsonDocument.Parse(body).RootElement.GetProperty("value").EnumerateArray().Single();
        Assert.Equal("MailUser", created.GetProperty("RecipientTypeDetails").GetString());
        Assert.DoesNotContain(password, body);

        var mailUser = await sandbox.SingleAsync(Contoso, "Get-MailUser", new { Identity = "pat@contoso.onmicrosoft.com" });
        Assert.Equal("SMTP:pat@partner.example", mailUser.GetProperty("ExternalEmailAddress").GetString());
        Assert.Contains(await sandbox.ValuesAsync(Contoso, "Get-Recipient", new { ResultSize = "Unlimited" }), r => r.GetProperty("Name").GetString() == "Pat Contractor");
        using (var exoRecipients = await sandbox.GetAsync($"{sandbox.AdminApi(Contoso)}/Recipient?RecipientTypeDetails=MailUser&PropertySet=All", await sandbox.AccessTokenAsync(Contoso)))
        {
            var recipient = (await exoRecipients.JsonAsync()).GetProperty("value").EnumerateArray().Single();
            Assert.Equal(("Pat Contractor", "SMTP:pat@partner.example"), (recipient.GetProperty("Name").GetString(), recipient.GetProperty("ExternalEmailAddress").GetString()));
            Assert.Equal(JsonValueKind.Array, recipient.GetProperty("EmailAddresses").ValueKind);
        }

        using (var signIn = await SignInAsync("pat@contoso.onmicrosoft.com", password))
        {
            Assert.True((await signIn.JsonAsync()).TryGetProperty("access_token", out _));
        }

        using (var wrong = await SignInAsync("pat@contoso.onmicrosoft.com", "not-it"))
        {
            Assert.Equal(400, (int)wrong.StatusCode);
        }

        var audit = sandbox.Server.Services.GetRequiredService<AuditLog>().Entries(cmdlet: "New-MailUser").Single();
        Assert.Equal(AuditLog.Redacted, JsonDocument.Parse(audit.Parameters).RootElement.GetProperty("Password").GetString());
        Assert.DoesNotContain(password, audit.Parameters);

        await (await sandbox.RunAsync(Contoso, "Remove-MailUser", new { Identity = "Pat Contractor" })).JsonAsync();
        using var removed = await SignInAsync("pat@contoso.onmicrosoft.com", password);
        Assert.Equal(400, (int)removed.StatusCode);
    }

    [Fact]
    public async Task The_previous_key_is_still_accepted_after_a_rotation_and_an_older_or_foreign_one_is_refused()
    {
        var firstKey = Keys.PublicKeyXml;
        Keys.Rotate();
        Assert.NotEqual(firstKey, Keys.PublicKeyXml);

        using (var previous = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alina.king", Password = Encrypt(firstKey, "Previous-key-1") }))
        {
            await previous.JsonAsync();
        }

        using (var signIn = await SignInAsync("alina.king@contoso.com", "Previous-key-1"))
        {
            Assert.True((await signIn.JsonAsync()).TryGetProperty("access_token", out _));
        }

        Keys.Rotate();
        using var tooOld = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alina.king", Password = Encrypt(firstKey, "Too-old-key-2") });
        using var foreign = RSA.Create(2048);
        using var wrongKey = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alina.king", Password = Encrypt(foreign.ToXmlString(false), "Foreign-key-3") });
        using var notEncrypted = await sandbox.RunAsync(Contoso, "Set-Mailbox", new { Identity = "alina.king", Password = "Plain-text-4" });
        foreach (var (refused, secret) in new[] { (tooOld, "Too-old-key-2"), (wrongKey, "Foreign-key-3"), (notEncrypted, "Plain-text-4") })
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secret, body);
            var error = await refused.CmdletErrorAsync(400);
            Assert.Equal(("ParameterArgumentTransformationError", "Password"), (error.ErrorId, error.Target));
            Assert.Contains("not encrypted with the service's current or previous public key", error.Message);
        }
    }
}
