BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 20
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Connect-ExchangeOnline app-only with a certificate' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'connects with -CertificateFilePath and -CertificatePassword' {
        Connect-TestTenant -Sandbox $sandbox

        $info = Get-ConnectionInformation
        $info | Should -HaveCount 1
        $info.State | Should -Be 'Connected'
        $info.Organization | Should -Be $tenant.organization
        $info.AppId | Should -Be $tenant.appId
        $info.TenantID | Should -Be $tenant.tenantId
        $info.CertificateAuthentication | Should -BeTrue
        $info.TokenStatus | Should -Be 'Active'
        $info.TokenExpiryTimeUTC | Should -BeGreaterThan ([datetime]::UtcNow)
        $info.Name | Should -Match '^ExchangeOnline_\d+$'
        $info.ConnectionUri | Should -Be $sandbox.ConnectionUri
        $info.PageSize | Should -Be 1000
    }

    It 'connects with a certificate object' {
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(
            $tenant.certificatePath, $tenant.certificatePassword,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
        Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -Certificate $certificate `
            -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false

        (Get-ConnectionInformation).State | Should -Be 'Connected'
        @(Get-EXOMailbox -ResultSize 3) | Should -HaveCount 3
    }

    It 'shows the service banner by default' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $banner = Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
            -CertificatePassword $password -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri 6>&1

        ($banner | Out-String) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Sign-in failures an admin meets' {
    It 'a wrong certificate password is an InvalidArgument error naming the file, with no password in it' {
        $wrong = ConvertTo-SecureString 'not-the-password' -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $wrong -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri } |
            Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $tenant.certificatePath
        $err.Exception.Message | Should -Match 'password is wrong'
        $err.Exception.Message | Should -Not -Match ([regex]::Escape($tenant.certificatePassword))
    }

    It 'a password-protected certificate file given without its password says the password is missing, not wrong' {
        $err = { Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'CertificatePasswordMissing*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $tenant.certificatePath
        $err.Exception.Message | Should -Be "The certificate file '$($tenant.certificatePath)' is protected by a password: give it with -CertificatePassword."
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'an app the tenant does not know is refused by the sign-in service' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId ([guid]::NewGuid()) -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $password -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri } |
            Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'AADSTS700016'
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'a ConnectionUri that is not https is refused before any request' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                -CertificatePassword $password -ConnectionUri ($sandbox.ConnectionUri -replace '^https', 'http') -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri } |
            Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.FullyQualifiedErrorId | Should -BeLike 'UriNotHttps*'
    }

    It 'an invalid prefix is refused' {
        { Connect-TestTenant -Sandbox $sandbox -Prefix 'Bad-Prefix' } | Should -Throw -ErrorId 'InvalidPrefix*'
        { Connect-TestTenant -Sandbox $sandbox -Prefix 'EXO' } | Should -Throw -ErrorId 'InvalidPrefix*'
    }
}

Describe 'Disconnect-ExchangeOnline' {
    It 'after disconnecting, a cmdlet fails with a clear connect-first error' {
        Connect-TestTenant -Sandbox $sandbox
        Disconnect-ExchangeOnline -Confirm:$false

        @(Get-ConnectionInformation) | Should -HaveCount 0
        $err = { Get-EXOMailbox -ResultSize 1 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'NotConnected*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match 'Connect-ExchangeOnline'
    }

    It 'closes only the connection named by -ModulePrefix' {
        Connect-TestTenant -Sandbox $sandbox -Prefix 'Alpha'
        Connect-TestTenant -Sandbox $sandbox -Prefix 'Beta'

        Disconnect-ExchangeOnline -ModulePrefix Alpha -Confirm:$false

        (Get-ConnectionInformation).ModulePrefix | Should -Be 'Beta'
        Disconnect-ExchangeOnline -Confirm:$false
    }

    It 'changes nothing with -WhatIf' {
        Connect-TestTenant -Sandbox $sandbox
        Disconnect-ExchangeOnline -WhatIf
        @(Get-ConnectionInformation) | Should -HaveCount 1
        Disconnect-ExchangeOnline -Confirm:$false
    }

    It 'removing the module forgets its connections' {
        Connect-TestTenant -Sandbox $sandbox
        Remove-Module ExoAdmin
        Import-ExoAdmin

        @(Get-ConnectionInformation) | Should -HaveCount 0
    }
}
