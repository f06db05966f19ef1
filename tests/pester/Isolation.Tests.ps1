BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 10
}

AfterAll {
    $sandbox | Stop-ExoSandbox
}

Describe 'Dependency isolation' {
    It 'works in a fresh pwsh where another module already loaded an older MSAL' {
        $env:EXOADMIN_CONFLICTING_MSAL | Should -Exist
        $scriptFile = Join-Path $TestDrive 'conflict.ps1'
        Set-Content -Path $scriptFile -Value {
            param($ConflictingMsal, $ModulePath, $SandboxJson)
            $ErrorActionPreference = 'Stop'
            $sandbox = $SandboxJson | ConvertFrom-Json
            $tenant = $sandbox.tenants[0]
            # What another module (Az, Graph, Teams...) would have done first.
            Add-Type -Path $ConflictingMsal
            Import-Module $ModulePath
            $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
            Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $password -ConnectionUri $sandbox.connectionUri -AzureADAuthorizationEndpointUri $sandbox.azureADAuthorizationEndpointUri -ShowBanner:$false
            $count = @(Get-EXOMailbox -ResultSize 5).Count
            $msal = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Identity.Client' }
            [pscustomobject]@{
                Mailboxes = $count
                Msal      = @($msal | ForEach-Object { '{0}@{1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name })
                Engine    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ExoAdmin.Engine' })).Name
            } | ConvertTo-Json -Compress
        }.ToString()
        $json = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $scriptFile $env:EXOADMIN_CONFLICTING_MSAL $env:EXOADMIN_MODULE_PATH ($sandbox.Info | ConvertTo-Json -Depth 5 -Compress)
        $LASTEXITCODE | Should -Be 0
        $result = ($json -join '') | ConvertFrom-Json

        $result.Mailboxes | Should -Be 5
        $result.Engine | Should -Be 'ExoAdmin.Engine'
        # Both MSALs are loaded side by side: the old one in the default context, ours in the engine's.
        $result.Msal | Should -Contain '4.61.3.0@Default'
        @($result.Msal | Where-Object { $_ -like '*@ExoAdmin.Engine' }) | Should -HaveCount 1
    }
}
