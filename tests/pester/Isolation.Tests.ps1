BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 10
}

AfterAll {
    $sandbox | Stop-ExoSandbox
}

Describe 'Dependency isolation' {
    BeforeAll {
        # One fresh pwsh per import order: another module's MSAL (as Az, Graph or Teams load it) before
        # ExoAdmin, or after ExoAdmin has signed in; both must keep working in the same session.
        $script:scriptFile = Join-Path $TestDrive 'conflict.ps1'
        Set-Content -Path $scriptFile -Value {
            param($ConflictingMsal, $ModulePath, $SandboxJson, $Order)
            $ErrorActionPreference = 'Stop'
            $sandbox = $SandboxJson | ConvertFrom-Json
            $tenant = $sandbox.tenants[0]
            function Use-OtherMsal {
                Add-Type -Path $ConflictingMsal
                # What the other module does with it: use its types, bound to its own version.
                $options = [Microsoft.Identity.Client.PublicClientApplicationOptions]@{ ClientId = [guid]::NewGuid().ToString(); AzureCloudInstance = 'AzurePublic' }
                $options.GetType().Assembly.GetName().Version.ToString()
            }
            $other = if ($Order -eq 'OtherFirst') { Use-OtherMsal }
            Import-Module $ModulePath
            $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
            Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $password -ConnectionUri $sandbox.connectionUri -AzureADAuthorizationEndpointUri $sandbox.azureADAuthorizationEndpointUri -ShowBanner:$false
            $count = @(Get-EXOMailbox -ResultSize 5).Count
            if ($Order -eq 'ExoAdminFirst') { $other = Use-OtherMsal }
            # ExoAdmin keeps working once the other MSAL is loaded, including a fresh sign-in.
            Disconnect-ExchangeOnline -Confirm:$false
            Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $password -ConnectionUri $sandbox.connectionUri -AzureADAuthorizationEndpointUri $sandbox.azureADAuthorizationEndpointUri -ShowBanner:$false
            $count += @(Get-EXOMailbox -ResultSize 5).Count
            $msal = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Microsoft.Identity.Client' }
            [pscustomobject]@{
                Mailboxes = $count
                Other     = $other
                Msal      = @($msal | ForEach-Object { '{0}@{1}' -f $_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name })
                Engine    = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'ExoAdmin.Engine' })).Name
            } | ConvertTo-Json -Compress
        }.ToString()
    }

    It 'works in a fresh pwsh with another MSAL loaded <_>' -ForEach @('OtherFirst', 'ExoAdminFirst') {
        $env:EXOADMIN_CONFLICTING_MSAL | Should -Exist
        $json = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $scriptFile $env:EXOADMIN_CONFLICTING_MSAL $env:EXOADMIN_MODULE_PATH ($sandbox.Info | ConvertTo-Json -Depth 5 -Compress) $_
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $result = ($json -join '') | ConvertFrom-Json

        $result.Mailboxes | Should -Be 10
        $result.Other | Should -Be '4.61.3.0'
        $result.Engine | Should -Be 'ExoAdmin.Engine'
        # Both MSALs are loaded side by side: the old one in the default context, ours in the engine's.
        $result.Msal | Should -Contain '4.61.3.0@Default'
        @($result.Msal | Where-Object { $_ -like '*@ExoAdmin.Engine' }) | Should -HaveCount 1
    }
}
