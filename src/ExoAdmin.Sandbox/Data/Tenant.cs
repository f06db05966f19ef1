using System.Security.Cryptography;
using System.Text;

namespace ExoAdmin.Sandbox.Data;

/// <summary>
/// A tenant's names and ids, all derived from its initial domain so they are stable across runs and seeds.
/// </summary>
internal sealed class Tenant
{
    private const string InitialDomainSuffix = ".onmicrosoft.com";

    private Tenant(string domain)
    {
        Domain = domain;
        ShortName = domain[..^InitialDomainSuffix.Length];
        VanityDomain = ShortName + ".com";
        TenantId = NameBasedGuid.Create("tenant:" + domain);

        // Exchange Online hosts each tenant in a forest such as NAMPR12A003; pick one from the domain.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(domain));
        var region = 1 + hash[0] % 20;
        var unit = 1 + BitConverter.ToUInt16(hash, 1) % 9;
        Forest = $"NAMPR{region:00}A{unit:000}";
        DomainController = $"BN8PR{region:00}A{unit:000}DC{1 + hash[3] % 9:000}.{Forest}.PROD.OUTLOOK.COM";
        var forestFqdn = $"{Forest}.PROD.OUTLOOK.COM";
        OrganizationId = $"{forestFqdn}/Microsoft Exchange Hosted Organizations/{domain} - {forestFqdn}/ConfigurationUnits/{domain}/Configuration";
        OrganizationalUnit = $"{forestFqdn}/Microsoft Exchange Hosted Organizations/{domain}";
        DistinguishedNameSuffix = $",OU={domain},OU=Microsoft Exchange Hosted Organizations,DC={Forest},DC=PROD,DC=OUTLOOK,DC=COM";
        ObjectCategory = $"{forestFqdn}/Configuration/Schema/Person";
        MailboxPlan = $"ExchangeOnlineEnterprise-{NameBasedGuid.Create("mailbox-plan:" + domain)}";
    }

    /// <summary>The initial domain, e.g. contoso.onmicrosoft.com (lower case).</summary>
    public string Domain { get; }

    /// <summary>contoso</summary>
    public string ShortName { get; }

    /// <summary>The custom domain users' addresses live in: contoso.com.</summary>
    public string VanityDomain { get; }

    public Guid TenantId { get; }

    public string Forest { get; }

    /// <summary>The domain controller named in "couldn't be found on '…'" errors.</summary>
    public string DomainController { get; }

    public string OrganizationId { get; }

    public string OrganizationalUnit { get; }

    /// <summary>Everything after "CN=name" in a recipient's distinguished name.</summary>
    public string DistinguishedNameSuffix { get; }

    public string ObjectCategory { get; }

    /// <summary>The mailbox plan licensed user mailboxes get.</summary>
    public string MailboxPlan { get; }

    public static bool IsValidDomain(string domain) =>
        domain.EndsWith(InitialDomainSuffix, StringComparison.OrdinalIgnoreCase)
        && domain.Length > InitialDomainSuffix.Length
        && Uri.CheckHostName(domain) == UriHostNameType.Dns;

    public static Tenant FromDomain(string domain)
    {
        if (!IsValidDomain(domain))
        {
            throw new ArgumentException($"'{domain}' is not a tenant's initial domain (name{InitialDomainSuffix}).", nameof(domain));
        }

        return new Tenant(domain.ToLowerInvariant());
    }
}
