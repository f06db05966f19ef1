using System.Security.Cryptography;

namespace ExoAdmin.Sandbox.Identity;

/// <summary>
/// Where the sandbox's RSA keys come from: its server certificate's, the token-signing key, the module file's and each
/// tenant app's. A sandbox of its own makes new ones. With --ca-dir they are kept beside the CA (keys/NAME.key.pem,
/// readable by the owner only) and every later start with that folder uses them again: making a 2048-bit key costs a
/// tenth of a second of CPU or more, which a test run or an admin's restarts paid for every key of every start, and an
/// app certificate an admin imported keeps its key across restarts.
/// </summary>
internal sealed class SandboxKeys
{
    private const int KeySize = 2048;

    private readonly string? _directory;

    private SandboxKeys(string? directory) => _directory = directory;

    /// <summary>New keys on every start, kept nowhere.</summary>
    public static SandboxKeys New { get; } = new(null);

    /// <summary>Keys kept in the CA folder's keys/ folder.</summary>
    public static SandboxKeys KeptWith(string caDirectory) => new(Path.Combine(caDirectory, "keys"));

    /// <summary>The key named <paramref name="name"/> (a new RSA object each time, for the caller to dispose).</summary>
    public RSA Get(string name)
    {
        if (_directory is null)
        {
            return RSA.Create(KeySize);
        }

        var path = Path.Combine(_directory, name + ".key.pem");
        if (TryLoad(path) is { } kept)
        {
            return kept;
        }

        var key = RSA.Create(KeySize);
        Directory.CreateDirectory(_directory);
        var written = Path.Combine(_directory, $".{name}.{Guid.NewGuid():N}.tmp");
        CertificateAuthority.WritePrivateFile(written, key.ExportPkcs8PrivateKeyPem());
        try
        {
            // Whole or not at all: a start running beside this one reads a complete key or none, and the first to
            // finish wins; the other uses the winner's, so every start with the folder signs with the same key.
            File.Move(written, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(written);
            key.Dispose();
            return TryLoad(path) ?? throw new InvalidOperationException($"The sandbox key '{path}' could not be read.");
        }
    }

    private static RSA? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }
}
