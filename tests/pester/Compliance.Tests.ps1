# Connect-IPPSSession: its own resource, the regional redirect discovery (§15), and its own connection
# next to an Exchange one, and the compliance cmdlets that run through it.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 5
    $script:tenant = $sandbox.Tenants[0]
    $script:compliance = $sandbox.Info.complianceConnectionUri
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Connect-IPPSSession' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'signs in app-only, follows the regional redirect, and reports a connected compliance session' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $verbose = Connect-IPPSSession -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -Verbose 4>&1

        $info = Get-ConnectionInformation
        $info | Should -HaveCount 1
        $info.IsEopSession | Should -BeTrue
        $info.State | Should -Be 'Connected'
        $info.TenantID | Should -Be $tenant.tenantId
        # The regional host the discovery redirect named, not the endpoint it was given.
        $info.ConnectionUri | Should -Not -Be $compliance
        $info.ConnectionUri | Should -Match '^https://127\.0\.0\.1:\d+$'
        "$verbose" | Should -Match ([regex]::Escape("is served at $($info.ConnectionUri)"))
    }

    It 'keeps its own connection next to an Exchange one, and Exchange cmdlets keep using the Exchange connection' {
        Connect-TestTenant -Sandbox $sandbox
        $legacy = Get-TestUser $tenant legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))
        Connect-IPPSSession -Credential $credential -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -WarningAction SilentlyContinue

        $connections = @(Get-ConnectionInformation)
        $connections | Should -HaveCount 2
        ($connections | Where-Object IsEopSession).UserPrincipalName | Should -Be $legacy.userPrincipalName
        ($connections | Where-Object { -not $_.IsEopSession }).CertificateAuthentication | Should -BeTrue
        $connections.State | Should -Be @('Connected', 'Connected')
        @(Get-EXOMailbox -ResultSize 5) | Should -HaveCount 5
    }

    It 'signs in with a managed identity, and with a token issued for the compliance resource' {
        $env:IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
        $env:IDENTITY_HEADER = $sandbox.Info.managedIdentity.identityHeader
        try {
            Connect-IPPSSession -ManagedIdentity -Organization $tenant.organization -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri
            (Get-ConnectionInformation).State | Should -Be 'Connected'
        }
        finally { Remove-Item Env:IDENTITY_ENDPOINT, Env:IDENTITY_HEADER }
        Disconnect-ExchangeOnline -Confirm:$false

        $legacy = Get-TestUser $tenant legacy
        $token = Get-UserAccessToken -Sandbox $sandbox -User $legacy -Resource $compliance
        Connect-IPPSSession -AccessToken $token -UserPrincipalName $legacy.userPrincipalName -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri
        (Get-ConnectionInformation).IsEopSession | Should -BeTrue
        (Get-ConnectionInformation).State | Should -Be 'Connected'
        Disconnect-ExchangeOnline -Confirm:$false

        # ...and that compliance token does not open Exchange Online.
        { Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $legacy.userPrincipalName -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false } |
            Should -Throw -ErrorId 'ConnectionRefused*'
    }

    It 'an Exchange token does not open Security & Compliance: each service has its own audience' {
        $token = Get-UserAccessToken -Sandbox $sandbox -User (Get-TestUser $tenant legacy)   # audience: the Exchange endpoint
        $err = { Connect-IPPSSession -AccessToken $token -Organization $tenant.organization -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri } |
            Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'audience'
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }
}

Describe 'Get-RetentionCompliancePolicy' {
    BeforeAll {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        Connect-TestTenant -Sandbox $sandbox
        Connect-IPPSSession -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri
    }
    AfterAll { Disconnect-ExchangeOnline -Confirm:$false }

    It 'lists the tenant''s retention policies through the compliance connection, with an Exchange connection open beside it' {
        $policies = @(Get-RetentionCompliancePolicy -Verbose 4>&1)
        $requests = @($policies | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $policies = @($policies | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $policies.Name | Should -Be @('Default Mailbox Retention', 'Finance Records', 'Teams Chat 1 Year')
        $policies[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Microsoft.Office.CompliancePolicy.Tasks.PsRetentionCompliancePolicy'
        $policies[0].Enabled | Should -BeTrue
        "$requests" | Should -Match 'POST /adminapi/beta/[^/]+/InvokeCommand 200'
    }

    It 'finds one policy by name, and -ExcludeTeamsPolicy leaves the Teams one out' {
        (Get-RetentionCompliancePolicy -Identity 'Finance Records').Workload | Should -Be 'Exchange, SharePoint, OneDriveForBusiness'
        (Get-RetentionCompliancePolicy -ExcludeTeamsPolicy).Name | Should -Not -Contain 'Teams Chat 1 Year'
    }

    It 'a policy that does not exist is a non-terminating ObjectNotFound error' {
        Get-RetentionCompliancePolicy -Identity 'No Such Policy' -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -HaveCount 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'without Connect-IPPSSession it says which connection is missing' {
        $ipps = Get-ConnectionInformation | Where-Object IsEopSession
        Disconnect-ExchangeOnline -ConnectionId $ipps.ConnectionId -Confirm:$false

        # The Exchange connection is still there, but a compliance cmdlet never falls back to it.
        @(Get-ConnectionInformation) | Should -HaveCount 1
        { Get-RetentionCompliancePolicy -ErrorAction Stop } | Should -Throw -ExpectedMessage '*Connect-IPPSSession*'
    }
}
