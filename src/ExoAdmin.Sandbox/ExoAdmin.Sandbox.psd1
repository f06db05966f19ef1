@{
    # The sandbox's own package: a local HTTPS Exchange Online + Entra ID to rehearse scripts on, kept apart from the
    # ExoAdmin module so what an Azure Automation account imports is only what runs there. build.ps1 stages it at
    # out/ExoAdmin.Sandbox with the sandbox's binaries beside the start script.
    RootModule           = 'ExoAdmin.Sandbox.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '8a0f4c2e-5b1d-4e36-9c7a-2d4e6f8a1b3c'
    Author               = 'ExoAdmin contributors'
    CompanyName          = 'ExoAdmin'
    Copyright            = '(c) ExoAdmin contributors. MIT License.'
    Description          = 'A local HTTPS sandbox of Exchange Online and Entra ID with seeded tenants, for rehearsing ExoAdmin (or ExchangeOnlineManagement) scripts before they meet a real tenant. Start-ExoAdminSandbox starts one and prints the lines that connect to it. Needs the .NET 10 runtime.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Start-ExoAdminSandbox')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'ExchangeOnline', 'Sandbox', 'Testing', 'Rehearsal', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/ExoAdmin/ExoAdmin'
            LicenseUri   = 'https://github.com/ExoAdmin/ExoAdmin/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- The sandbox as its own package: Start-ExoAdminSandbox starts a seeded tenant (or one seeded from your tenant's export) and prints the connect lines, never a secret.
'@
        }
    }
}
