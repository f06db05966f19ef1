namespace ExoAdmin.Commands.Connection;

/// <summary>The Microsoft 365 clouds of -ExchangeEnvironmentName, named as in ExchangeOnlineManagement (its parameter type).</summary>
public enum ExchangeEnvironment
{
    O365Default,
    O365USGovGCCHigh,
    O365USGovDoD,
    O365China,
    O365GermanyCloud,
}
