using System.Security.Cryptography.X509Certificates;
using ExoAdmin.Sandbox.Hosting;
using ExoAdmin.Sandbox.Identity;
using ExoAdmin.Sandbox.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// With --ca-dir the sandbox keeps its keys beside the CA: a restart signs tokens with the same key and gives each
/// tenant's app a certificate on the same key, without making a key; without it, every start has keys of its own.
/// </summary>
public sealed class SandboxKeysTests
{
    [Fact]
    public async Task A_restart_with_the_same_CA_folder_keeps_the_signing_and_app_keys_and_another_folder_gets_its_own()
    {
        var kept = Directory.CreateTempSubdirectory("exoadmin-keys-test-").FullName;
        var other = Directory.CreateTempSubdirectory("exoadmin-keys-test-").FullName;
        try
        {
            var first = await KeysOfAsync(kept);
            var written = new DirectoryInfo(Path.Combine(kept, "keys")).GetFiles().Select(file => file.Name).Order().ToArray();
            var second = await KeysOfAsync(kept);
            var elsewhere = await KeysOfAsync(other);
            var none = await KeysOfAsync(null);

            Assert.Equal(["app-contoso.onmicrosoft.com.key.pem", "module.key.pem", "server.key.pem", "token-signing.key.pem"], written);
            Assert.Equal(first, second);
            Assert.NotEqual(first.SigningKeyId, elsewhere.SigningKeyId);
            Assert.NotEqual(first.AppKey, elsewhere.AppKey);
            Assert.NotEqual(first.SigningKeyId, none.SigningKeyId);
            if (!OperatingSystem.IsWindows())
            {
                foreach (var file in Directory.GetFiles(Path.Combine(kept, "keys")))
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }
        }
        finally
        {
            Directory.Delete(kept, recursive: true);
            Directory.Delete(other, recursive: true);
        }
    }

    private static async Task<(string SigningKeyId, string AppKey)> KeysOfAsync(string? caDirectory)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Tenants = [SandboxFixture.Contoso], MailboxesPerTenant = 1, CaDirectory = caDirectory });
        var tenant = server.Ready.Tenants.Single();
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(tenant.CertificatePath, tenant.CertificatePassword);
        return (server.Services.GetRequiredService<TokenSigningKey>().KeyId, Convert.ToBase64String(certificate.PublicKey.EncodedKeyValue.RawData));
    }
}
