# Every way an admin signs in, end to end against the sandbox's Entra side, and the failures they meet.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Device-code clients are told to poll every second (Entra says 5): the test signs in on the page at once, and would
    # otherwise wait out most of Entra's interval.
    $script:sandbox = Start-TestSandbox -Tenant 'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'northwind.onmicrosoft.com' -Mailboxes 10 `
        -ExtraArguments '--partner', 'contoso.onmicrosoft.com:fabrikam.onmicrosoft.com', '--device-code-interval', '1s'
    $script:contoso = $sandbox.Tenants[0]
    $script:fabrikam = $sandbox.Tenants[1]
    $script:northwind = $sandbox.Tenants[2]
    $script:endpoints = @{ ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri; ShowBanner = $false }
    Import-ExoAdmin

    function Assert-NoSecret {
        # Nothing a cmdlet printed or threw may contain a password, a token or a secret.
        param([Parameter(Mandatory)] [string] $Text, [string[]] $Secrets)
        foreach ($secret in $Secrets) { if ($secret) { $Text | Should -Not -Match ([regex]::Escape($secret)) } }
        $Text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{10,}\.'   # no JWT
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Device code sign-in (-Device)' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'shows the code on the Information stream, and connects once the user signs in with password and MFA code on the page' {
        $admin = Get-TestUser $contoso admin
        $job = Start-ThreadJob -ScriptBlock {
            param($modulePath, $endpoints)
            Import-Module $modulePath
            Connect-ExchangeOnline -Device @endpoints
            Get-ConnectionInformation
            @(Get-EXOMailbox -ResultSize Unlimited).Count
            Disconnect-ExchangeOnline -Confirm:$false
        } -ArgumentList $env:EXOADMIN_MODULE_PATH, $endpoints

        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while (-not ($job.Information | Where-Object { "$($_.MessageData)" -match 'devicelogin' }) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $message = "$(($job.Information | Where-Object { "$($_.MessageData)" -match 'devicelogin' } | Select-Object -First 1).MessageData)"
        $message -match 'open the page (https://\S+/devicelogin) and enter the code (\w+)' | Should -BeTrue
        $uri, $code = $Matches[1], $Matches[2]

        $page = Complete-DeviceLogin -VerificationUri $uri -UserCode $code -User $admin
        $page | Should -Match "signed in .* as $([regex]::Escape($admin.userPrincipalName))"

        $info, $count = $job | Wait-Job -Timeout 90 | Receive-Job
        $job | Remove-Job -Force
        $info.UserPrincipalName | Should -Be $admin.userPrincipalName
        $info.TenantID | Should -Be $contoso.tenantId
        $info.State | Should -Be 'Connected'
        $info.CertificateAuthentication | Should -BeFalse
        $count | Should -Be 10
    }
}

