using System;
using System.Collections.Generic;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Sessions;

/// <summary>
/// -ExchangeEnvironmentName: the service and sign-in hosts of each Microsoft 365 cloud (notes §1.1, §14), by the names
/// of ExchangeOnlineManagement's ExchangeEnvironment (the cmdlets' parameter type, which lives with the cmdlets: no
/// engine type may appear in a cmdlet's signature). -ConnectionUri and -AzureADAuthorizationEndpointUri override them.
/// </summary>
public static class ExchangeClouds
{
    private static readonly Dictionary<string, (string Exchange, string Compliance, string Authority)> Clouds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["O365Default"] = ("https://outlook.office365.com", "https://ps.compliance.protection.outlook.com", "https://login.microsoftonline.com"),
        ["O365USGovGCCHigh"] = ("https://outlook.office365.us", "https://ps.compliance.protection.office365.us", "https://login.microsoftonline.us"),
        ["O365USGovDoD"] = ("https://outlook-dod.office365.us", "https://l5.ps.compliance.protection.office365.us", "https://login.microsoftonline.us"),
        ["O365China"] = ("https://partner.outlook.cn", "https://ps.compliance.protection.partner.outlook.cn", "https://login.chinacloudapi.cn"),
        ["O365GermanyCloud"] = ("https://outlook.office.de", "https://ps.compliance.protection.outlook.de", "https://login.microsoftonline.de"),
    };

    public static IEnumerable<string> Names => Clouds.Keys;

    public static string ConnectionUri(string environment, bool compliance) => compliance ? Cloud(environment).Compliance : Cloud(environment).Exchange;

    /// <summary>The delegated authority: the cloud's login host with /organizations.</summary>
    public static string AuthorityUri(string environment) => Cloud(environment).Authority + "/organizations";

    private static (string Exchange, string Compliance, string Authority) Cloud(string environment) =>
        Clouds.TryGetValue(environment, out var cloud)
            ? cloud
            : throw Failures.InvalidArgument($"'{environment}' is not an Exchange environment. Use one of: {string.Join(", ", Clouds.Keys)}.", "InvalidExchangeEnvironment", environment);
}
