using System.Text;
using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange.Resources;

/// <summary>
/// One cmdlet of the module file in the real service's shape (§18.1): a "# .ExternalHelp &lt;file&gt;" line, then
/// <c>function script:&lt;Name&gt;</c> with [CmdletBinding()], the catalogue's parameter sets (one [Parameter()] per
/// set, or one for all sets when they agree), aliases, pipeline input only where the catalogue has it, and types a
/// client can load (<see cref="ParameterTypes"/>); its body hands $PSBoundParameters to the core's Execute-Command.
/// </summary>
internal static class ModuleFunctions
{
    /// <summary>
    /// Cmdlets Exchange asks to confirm by default (ConfirmImpact High): those that delete or wipe, and the few
    /// that grant send-as or replace a whole membership, whose confirmation prompts admins know to answer with
    /// -Confirm:$false in scripts. Other changes are Medium.
    /// </summary>
    private static readonly HashSet<string> HighImpactVerbs = new(StringComparer.OrdinalIgnoreCase) { "Remove", "Clear", "Delete" };

    private static readonly HashSet<string> HighImpactCmdlets = new(StringComparer.OrdinalIgnoreCase)
    {
        "Add-RecipientPermission", "Update-DistributionGroupMember", "Update-RoleGroupMember", "Disable-Mailbox",
        "Disable-MailUser", "Disable-MailContact", "Disable-MailPublicFolder", "Disable-RemoteMailbox",
    };

    public static bool IsHighImpact(string cmdlet) =>
        HighImpactVerbs.Contains(cmdlet[..cmdlet.IndexOf('-')]) || HighImpactCmdlets.Contains(cmdlet);

    public static string For(CatalogueCmdlet cmdlet)
    {
        var changes = ManagementRoles.ChangesState(cmdlet.Name);
        // Without PositionalBinding=$false PowerShell would give every parameter without a position one of its own.
        var binding = new List<string> { "PositionalBinding=$false" };
        if (cmdlet.HasSeveralSets)
        {
            binding.Add($"DefaultParameterSetName='{cmdlet.DefaultParameterSet}'");
        }

        if (changes)
        {
            binding.Add("SupportsShouldProcess=$true");
            binding.Add($"ConfirmImpact='{(IsHighImpact(cmdlet.Name) ? "High" : "Medium")}'");
        }

        var text = new StringBuilder();
        text.Append("\n# .ExternalHelp ").Append(cmdlet.HelpFile).Append('\n');
        text.Append("function script:").Append(cmdlet.Name).Append("\n{\n");
        text.Append("    [CmdletBinding(").AppendJoin(", ", binding).Append(")]\n");
        text.Append("    param(\n");
        for (var i = 0; i < cmdlet.Parameters.Count; i++)
        {
            AppendParameter(text, cmdlet, cmdlet.Parameters[i]);
            text.Append(i < cmdlet.Parameters.Count - 1 ? ",\n\n" : "\n");
        }

        text.Append("    )\n\n    process\n    {\n");
        text.Append("        Execute-Command -CmdletName '").Append(cmdlet.Name).Append("' -Parameters $PSBoundParameters -Caller $PSCmdlet")
            .Append(changes ? " -ShowConfirmPrompt" : string.Empty).Append('\n');
        text.Append("    }\n}\n");
        return text.ToString();
    }

    private static void AppendParameter(StringBuilder text, CatalogueCmdlet cmdlet, CatalogueParameter parameter)
    {
        // One attribute without a set name when the parameter is in every set and behaves the same in each.
        var first = parameter.Sets[0];
        var inEverySetAlike = !cmdlet.HasSeveralSets
            || (parameter.Sets.Count == cmdlet.ParameterSets.Count && parameter.Sets.All(s => s.Mandatory == first.Mandatory && s.Position == first.Position));
        IEnumerable<(string? Set, SetMembership Membership)> attributes = inEverySetAlike
            ? [(null, first)]
            : parameter.Sets.Select(s => ((string?)s.SetName, s));
        foreach (var (set, membership) in attributes)
        {
            var arguments = new List<string>();
            if (set is not null)
            {
                arguments.Add($"ParameterSetName='{set}'");
            }

            if (membership.Mandatory)
            {
                arguments.Add("Mandatory=$true");
            }

            if (membership.Position is { } position)
            {
                arguments.Add($"Position={position}");
            }

            if (parameter.FromPipeline)
            {
                arguments.Add("ValueFromPipeline=$true");
            }

            if (parameter.FromPipelineByPropertyName)
            {
                arguments.Add("ValueFromPipelineByPropertyName=$true");
            }

            text.Append("    [Parameter(").AppendJoin(", ", arguments).Append(")]\n");
        }

        if (parameter.Aliases.Count > 0)
        {
            text.Append("    [Alias(").AppendJoin(", ", parameter.Aliases.Select(a => $"'{a}'")).Append(")]\n");
        }

        text.Append("    ").Append(ParameterTypes.Of(parameter.TypeName).PowerShell).Append('\n');
        text.Append("    ${").Append(parameter.Name).Append('}');
    }
}