Describe 'User name and password (-Credential)' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'connects a service account without MFA, and warns that this is discouraged' {
        $legacy = Get-TestUser $contoso legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))

        $output = Connect-ExchangeOnline -Credential $credential @endpoints -WarningVariable warnings -Verbose 4>&1 3>&1 6>&1 | Out-String

        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'discouraged'
        $info = Get-ConnectionInformation
        $info.UserPrincipalName | Should -Be $legacy.userPrincipalName
        $info.TokenStatus | Should -Be 'Active'
        @(Get-EXOMailbox -ResultSize 3) | Should -HaveCount 3
        Assert-NoSecret $output -Secrets $legacy.password
    }

    It 'is refused for a user who must use MFA, with Entra''s AADSTS50076 text and no password in the error' {
        $admin = Get-TestUser $contoso admin
        $credential = [pscredential]::new($admin.userPrincipalName, (ConvertTo-SecureString $admin.password -AsPlainText -Force))

        $err = { Connect-ExchangeOnline -Credential $credential @endpoints -WarningAction SilentlyContinue } | Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication'
        # A first sign-in was never renewed: the message says what to do instead.
        $err.Exception.Message | Should -Not -Match 'renewed'
        $err.Exception.Message | Should -Match 'must use multi-factor authentication, which a user name and password cannot satisfy: leave out -Credential .* or use -Device'
        Assert-NoSecret ($err | Out-String) -Secrets $admin.password
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'a wrong password is AADSTS50126' {
        $credential = [pscredential]::new("legacy@$($contoso.organization)", (ConvertTo-SecureString 'Wrong-Passw0rd' -AsPlainText -Force))
        $err = { Connect-ExchangeOnline -Credential $credential @endpoints -WarningAction SilentlyContinue } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match '^Sign-in failed \(invalid_grant\): AADSTS50126'
        $err.Exception.Message | Should -Not -Match 'renewed|silently|Wrong-Passw0rd'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'a user without an Exchange admin role signs in, but the connection is refused clearly' {
        $helpdesk = Get-TestUser $contoso helpdesk
        $credential = [pscredential]::new($helpdesk.userPrincipalName, (ConvertTo-SecureString $helpdesk.password -AsPlainText -Force))

        $err = { Connect-ExchangeOnline -Credential $credential @endpoints -WarningAction SilentlyContinue } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ConnectionRefused*'
        $err.Exception.Message | Should -Match ([regex]::Escape($helpdesk.userPrincipalName))
        $err.Exception.Message | Should -Match 'not assigned an Exchange Online administrator role'
        Assert-NoSecret ($err | Out-String) -Secrets $helpdesk.password
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }
}

Describe 'A partner''s admin (-DelegatedOrganization)' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'manages a customer tenant it has a partner relationship with' {
        $legacy = Get-TestUser $contoso legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))

        Connect-ExchangeOnline -Credential $credential -DelegatedOrganization $fabrikam.organization @endpoints -WarningAction SilentlyContinue

        $info = Get-ConnectionInformation
        $info.TenantID | Should -Be $fabrikam.tenantId
        $info.Organization | Should -Be $fabrikam.organization
        $info.UserPrincipalName | Should -Be $legacy.userPrincipalName
        (Get-EXOMailbox -ResultSize 10).PrimarySmtpAddress | Where-Object { $_ -notlike '*@fabrikam.com' } | Should -BeNullOrEmpty
    }

    It 'is refused where there is no partner relationship (AADSTS50020)' {
        $legacy = Get-TestUser $contoso legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))

        $err = { Connect-ExchangeOnline -Credential $credential -DelegatedOrganization $northwind.organization @endpoints -WarningAction SilentlyContinue } | Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'AADSTS50020'
        $err.Exception.Message | Should -Match 'does not exist in tenant'
    }
}

Describe 'A token obtained elsewhere (-AccessToken)' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'connects with a string token and -UserPrincipalName, and reports the token''s real expiry' {
        $legacy = Get-TestUser $contoso legacy
        $token = Get-UserAccessToken -Sandbox $sandbox -User $legacy

        Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $legacy.userPrincipalName @endpoints

        $info = Get-ConnectionInformation
        $info.TenantID | Should -Be $contoso.tenantId
        $info.UserPrincipalName | Should -Be $legacy.userPrincipalName
        $info.TokenStatus | Should -Be 'Active'
        $info.TokenExpiryTimeUTC | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(50))
        $info.TokenExpiryTimeUTC | Should -BeLessThan ([datetime]::UtcNow.AddMinutes(61))
        @(Get-EXOMailbox -ResultSize 2) | Should -HaveCount 2
    }

    It 'connects with a SecureString token and -Organization' {
        $token = Get-UserAccessToken -Sandbox $sandbox -User (Get-TestUser $contoso legacy)
        Connect-ExchangeOnline -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Organization $contoso.organization @endpoints
        (Get-ConnectionInformation).UserPrincipalName | Should -Be "OAuthUser@$($contoso.organization)"
        (Get-ConnectionInformation).State | Should -Be 'Connected'
    }

    It 'needs exactly one of -Organization, -DelegatedOrganization or -UserPrincipalName' {
        $token = Get-UserAccessToken -Sandbox $sandbox -User (Get-TestUser $contoso legacy)
        { Connect-ExchangeOnline -AccessToken $token @endpoints } | Should -Throw -ErrorId 'IncompleteAccessTokenSignIn*'
    }
}

