# The rehearsal sandbox as an admin uses it: seeded from a real tenant's export, and started from the
# installed module's script, whose printed line connects without any secret on screen.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:source = Start-TestSandbox -Mailboxes 40
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $source | Stop-ExoSandbox
}

Describe 'A sandbox seeded from Get-EXOMailbox -PropertySets All | ConvertTo-Json' {
    BeforeAll {
        Connect-TestTenant -Sandbox $source
        $script:exported = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets All)
        $script:seedFile = Join-Path $TestDrive 'mailboxes.json'
        $exported | ConvertTo-Json -Depth 5 | Set-Content -Path $seedFile
        Disconnect-ExchangeOnline -Confirm:$false

        $script:rehearsal = Start-TestSandbox -Tenant 'northwind.onmicrosoft.com' -ExtraArguments '--seed-file', $seedFile
        Connect-TestTenant -Sandbox $rehearsal
        $script:seeded = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets All)
    }

    AfterAll {
        Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
        $rehearsal | Stop-ExoSandbox
    }

    It 'serves every exported mailbox, in order, with the facts it was exported with' {
        $rehearsal.Tenants[0].mailboxCount | Should -Be 40
        $seeded | Should -HaveCount 40
        for ($i = 0; $i -lt 40; $i++) {
            $e = $exported[$i]
            $s = $seeded[$i]
            foreach ($p in 'Guid', 'ExchangeGuid', 'ExternalDirectoryObjectId', 'Alias', 'DisplayName', 'PrimarySmtpAddress', 'RecipientTypeDetails',
                'ArchiveStatus', 'ArchiveGuid', 'AutoExpandingArchiveEnabled', 'LitigationHoldEnabled', 'HiddenFromAddressListsEnabled', 'Office',
                'UsageLocation', 'Database', 'WhenCreatedUTC', 'ResourceCapacity') {
                $s.$p | Should -Be $e.$p -Because "$p of $($e.Alias)"
            }
            @($s.EmailAddresses) | Should -Be @($e.EmailAddresses)
        }
    }

    It 'resolves the exported identities' {
        (Get-EXOMailbox -Identity $exported[1].PrimarySmtpAddress).Guid | Should -Be $exported[1].Guid
    }
}

Describe 'Start-ExoAdminSandbox.ps1 from the module folder' {
    BeforeAll {
        $moduleBase = Split-Path $env:EXOADMIN_MODULE_PATH
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $moduleBase 'sandbox/Start-ExoAdminSandbox.ps1'),
                '-Mailboxes', '25', '-CaDirectory', $env:EXOADMIN_SANDBOX_CA_DIR)) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $script:process = [System.Diagnostics.Process]::Start($start)
        $script:printed = [System.Collections.Generic.List[string]]::new()
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while ([datetime]::UtcNow -lt $deadline) {
            $line = $process.StandardOutput.ReadLine()
            if ($null -eq $line) { break }
            $printed.Add($line)
            if ($line -like 'Press Enter*') { break }
        }
        $script:connectLine = ($printed | Where-Object { $_ -match '^\s+Connect-ExchangeOnline ' } | Select-Object -First 1).Trim()
        $script:pfx = [regex]::Match($connectLine, "-CertificateFilePath '([^']+)'").Groups[1].Value
    }

    AfterAll {
        if (-not $process.HasExited) { $process.Kill($true) }
    }

    It 'prints how to trust the CA and a connect line with no password or secret' {
        ($printed -join "`n") | Should -Match ([regex]::Escape("SSL_CERT_FILE = '$(Join-Path $env:EXOADMIN_SANDBOX_CA_DIR 'ca.pem')'"))
        $connectLine | Should -Match '^Connect-ExchangeOnline -AppId [0-9a-f-]{36} -Organization contoso\.onmicrosoft\.com -CertificateFilePath '
        ($printed -join "`n") | Should -Not -Match 'CertificatePassword|password|\.txt'
        Get-ChildItem -Path (Split-Path $pfx) -Filter '*.txt' | Should -BeNullOrEmpty
    }

    It 'keeps the certificate where only its owner can read it' {
        $pfx | Should -Exist
        [System.IO.File]::GetUnixFileMode($pfx) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        [System.IO.File]::GetUnixFileMode((Split-Path $pfx)) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }

    It 'the pasted line connects, and Enter stops the sandbox and removes the certificate' {
        Invoke-Expression "$connectLine -ShowBanner:`$false"
        @(Get-EXOMailbox -ResultSize Unlimited) | Should -HaveCount 25
        Disconnect-ExchangeOnline -Confirm:$false

        $process.StandardInput.WriteLine()
        $process.WaitForExit(20000) | Should -BeTrue
        $process.ExitCode | Should -Be 0
        Split-Path $pfx | Should -Not -Exist
    }
}
