using System;

namespace ExoAdmin.Engine.Sessions;

/// <summary>One row of Get-ConnectionInformation; property names and meaning as in ExchangeOnlineManagement.</summary>
public sealed class ConnectionInformation
{
    public string ConnectionId { get; set; } = string.Empty;

    public ConnectionState State { get; set; }

    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? UserPrincipalName { get; set; }

    public string ConnectionUri { get; set; } = string.Empty;

    public string AzureAdAuthorizationEndpointUri { get; set; } = string.Empty;

    public DateTime? TokenExpiryTimeUTC { get; set; }

    public bool CertificateAuthentication { get; set; }

    public string ModuleName { get; set; } = "ExoAdmin";

    public string ModulePrefix { get; set; } = string.Empty;

    public string? Organization { get; set; }

    public string? AppId { get; set; }

    public int PageSize { get; set; }

    public string? TenantID { get; set; }

    public string TokenStatus { get; set; } = string.Empty;

    public bool IsEopSession { get; set; }
}
