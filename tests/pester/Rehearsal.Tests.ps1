# The rehearsal sandbox as an admin uses it: seeded from a real tenant's export.
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

# Start-ExoAdminSandbox.ps1 (its printed lines, run as pasted) is SandboxConnectLines.Tests.ps1.
