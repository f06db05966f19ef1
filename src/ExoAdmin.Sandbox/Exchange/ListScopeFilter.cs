using ExoAdmin.Sandbox.Data;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The list-narrowing query options of Recipient and CasMailbox (§6.3): Anr (names, aliases and addresses that
/// start with the text), OrganizationalUnit (the tenant's one OU; any other is not found) and RecipientType.
/// </summary>
internal static class ListScopeFilter
{
    private static readonly string[] AnrProperties = ["DisplayName", "Name", "Alias", "PrimarySmtpAddress"];

    public static Func<PropertyBag, bool> From(ExchangeRequest request)
    {
        var tenant = request.Tenant.Tenant;
        if (request.Query.Get("OrganizationalUnit") is { Length: > 0 } unit && !tenant.IsOrganizationalUnit(unit.Trim()))
        {
            throw new ExchangeErrorException(ExchangeErrors.ObjectNotFound(unit, tenant));
        }

        var anr = request.Query.Get("Anr") is { Length: > 0 } text ? text.Trim() : null;
        var types = (request.Query.Get("RecipientType") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return bag =>
            (anr is null || AnrProperties.Any(p => bag.Get(p) is string value && value.StartsWith(anr, StringComparison.OrdinalIgnoreCase))) &&
            (types.Count == 0 || (bag.Get("RecipientType") is string type && types.Contains(type)));
    }
}
