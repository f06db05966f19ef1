namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Exchange RBAC as the sandbox models it: each tenant's app is assigned one role (--role DOMAIN=ROLE, default
/// Organization Management). The token proves who the app is (its Exchange.ManageAsApp role); the assignment
/// decides which cmdlets it may run, both in InvokeCommand (403 otherwise) and in the EXOModuleFile it is served.
/// </summary>
internal static class ManagementRoles
{
    public const string OrganizationManagement = "OrganizationManagement";

    /// <summary>Reads everything, changes nothing: the Get- cmdlets only.</summary>
    public const string HelpDesk = "HelpDesk";

    public static IReadOnlyList<string> Names { get; } = [OrganizationManagement, HelpDesk];

    public static string? Find(string name) => Names.FirstOrDefault(n => n.Equals(name.Replace(" ", string.Empty), StringComparison.OrdinalIgnoreCase));

    public static bool Allows(string role, string cmdlet) => role == OrganizationManagement || !ChangesState(cmdlet);

    /// <summary>Whether running the cmdlet changes state: every verb but Get. What RBAC, the module file and the audit log agree on.</summary>
    public static bool ChangesState(string cmdlet) => !cmdlet.StartsWith("Get-", StringComparison.OrdinalIgnoreCase);
}
