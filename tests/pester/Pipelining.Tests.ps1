# Pipelined per-identity cmdlets run several items at once (Connect-ExchangeOnline -MaxConcurrency), but what the
# pipeline shows must be the sequential run: the same objects and per-item errors, in the same order. Changes keep
# ShouldProcess (-WhatIf sends nothing) and, under -ErrorAction Stop, never apply an item after a failed one.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Latency makes items overlap, so later ones often finish first.
    $script:sandbox = Start-TestSandbox -Mailboxes 40 -LatencyMs 15
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox
    $script:organization = $sandbox.Tenants[0].organization
    $script:upns = @((Get-EXOMailbox -ResultSize 24).UserPrincipalName)
    # An unknown identity in the middle, whose error must keep its place.
    $script:identities = [Collections.Generic.List[string]]$upns
    $identities.Insert(11, "nobody@$organization")

    function ConvertTo-Line($record) {
        # The service's error id carries its request id and time ([Server=…,RequestId=…,TimeStamp=…]), which differ between runs.
        if ($record -is [System.Management.Automation.ErrorRecord]) { "error $($record.FullyQualifiedErrorId -replace '\[Server=[^\]]*\]') [$($record.TargetObject)]" }
        else { "object $($record.DisplayName)" }
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Pipelined Get-EXOMailboxStatistics' {
    It 'writes objects and the error of an unknown identity in the order of the sequential run' {
        $sequential = foreach ($identity in $identities) { Get-EXOMailboxStatistics -Identity $identity -ErrorAction Continue 2>&1 | ForEach-Object { ConvertTo-Line $_ } }
        $pipelined = $identities | Get-EXOMailboxStatistics -ErrorAction Continue 2>&1 | ForEach-Object { ConvertTo-Line $_ }

        $pipelined | Should -HaveCount 25
        @($pipelined | Where-Object { $_ -like 'error*' }) | Should -HaveCount 1
        $pipelined[11] | Should -Match "^error .*\[nobody@$([regex]::Escape($organization))\]$"
        ($pipelined -join "`n") | Should -BeExactly ($sequential -join "`n")
    }

    It 'writes each item''s verbose line with its own output, in input order' {
        $records = $upns[0..9] | Get-EXOMailboxStatistics -Verbose 4>&1
        # Each item: its request's verbose line, then its object; never two requests' lines in a row.
        $kinds = ($records | ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { 'v' } else { 'o' } }) -join ''
        $kinds | Should -BeExactly ('vo' * 10)
        $names = @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] } | ForEach-Object DisplayName)
        $expected = @($upns[0..9] | ForEach-Object { (Get-EXOMailboxStatistics -Identity $_).DisplayName })
        $names | Should -Be $expected
    }

    It 'stops cleanly at Select-Object -First' {
        $first = @(Get-EXOMailbox -ResultSize 30 | Get-EXOMailboxStatistics | Select-Object -First 3)
        $first | Should -HaveCount 3
        $first[0].DisplayName | Should -Be (Get-EXOMailboxStatistics -Identity $upns[0]).DisplayName
    }
}

Describe 'Pipelined classic cmdlets' {
    It 'Get-Mailbox writes objects and errors in input order' {
        $sequential = foreach ($identity in $identities) { Get-Mailbox -Identity $identity -ErrorAction Continue 2>&1 | ForEach-Object { ConvertTo-Line $_ } }
        $pipelined = $identities | Get-Mailbox -ErrorAction Continue 2>&1 | ForEach-Object { ConvertTo-Line $_ }

        $pipelined[11] | Should -Match '^error .*ManagementObjectNotFound'
        ($pipelined -join "`n") | Should -BeExactly ($sequential -join "`n")
    }

    It 'Set-Mailbox applies every item, and reports the unknown ones in input order' {
        $changed = [Collections.Generic.List[string]]$upns[0..7]
        $changed.Insert(3, "first-nobody@$organization")
        $changed.Add("last-nobody@$organization")

        $changed | Set-Mailbox -ForwardingSmtpAddress 'pipelined@example.com' -ErrorAction SilentlyContinue -ErrorVariable failed 2>$null

        @($failed | ForEach-Object TargetObject) | Should -Be @("first-nobody@$organization", "last-nobody@$organization")
        $upns[0..7] | ForEach-Object { (Get-Mailbox -Identity $_).ForwardingSmtpAddress | Should -Match 'pipelined@example.com' }
    }

    It 'Set-Mailbox -WhatIf changes nothing' {
        $before = @($upns[8..15] | ForEach-Object { (Get-EXOMailbox -Identity $_ -Properties HiddenFromAddressListsEnabled).HiddenFromAddressListsEnabled })

        $upns[8..15] | Set-Mailbox -HiddenFromAddressListsEnabled (-not $before[0]) -WhatIf

        $after = @($upns[8..15] | ForEach-Object { (Get-EXOMailbox -Identity $_ -Properties HiddenFromAddressListsEnabled).HiddenFromAddressListsEnabled })
        $after | Should -Be $before
    }

    It 'Set-Mailbox -ErrorAction Stop applies nothing after the item that failed' {
        $batch = @($upns[16], "nobody@$organization", $upns[17], $upns[18])

        { $batch | Set-Mailbox -ForwardingSmtpAddress 'stopped@example.com' -ErrorAction Stop } | Should -Throw

        (Get-Mailbox -Identity $upns[16]).ForwardingSmtpAddress | Should -Match 'stopped@example.com'
        (Get-Mailbox -Identity $upns[17]).ForwardingSmtpAddress | Should -Not -Match 'stopped@example.com'
        (Get-Mailbox -Identity $upns[18]).ForwardingSmtpAddress | Should -Not -Match 'stopped@example.com'
    }
}
