using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// The cmdlets the sandbox models, by name, checked against the catalogue when the sandbox starts: each is a
/// catalogue cmdlet, and it reads or changes as <see cref="ManagementRoles.ChangesState"/> says, so a change can
/// never skip its plan (and with it -WhatIf and the audit log). Every other catalogue cmdlet is not modelled:
/// its reads answer nothing, its changes are refused.
/// </summary>
internal sealed class ModelledCmdlets
{
    private readonly Dictionary<string, ICmdlet> _byName = new(StringComparer.OrdinalIgnoreCase);

    public ModelledCmdlets(IEnumerable<ICmdlet> cmdlets, CmdletCatalogue catalogue)
    {
        foreach (var cmdlet in cmdlets)
        {
            if (catalogue.For(CatalogueService.ExchangeOnline).Find(cmdlet.Name) is null && catalogue.For(CatalogueService.SecurityCompliance).Find(cmdlet.Name) is null)
            {
                throw new InvalidOperationException($"{cmdlet.GetType().Name} models '{cmdlet.Name}', which the cmdlet catalogue does not have.");
            }

            if (ManagementRoles.ChangesState(cmdlet.Name) != cmdlet is IChangeCmdlet || cmdlet is IChangeCmdlet == cmdlet is IReadCmdlet)
            {
                throw new InvalidOperationException($"{cmdlet.GetType().Name}: '{cmdlet.Name}' must be an {(ManagementRoles.ChangesState(cmdlet.Name) ? nameof(IChangeCmdlet) : nameof(IReadCmdlet))}.");
            }

            if (!_byName.TryAdd(cmdlet.Name, cmdlet))
            {
                throw new InvalidOperationException($"'{cmdlet.Name}' is modelled twice.");
            }
        }
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public ICmdlet? Find(string name) => _byName.GetValueOrDefault(name);
}
