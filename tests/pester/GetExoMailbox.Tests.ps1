BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:count = 2500
    $script:sandbox = Start-TestSandbox -Mailboxes $count
    $script:tenant = $sandbox.Tenants[0]
    $script:seed = Get-SeededMailboxes -Tenant $tenant.organization -Mailboxes $count -Sandbox $sandbox
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -PageSize 1000
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Get-EXOMailbox lists the tenant' {
    It 'returns all 2,500 mailboxes once each, with the seeded values' {
        $mailboxes = @(Get-EXOMailbox -ResultSize Unlimited)

        $mailboxes | Should -HaveCount $count
        @($mailboxes.Guid | Sort-Object -Unique) | Should -HaveCount $count
        $expected = @{}
        foreach ($m in $seed) { $expected[[string]$m.Guid] = $m }
        # Every mailbox compared with the seed, then one assertion that lists every difference: the same checks as a
        # Should per value (exact text; the addresses in order, as -Be compares them), without 15,000 Should calls,
        # which took most of this file's minute and a half.
        $differences = foreach ($m in $mailboxes) {
            $e = $expected[[string]$m.Guid]
            if (-not $e) { "$($m.Guid): not a seeded mailbox"; continue }
            foreach ($name in 'DisplayName', 'PrimarySmtpAddress', 'UserPrincipalName', 'RecipientTypeDetails') {
                if ($m.$name -cne $e.$name) { "$($m.Guid) $name`: '$($m.$name)', seeded '$($e.$name)'" }
            }
            $addresses, $seeded = @($m.EmailAddresses), @($e.EmailAddresses)
            $same = $addresses.Count -eq $seeded.Count
            for ($i = 0; $same -and $i -lt $addresses.Count; $i++) { $same = $addresses[$i] -eq $seeded[$i] }
            if (-not $same) {
                "$($m.Guid) EmailAddresses: '$($addresses -join "', '")', seeded '$($seeded -join "', '")'"
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'returns typed values: a Guid, a string array of addresses' {
        $mailbox = Get-EXOMailbox -ResultSize 1

        $mailbox.Guid | Should -BeOfType [guid]
        , $mailbox.EmailAddresses | Should -BeOfType [string[]]
        $mailbox.PSObject.TypeNames[0] | Should -Be 'ExoAdmin.Mailbox'
    }

    It 'returns the Minimum property set by default and more on request' {
        $minimum = Get-EXOMailbox -ResultSize 1
        $minimum.PSObject.Properties.Name | Should -Contain 'PrimarySmtpAddress'
        $minimum.PSObject.Properties.Name | Should -Not -Contain 'ArchiveStatus'

        $archive = Get-EXOMailbox -ResultSize 1 -PropertySets Archive -Properties WhenCreated
        $archive.PSObject.Properties.Name | Should -Contain 'ArchiveStatus'
        $archive.WhenCreated | Should -BeOfType [datetime]
    }

    It 'stops at the default ResultSize of 1000, without a warning as Microsoft''s Get-EXOMailbox' {
        $mailboxes = @(Get-EXOMailbox -WarningVariable warnings -Verbose 4>$null)

        $mailboxes | Should -HaveCount 1000
        $warnings | Should -BeNullOrEmpty
    }

    It 'filters by RecipientTypeDetails on the server' {
        $shared = @(Get-EXOMailbox -ResultSize Unlimited -RecipientTypeDetails SharedMailbox)
        $expected = @($seed | Where-Object RecipientTypeDetails -EQ 'SharedMailbox')

        $shared.Count | Should -BeGreaterThan 0
        $shared | Should -HaveCount $expected.Count
        $shared.RecipientTypeDetails | Sort-Object -Unique | Should -Be 'SharedMailbox'
    }

    It 'refuses unknown properties before sending anything' {
        $err = { Get-EXOMailbox -Properties DisplayName, NoSuchProperty } | Should -Throw -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'NoSuchProperty'
    }

    It 'refuses a ResultSize of 0' {
        { Get-EXOMailbox -ResultSize 0 } | Should -Throw
    }
}

Describe 'Get-EXOMailbox by identity' {
    BeforeAll {
        $script:alex = $seed | Where-Object Alias -EQ 'alex'
    }

    It 'finds <Parameter>' -ForEach @(
        @{ Parameter = 'Identity'; Value = { 'alex' } }
        @{ Parameter = 'UserPrincipalName'; Value = { $alex.UserPrincipalName } }
        @{ Parameter = 'PrimarySmtpAddress'; Value = { $alex.PrimarySmtpAddress } }
        @{ Parameter = 'ExternalDirectoryObjectId'; Value = { $alex.ExternalDirectoryObjectId } }
    ) {
        $arguments = @{ $Parameter = (& $Value) }
        $mailbox = Get-EXOMailbox @arguments

        $mailbox.Guid | Should -Be ([guid]$alex.Guid)
        $mailbox.DisplayName | Should -Be 'Alex Wilber'
    }

    It 'takes identities from the pipeline, one request each, in order' {
        $names = 'alex', 'sales', 'admin'
        $found = @($names | Get-EXOMailbox)

        $found.Alias | Should -Be $names
    }

    It 'a missing mailbox is a non-terminating ObjectNotFound error naming it, and the pipeline goes on' {
        $found = @('alex', 'nobody-here', 'sales' | Get-EXOMailbox -ErrorVariable failures -ErrorAction SilentlyContinue)

        $found.Alias | Should -Be @('alex', 'sales')
        $failures | Should -HaveCount 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'nobody-here'
        $failures[0].Exception.Message | Should -Match 'nobody-here'
    }

    It 'with -ErrorAction Stop a missing mailbox stops the script' {
        { Get-EXOMailbox -Identity 'nobody-here' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*nobody-here*'
    }
}

Describe 'Stopping a long read' {
    It 'StopProcessing (Ctrl+C) ends the read within a second' {
        $slow = Start-TestSandbox -Mailboxes 3000 -LatencyMs 300
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($ModulePath, $Sandbox, $Tenant)
                    Import-Module $ModulePath
                    $password = ConvertTo-SecureString $Tenant.certificatePassword -AsPlainText -Force
                    Connect-ExchangeOnline -AppId $Tenant.appId -Organization $Tenant.organization -CertificateFilePath $Tenant.certificatePath `
                        -CertificatePassword $password -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri -ShowBanner:$false -PageSize 10
                    Get-EXOMailbox -ResultSize Unlimited
                }).AddArgument($env:EXOADMIN_MODULE_PATH).AddArgument($slow).AddArgument($slow.Tenants[0])
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ($output.Count -lt 15 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $output.Count | Should -BeGreaterOrEqual 15

            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $output.Count | Should -BeLessThan 3000
        }
        finally {
            if ($ps) { $ps.Dispose() }
            $slow | Stop-ExoSandbox
        }
    }
}
