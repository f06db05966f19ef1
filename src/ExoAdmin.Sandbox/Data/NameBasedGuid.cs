using System.Security.Cryptography;
using System.Text;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// RFC 4122 version-5 (name-based, SHA-1) GUIDs: the same name always gives the same GUID, so tenant ids and
/// app ids stay stable across runs without being stored anywhere. SHA-1 is used as a naming hash, not for security.
/// </summary>
internal static class NameBasedGuid
{
    // A fixed namespace of our own, so our ids never collide with other v5 GUIDs of the same names.
    private static readonly Guid SandboxNamespace = new("6f1c1c52-3f0e-4b7a-9d6b-0e8a2f5c4d11");

    public static Guid Create(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name.ToLowerInvariant());
        var input = new byte[16 + nameBytes.Length];
        SandboxNamespace.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
