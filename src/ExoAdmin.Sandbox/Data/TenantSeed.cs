using System.Text.Json;

namespace ExoAdmin.Sandbox.Data;

/// <summary>One mailbox permission as Get-EXOMailboxPermission (or Get-MailboxPermission) prints it.</summary>
internal sealed record MailboxPermissionEntry(string Identity, string User, string[] AccessRights, bool Deny, string InheritanceType);

/// <summary>One SendAs permission as Get-EXORecipientPermission (or Get-RecipientPermission) prints it.</summary>
internal sealed record RecipientPermissionEntry(string Identity, string Trustee, string AccessControlType);

/// <summary>One member of a distribution group: Get-DistributionGroupMember's output with the group's columns added.</summary>
internal sealed record GroupMemberEntry(string Group, string? GroupDisplayName, string[] GroupManagedBy, string Member);

/// <summary>
/// What seeds the first tenant from a real one's exports instead of the generator: its mailboxes (--seed-file, an
/// export of Get-EXOMailbox -PropertySets All), its mailbox permissions (--seed-mailbox-permissions), its SendAs
/// permissions (--seed-recipient-permissions) and its distribution groups' members (--seed-group-members), each a
/// <c>ConvertTo-Json</c> of the cmdlet's output (the sandbox README has the commands). Each part given replaces what
/// the sandbox would generate for it; a part not given is generated as for any tenant. Entries of the owner's own
/// (NT AUTHORITY\SELF) are the sandbox's to make and are skipped.
/// </summary>
internal sealed record TenantSeed
{
    public const string Self = @"NT AUTHORITY\SELF";

    public SeedFile? Mailboxes { get; init; }

    public IReadOnlyList<MailboxPermissionEntry>? MailboxPermissions { get; init; }

    public IReadOnlyList<RecipientPermissionEntry>? RecipientPermissions { get; init; }

    public IReadOnlyList<GroupMemberEntry>? GroupMembers { get; init; }

    /// <exception cref="InvalidDataException">Not an export of Get-EXOMailboxPermission; the message names the file and entry.</exception>
    public static MailboxPermissionEntry[] LoadMailboxPermissions(string path) =>
        Entries(path, "mailbox permissions", ["Identity", "User"], e => new MailboxPermissionEntry(
            ExportJson.String(e, "Identity")!, ExportJson.String(e, "User")!, Rights(e), ExportJson.Bool(e, "Deny"), ExportJson.String(e, "InheritanceType") ?? "All"))
        .Where(p => !IsSelf(p.User)).ToArray();

    /// <exception cref="InvalidDataException">Not an export of Get-EXORecipientPermission.</exception>
    public static RecipientPermissionEntry[] LoadRecipientPermissions(string path) =>
        Entries(path, "recipient permissions", ["Identity", "Trustee"], e => new RecipientPermissionEntry(
            ExportJson.String(e, "Identity")!, ExportJson.String(e, "Trustee")!, ExportJson.String(e, "AccessControlType") ?? "Allow"))
        .Where(p => !IsSelf(p.Trustee)).ToArray();

    /// <exception cref="InvalidDataException">Not an export of group members with their group.</exception>
    public static GroupMemberEntry[] LoadGroupMembers(string path) =>
        Entries(path, "group members", ["Group"], e => new GroupMemberEntry(
            ExportJson.String(e, "Group")!, ExportJson.String(e, "GroupDisplayName"), ExportJson.Strings(e, "GroupManagedBy"),
            ExportJson.String(e, "PrimarySmtpAddress") ?? ExportJson.String(e, "Identity") ?? ExportJson.String(e, "Name")
                ?? throw new InvalidDataException($"{path}: a member of '{ExportJson.String(e, "Group")}' has no PrimarySmtpAddress, Identity or Name.")))
        .ToArray();

    private static bool IsSelf(string principal) => principal.Equals(Self, StringComparison.OrdinalIgnoreCase);

    /// <summary>AccessRights as a list, or as the one text "FullAccess, ReadPermission" Export-Csv-minded scripts make of it.</summary>
    private static string[] Rights(JsonElement e) =>
        ExportJson.Strings(e, "AccessRights").SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();

    private static IEnumerable<T> Entries<T>(string path, string what, string[] required, Func<JsonElement, T> read)
    {
        var entries = ExportJson.LoadObjects(path, what);
        for (var i = 0; i < entries.Length; i++)
        {
            if (required.FirstOrDefault(name => ExportJson.String(entries[i], name) is null) is { } missing)
            {
                throw new InvalidDataException($"{path}: entry {i} has no {missing}; it is not an export of {what} (see the sandbox README for the command).");
            }

            yield return read(entries[i]);
        }
    }
}
