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

    public string? DelegatedOrganization { get; set; }

    public string? AppId { get; set; }

    public int PageSize { get; set; }

    public string? TenantID { get; set; }

    public string TokenStatus { get; set; } = string.Empty;

    /// <summary>True for the connection Get-EXO* and the other built-in cmdlets use by default.</summary>
    public bool ConnectionUsedForInbuiltCmdlets { get; set; }

    public bool IsEopSession { get; set; }

    /// <summary>ExoAdmin's addition: the connection's log file (-LogDirectoryPath, -EnableErrorReporting), or null.</summary>
    public string? LogFilePath { get; set; }
}
