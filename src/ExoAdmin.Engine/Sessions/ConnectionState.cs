namespace ExoAdmin.Engine.Sessions;

/// <summary>What Get-ConnectionInformation reports in State, as the original does.</summary>
public enum ConnectionState
{
    Connected,
    Broken,
}
