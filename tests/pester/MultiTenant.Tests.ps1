BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Tenant 'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com' -Mailboxes 150
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -Tenant $sandbox.Tenants[0] -Prefix Contoso
    Connect-TestTenant -Sandbox $sandbox -Tenant $sandbox.Tenants[1] -Prefix Fabrikam
    $script:connections = @{}
    foreach ($c in Get-ConnectionInformation) { $connections[$c.ModulePrefix] = $c }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Two tenants at once, one prefix each' {
    It 'holds two connections, one per prefix, each to its own tenant' {
        $connections.Keys | Sort-Object | Should -Be @('Contoso', 'Fabrikam')
        $connections['Contoso'].TenantID | Should -Be $sandbox.Tenants[0].tenantId
        $connections['Fabrikam'].TenantID | Should -Be $sandbox.Tenants[1].tenantId
        $connections['Contoso'].State | Should -Be 'Connected'
        $connections['Fabrikam'].State | Should -Be 'Connected'
    }

    It 'each connection returns its own tenant''s mailboxes and nothing else' {
        $contoso = @(Get-EXOMailbox -ResultSize Unlimited -ConnectionId $connections['Contoso'].ConnectionId)
        $fabrikam = @(Get-EXOMailbox -ResultSize Unlimited -ConnectionId $connections['Fabrikam'].ConnectionId)

        $contoso | Should -HaveCount 150
        $fabrikam | Should -HaveCount 150
        $contoso.PrimarySmtpAddress | Where-Object { $_ -notlike '*@contoso.com' } | Should -BeNullOrEmpty
        $fabrikam.PrimarySmtpAddress | Where-Object { $_ -notlike '*@fabrikam.com' } | Should -BeNullOrEmpty
        $contoso.Guid | Where-Object { $_ -in $fabrikam.Guid } | Should -BeNullOrEmpty
    }

    It '-ModulePrefix names the connection by its prefix' {
        $fabrikam = @(Get-EXOMailbox -ResultSize 20 -ModulePrefix Fabrikam)
        $fabrikam | Should -HaveCount 20
        $fabrikam.PrimarySmtpAddress | Where-Object { $_ -notlike '*@fabrikam.com' } | Should -BeNullOrEmpty

        { Get-EXOMailbox -ResultSize 1 -ModulePrefix Northwind } | Should -Throw -ErrorId 'NotConnected*'
        { Get-EXOMailbox -ResultSize 1 -ModulePrefix Contoso -ConnectionId $connections['Contoso'].ConnectionId } | Should -Throw -ErrorId 'ConflictingConnectionChoice*'
    }

    It 'an unprefixed call does not guess between the prefixed connections' {
        $err = { Get-EXOMailbox -ResultSize 1 } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'AmbiguousConnection*'
        $err.Exception.Message | Should -Match 'Contoso, Fabrikam'
    }

    It 'connections in another runspace are not visible here, nor ours there' {
        $other = Start-ThreadJob -ScriptBlock {
            Import-Module $using:env:EXOADMIN_MODULE_PATH
            @(Get-ConnectionInformation).Count
        } | Receive-Job -Wait -AutoRemoveJob

        $other | Should -Be 0
        @(Get-ConnectionInformation) | Should -HaveCount 2
    }
}

Describe 'Twenty tenants in parallel runspaces' {
    BeforeAll {
        $names = 1..20 | ForEach-Object { 'tenant{0:00}.onmicrosoft.com' -f $_ }
        $script:many = Start-TestSandbox -Tenant $names -Mailboxes 25
    }
    AfterAll { $many | Stop-ExoSandbox }

    It 'ForEach-Object -Parallel: each runspace connects with its own certificate and gets its own tenant''s mailboxes, nothing else' {
        $results = $many.Tenants | ForEach-Object -ThrottleLimit 20 -Parallel {
            $t = $_
            Import-Module $using:env:EXOADMIN_MODULE_PATH
            $password = ConvertTo-SecureString $t.certificatePassword -AsPlainText -Force
            Connect-ExchangeOnline -AppId $t.appId -Organization $t.organization -CertificateFilePath $t.certificatePath -CertificatePassword $password `
                -ConnectionUri ($using:many).ConnectionUri -AzureADAuthorizationEndpointUri ($using:many).AuthorityUri -ShowBanner:$false
            $mailboxes = @(Get-EXOMailbox -ResultSize Unlimited)
            [pscustomobject]@{
                Organization = $t.organization
                TenantId     = (Get-ConnectionInformation).TenantID
                Connections  = @(Get-ConnectionInformation).Count
                Addresses    = $mailboxes.PrimarySmtpAddress
                Guids        = $mailboxes.Guid
            }
            Disconnect-ExchangeOnline -Confirm:$false
        }

        $results | Should -HaveCount 20
        foreach ($result in $results) {
            $expected = $many.Tenants | Where-Object organization -eq $result.Organization
            $result.TenantId | Should -Be $expected.tenantId
            $result.Connections | Should -Be 1
            $result.Addresses | Should -HaveCount 25
            $domain = '@' + ($result.Organization -replace '\.onmicrosoft\.com$', '.com')
            $result.Addresses | Where-Object { -not $_.EndsWith($domain) } | Should -BeNullOrEmpty
        }
        # No mailbox appears under two tenants.
        @($results.Guids | Sort-Object -Unique) | Should -HaveCount 500
        @(Get-ConnectionInformation) | Should -HaveCount 2   # this runspace's own two, untouched
    }
}
