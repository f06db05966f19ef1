# The MSP batching pattern (examples/msp): tenants split into batches, each batch a process of its own working through
# its tenants in parallel runspaces, every tenant's result collected in one place; run locally against several sandbox
# tenants, one of which cannot sign in.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:domains = 'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'northwind.onmicrosoft.com', 'tailspin.onmicrosoft.com', 'adatum.onmicrosoft.com'
    $script:sandbox = Start-TestSandbox -Tenant $domains -Mailboxes 9
    $script:scripts = Join-Path $PSScriptRoot '../../examples/msp'

    # As an MSP keeps them: a certificate file per tenant without a password, readable only by the account that runs
    # the batches (here the test drive), and a tenant list with no secret in it.
    $script:tenants = foreach ($t in $sandbox.Tenants) {
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($t.certificatePath, $t.certificatePassword,
            [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
        $path = Join-Path $TestDrive "$($t.organization).pfx"
        [System.IO.File]::WriteAllBytes($path, $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12))
        [pscustomobject]@{ Organization = $t.organization; AppId = $t.appId; CertificatePath = $path
            ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri }
    }
    # A sixth tenant whose app was never consented: its sign-in fails, and only its result says so.
    $script:tenants += [pscustomobject]@{ Organization = $sandbox.Tenants[0].organization; AppId = [guid]::NewGuid().ToString()
        CertificatePath = $tenants[0].CertificatePath; ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri }

    $script:results = Join-Path $TestDrive 'results'
    $script:output = @(& (Join-Path $scripts 'Start-TenantBatches.ps1') -Tenant $tenants -BatchSize 2 -ThrottleLimit 2 -MaxBatches 3 `
            -ResultFolder $results -ModulePath $env:EXOADMIN_MODULE_PATH)
}

AfterAll { $sandbox | Stop-ExoSandbox }

Describe 'Start-TenantBatches.ps1 -Engine Local over six tenants in batches of two' {
    It 'returns one result per tenant, from all three batches' {
        $output | Should -HaveCount 6
        @($output.Batch | Sort-Object -Unique) | Should -HaveCount 3
        ($output | Group-Object Batch | ForEach-Object Count) | Should -Be @(2, 2, 2)
    }

    It 'reports each tenant''s mailboxes by type, as the sandbox seeded them' {
        foreach ($domain in $domains) {
            $row = @($output | Where-Object { $_.Tenant -eq $domain -and $_.Status -eq 'Succeeded' })
            $row | Should -HaveCount 1 -Because "$domain signs in with its own app"
            $seed = Get-SeededMailboxes -Tenant $domain -Mailboxes 9 -Sandbox $sandbox
            $row[0].Mailboxes | Should -Be 9
            $row[0].UserMailboxes | Should -Be @($seed | Where-Object RecipientTypeDetails -EQ 'UserMailbox').Count
            $row[0].SharedMailboxes | Should -Be @($seed | Where-Object RecipientTypeDetails -EQ 'SharedMailbox').Count
            $row[0].RoomMailboxes | Should -Be @($seed | Where-Object RecipientTypeDetails -EQ 'RoomMailbox').Count
        }
    }

    It 'lets one tenant fail without stopping its batch or the others' {
        $failed = @($output | Where-Object Status -EQ 'Failed')
        $failed | Should -HaveCount 1
        $failed[0].Error | Should -Match 'AADSTS700016'
        $partner = $output | Where-Object { $_.Batch -eq $failed[0].Batch -and $_.Status -eq 'Succeeded' }
        @($partner) | Should -HaveCount 1 -Because 'the other tenant of the failing tenant''s batch still ran'
    }

    It 'runs each batch in a process of its own, and the tenants of a batch in that process' {
        foreach ($batch in $output | Group-Object Batch) { @($batch.Group.Worker | Sort-Object -Unique) | Should -HaveCount 1 }
        @($output.Worker | Sort-Object -Unique) | Should -HaveCount 3
        $output.Worker | Should -Not -Contain $PID
    }

    It 'collects every batch''s results in one place, with no secret in them' {
        $files = @(Get-ChildItem $results -Filter '*.json')
        $files | Should -HaveCount 3
        $collected = @($files | ForEach-Object { Get-Content -Raw $_.FullName | ConvertFrom-Json } | ForEach-Object { $_ })
        $collected | Should -HaveCount 6
        $text = ($files | ForEach-Object { Get-Content -Raw $_.FullName }) -join "`n"
        $text | Should -Not -Match 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.'
        foreach ($t in $sandbox.Tenants) { $text | Should -Not -Match ([regex]::Escape($t.certificatePassword)) }
    }

    It 'runs a report of the caller''s own for each tenant' {
        $report = Join-Path $TestDrive 'shared.ps1'
        Set-Content $report -Value '@(Get-EXOMailbox -RecipientTypeDetails SharedMailbox -ResultSize Unlimited) | Select-Object PrimarySmtpAddress'
        $shared = @(& (Join-Path $scripts 'Start-TenantBatches.ps1') -Tenant $tenants[0..1] -BatchSize 1 -ResultFolder (Join-Path $TestDrive 'own') `
                -ReportScript $report -ModulePath $env:EXOADMIN_MODULE_PATH)
        $expected = foreach ($domain in $domains[0..1]) { Get-SeededMailboxes -Tenant $domain -Mailboxes 9 -Sandbox $sandbox | Where-Object RecipientTypeDetails -EQ 'SharedMailbox' | ForEach-Object PrimarySmtpAddress }
        @($shared.PrimarySmtpAddress | Sort-Object) | Should -Be @($expected | Sort-Object)
        $shared | ForEach-Object { $_.Status | Should -Be 'Succeeded'; $_.Tenant | Should -BeIn $domains }
    }
}
