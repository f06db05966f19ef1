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
        FrontlineMailboxPlan = $"ExchangeOnlineDeskless-{NameBasedGuid.Create("mailbox-plan-deskless:" + domain)}";
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

    /// <summary>The mailbox plan licensed user mailboxes get (Exchange Online Plan 2 / E3-E5).</summary>
    public string MailboxPlan { get; }

    /// <summary>The plan of frontline (F-licence) user mailboxes: about one in five, chosen by ExchangeGuid.</summary>
    public string FrontlineMailboxPlan { get; }

    /// <summary>The plan a mailbox is on: user mailboxes only (shared and resource mailboxes need no licence).</summary>
    public string? MailboxPlanOf(Mailbox mailbox) =>
        mailbox.RecipientTypeDetails != RecipientTypes.UserMailbox ? null
        : mailbox.ExchangeGuid.ToByteArray()[0] % 5 == 0 ? FrontlineMailboxPlan
        : MailboxPlan;

    /// <summary>
    /// Whether an -OrganizationalUnit value names this tenant's OU: its canonical name, its distinguished name,
    /// or its name (the initial domain), as Exchange resolves an OU identity.
    /// </summary>
    public bool IsOrganizationalUnit(string identity) =>
        identity.Equals(OrganizationalUnit, StringComparison.OrdinalIgnoreCase)
        || identity.Equals(Domain, StringComparison.OrdinalIgnoreCase)
        || identity.Equals(DistinguishedNameSuffix[1..], StringComparison.OrdinalIgnoreCase);

    /// <summary>The plan an -MailboxPlan value names (its name, display name or GUID), or null when none.</summary>
    public string? FindMailboxPlan(string identity) =>
        new[] { MailboxPlan, FrontlineMailboxPlan }.FirstOrDefault(plan =>
            plan.Equals(identity, StringComparison.OrdinalIgnoreCase)
            || plan[..plan.IndexOf('-')].Equals(identity, StringComparison.OrdinalIgnoreCase)
            || (Guid.TryParse(identity, out var guid) && plan.EndsWith(guid.ToString("D"), StringComparison.OrdinalIgnoreCase)));

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
