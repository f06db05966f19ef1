using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>Get-OrganizationConfig: the tenant's organization-wide settings (read-only here).</summary>
internal sealed class GetOrganizationConfigCmdlet : IReadCmdlet
{
    public string Name => "Get-OrganizationConfig";

    public CmdletResult Invoke(CmdletContext context)
    {
        var tenant = context.Tenant.Tenant;
        return CmdletResult.Of([new PropertyBag(0)
            .Add("Identity", tenant.Domain)
            .Add("Name", tenant.Domain)
            .Add("DisplayName", tenant.ShortName)
            .Add("Guid", tenant.TenantId)
            .Add("OrganizationId", tenant.OrganizationId)
            .Add("IsDehydrated", false)
            .Add("AuditDisabled", false)
            .Add("OAuth2ClientProfileEnabled", true)
            .Add("DefaultPublicFolderProhibitPostQuota", "Unlimited")
            .Add("MailTipsAllTipsEnabled", true)]);
    }
}
