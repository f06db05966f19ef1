using System;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Engine.Operations;

/// <summary>The parameters of one Get-EXOMailbox call (one pipeline item).</summary>
public sealed class MailboxQuery
{
    public string? Identity { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? PrimarySmtpAddress { get; set; }

    public Guid? ExternalDirectoryObjectId { get; set; }

    public string[]? Properties { get; set; }

    public string[]? PropertySets { get; set; }

    public string[]? RecipientTypeDetails { get; set; }

    /// <summary>OPATH, converted client-side to OData $filter.</summary>
    public string? Filter { get; set; }

    /// <summary>Ambiguous name resolution: mailboxes whose names or address start with this text.</summary>
    public string? Anr { get; set; }

    /// <summary>Only mailboxes in this organizational unit (name, canonical name or distinguished name).</summary>
    public string? OrganizationalUnit { get; set; }

    /// <summary>Only mailboxes on this mailbox plan (name, display name or GUID).</summary>
    public string? MailboxPlan { get; set; }

    /// <summary>Only mailboxes that have an archive.</summary>
    public bool Archive { get; set; }

    public bool SoftDeletedMailbox { get; set; }

    public bool IncludeInactiveMailbox { get; set; }

    public bool InactiveMailboxOnly { get; set; }

    public ResultSize ResultSize { get; set; } = ResultSize.Of(1000);

    /// <summary>The identity the admin named, by the original's precedence: ExternalDirectoryObjectId > UPN > PrimarySmtpAddress > Identity.</summary>
    internal string? EffectiveIdentity =>
        ExternalDirectoryObjectId?.ToString() ?? NullIfEmpty(UserPrincipalName) ?? NullIfEmpty(PrimarySmtpAddress) ?? NullIfEmpty(Identity);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
