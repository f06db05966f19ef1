using ExoAdmin.Sandbox.Catalogue;
using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Which catalogue a request is served from: the Security &amp; Compliance cmdlets on the compliance listener (the
/// one whose tokens carry the compliance audience), the Exchange Online ones everywhere else. The two sets overlap
/// only where the catalogue says a cmdlet exists in both services.
/// </summary>
internal sealed class ServiceCatalogues(CmdletCatalogue catalogue, SandboxUrls urls)
{
    public ServiceCatalogue For(ExchangeRequest request) =>
        catalogue.For(urls.SideOf(request.Http) == SandboxSide.Compliance
            ? CatalogueService.SecurityCompliance
            : CatalogueService.ExchangeOnline);
}