Describe 'Managed identity (-ManagedIdentity)' {
    AfterEach {
        Disconnect-ExchangeOnline -Confirm:$false
        Remove-Item Env:IDENTITY_ENDPOINT, Env:IDENTITY_HEADER, Env:AZURE_POD_IDENTITY_AUTHORITY_HOST -ErrorAction SilentlyContinue
    }

    It 'signs in through the App Service / Automation endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER) as the system-assigned identity' {
        $env:IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
        $env:IDENTITY_HEADER = $sandbox.Info.managedIdentity.identityHeader

        Connect-ExchangeOnline -ManagedIdentity -Organization $contoso.organization @endpoints

        $info = Get-ConnectionInformation
        $info.TenantID | Should -Be $contoso.tenantId
        $info.TokenStatus | Should -Be 'Active'
        @(Get-EXOMailbox -ResultSize 4) | Should -HaveCount 4
    }

    It 'signs in as a user-assigned identity (-ManagedIdentityAccountId) of another tenant' {
        $env:IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
        $env:IDENTITY_HEADER = $sandbox.Info.managedIdentity.identityHeader

        Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId $fabrikam.managedIdentityClientId -Organization $fabrikam.organization @endpoints

        (Get-ConnectionInformation).TenantID | Should -Be $fabrikam.tenantId
        (Get-EXOMailbox -ResultSize 10).PrimarySmtpAddress | Where-Object { $_ -notlike '*@fabrikam.com' } | Should -BeNullOrEmpty
    }

    It 'signs in through the VM endpoint (IMDS), pointed at the sandbox with AZURE_POD_IDENTITY_AUTHORITY_HOST' {
        $env:AZURE_POD_IDENTITY_AUTHORITY_HOST = $sandbox.Info.managedIdentity.imdsEndpoint

        Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId $northwind.managedIdentityClientId -Organization $northwind.organization @endpoints

        (Get-ConnectionInformation).TenantID | Should -Be $northwind.tenantId
    }

    It 'needs -Organization' {
        { Connect-ExchangeOnline -ManagedIdentity @endpoints } | Should -Throw -ErrorId 'IncompleteManagedIdentitySignIn*'
    }

    It 'an identity the host does not have says to check -ManagedIdentityAccountId, the permission and the role' {
        $env:IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
        $env:IDENTITY_HEADER = $sandbox.Info.managedIdentity.identityHeader
        $unknown = [guid]::NewGuid().ToString()

        $err = { Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId $unknown -Organization $contoso.organization @endpoints } | Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.TargetObject | Should -Be $unknown
        $err.Exception.Message | Should -Match "Sign-in with the managed identity $unknown failed"
        $err.Exception.Message | Should -Match 'Check -ManagedIdentityAccountId: it must be the client id \(or the resource id\) of a user-assigned identity that is assigned to this'
        $err.Exception.Message | Should -Match 'Exchange\.ManageAsApp permission .* and an Exchange role'
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'outside Azure (no managed identity at all), says to turn it on and to run where there is one' {
        # A fresh process: Azure.Identity remembers for the process where it found an identity, and earlier tests found one.
        # With no identity endpoint in the environment it asks the VM endpoint (IMDS), which nothing here answers.
        $script = {
            param($ModulePath, $Organization)
            foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET', 'AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IMDS_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT') {
                Remove-Item "Env:$name" -ErrorAction SilentlyContinue
            }
            Import-Module $ModulePath
            try { Connect-ExchangeOnline -ManagedIdentity -Organization $Organization -ShowBanner:$false; 'CONNECTED' }
            catch { "CATEGORY $($_.CategoryInfo.Category)"; "MESSAGE $($_.Exception.Message)" }
        }
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script -args $env:EXOADMIN_MODULE_PATH, $contoso.organization
        $text = $output -join "`n"

        $text | Should -Match 'CATEGORY AuthenticationError'
        $text | Should -Match 'Sign-in with the system-assigned managed identity failed'
        $text | Should -Match 'has its system-assigned managed identity turned on .* a computer outside Azure has none'
        $text | Should -Match 'Exchange\.ManageAsApp permission .* and an Exchange role'
    }
}

