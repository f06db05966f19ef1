@{
    # The staged copy under out/ExoAdmin is what gets imported; build.ps1 copies this file there.
    RootModule           = 'ExoAdmin.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f5f8195-de95-4e61-b6eb-a60d35c85ae4'
    Author               = 'ExoAdmin contributors'
    CompanyName          = 'ExoAdmin'
    Copyright            = '(c) ExoAdmin contributors. MIT License.'
    Description          = 'Exchange Online and Security & Compliance administration over the REST protocol of ExchangeOnlineManagement V3: the same cmdlets, faster, streaming, multi-tenant, without assembly conflicts.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # No RequiredAssemblies or NestedModules: the engine must not load before the module's loader runs.
    CmdletsToExport      = @(
        'Connect-ExchangeOnline'
        'Connect-IPPSSession'
        'Disconnect-ExchangeOnline'
        'Get-ConnectionInformation'
        'Get-EXOMailbox'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'ExchangeOnline', 'EXO', 'Office365', 'Microsoft365', 'Compliance', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Foundation: app-only certificate sign-in, per-prefix connections, streaming Get-EXOMailbox, and the local sandbox.'
        }
    }
}