Describe 'Certificates' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'connects with -CertificateThumbprint from the CurrentUser\My store' {
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($contoso.certificatePath, $contoso.certificatePassword,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable -bor [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::PersistKeySet)
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser')
        $store.Open('ReadWrite')
        $store.Add($certificate)
        try {
            Connect-ExchangeOnline -AppId $contoso.appId -Organization $contoso.organization -CertificateThumbprint $certificate.Thumbprint @endpoints
            (Get-ConnectionInformation).CertificateAuthentication | Should -BeTrue
            @(Get-EXOMailbox -ResultSize 1) | Should -HaveCount 1
        }
        finally {
            $store.Remove($certificate)
            $store.Dispose()
        }
    }

    It 'a thumbprint that is not in the store is a clear ObjectNotFound error' {
        $err = { Connect-ExchangeOnline -AppId $contoso.appId -Organization $contoso.organization -CertificateThumbprint ('AB' * 20) @endpoints } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'CertificateNotFound*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a certificate not registered for the app is refused by the sign-in service (AADSTS700027)' {
        # Fabrikam's certificate presented for Contoso's app: a real certificate, just not that app's.
        $password = ConvertTo-SecureString $fabrikam.certificatePassword -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId $contoso.appId -Organization $contoso.organization -CertificateFilePath $fabrikam.certificatePath -CertificatePassword $password @endpoints } |
            Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'AADSTS700027'
        Assert-NoSecret ($err | Out-String) -Secrets $fabrikam.certificatePassword
    }

    It 'an unknown tenant is AADSTS90002' {
        $password = ConvertTo-SecureString $contoso.certificatePassword -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId $contoso.appId -Organization 'nosuchtenant.onmicrosoft.com' -CertificateFilePath $contoso.certificatePath -CertificatePassword $password @endpoints } |
            Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match "AADSTS90002: Tenant 'nosuchtenant.onmicrosoft.com' not found"
    }
}

Describe 'Conflicting sign-in parameters' {
    It 'refuses <Name> with an error naming both' -TestCases @(
        @{ Name = 'a certificate with -Device'; Extra = @{ Device = $true }; Pattern = 'a certificate and -Device' }
        @{ Name = 'a certificate with -ManagedIdentity'; Extra = @{ ManagedIdentity = $true }; Pattern = 'a certificate and -ManagedIdentity' }
        @{ Name = 'a certificate with -AccessToken'; Extra = @{ AccessToken = 'a.b.c' }; Pattern = 'a certificate and -AccessToken' }
    ) {
        param($Name, $Extra, $Pattern)
        $password = ConvertTo-SecureString $contoso.certificatePassword -AsPlainText -Force
        $err = { Connect-ExchangeOnline -AppId $contoso.appId -Organization $contoso.organization -CertificateFilePath $contoso.certificatePath -CertificatePassword $password @endpoints @Extra } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ConflictingSignInParameters*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match $Pattern
    }

    It 'refuses two certificate sources' {
        $password = ConvertTo-SecureString $contoso.certificatePassword -AsPlainText -Force
        { Connect-ExchangeOnline -AppId $contoso.appId -Organization $contoso.organization -CertificateFilePath $contoso.certificatePath -CertificatePassword $password -CertificateThumbprint ('AB' * 20) @endpoints } |
            Should -Throw -ErrorId 'ConflictingSignInParameters*'
    }

    It 'refuses -Credential with -Device' {
        $credential = [pscredential]::new('x@contoso.onmicrosoft.com', (ConvertTo-SecureString 'x' -AsPlainText -Force))
        { Connect-ExchangeOnline -Credential $credential -Device @endpoints -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'ConflictingSignInParameters*'
    }

    It '-ExchangeEnvironmentName refuses a cloud it does not know, naming the ones it knows (the hosts of each cloud are unit-tested)' {
        $err = { Connect-ExchangeOnline -ExchangeEnvironmentName 'O365Mars' -Device } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage*' -PassThru
        $err.Exception.Message | Should -Match 'O365Default, O365USGovGCCHigh, O365USGovDoD, O365China, O365GermanyCloud'
    }
}
