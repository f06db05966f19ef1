# Issue 13 finding 8: requests in flight grow from 2 while answers are clean, never past -MaxConcurrency, halve when the
# tenant's budget runs low; one limit per connection, shared by every cmdlet of it; each change a -Verbose line.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Latency, so requests overlap; its own sandbox, as the test sets the tenant's request budget.
    $script:sandbox = Start-TestSandbox -Mailboxes 30 -LatencyMs 20
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin

    # The limit's changes a command reported in -Verbose, as 'from → to'.
    function script:Get-LimitChange([scriptblock] $Command) {
        @(& $Command 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
                Where-Object { $_ -like 'Requests in flight on this connection: *' } |
                ForEach-Object { if ($_ -match ': (\d+) → (\d+) \(') { "$($Matches[1]) → $($Matches[2])" } })
    }

    # The connect and the first read are the connection's first answers: their changes count from its start.
    $script:startChanges = Get-LimitChange {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
            -CertificatePassword $password -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri `
            -ShowBanner:$false -MaxConcurrency 4 -Verbose
        $script:names = @((Get-EXOMailbox -ResultSize 30 -Verbose).Name)
    }
}

AfterAll {
    Reset-SandboxRateLimit -Sandbox $sandbox
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Adaptive concurrency of one connection' {
    It 'grows from 2 to -MaxConcurrency while answers are clean, and says so in -Verbose' {
        $changes = @($startChanges) + @(Get-LimitChange { $names | Get-EXOMailboxStatistics -Verbose | Out-Null })
        $changes -join ', ' | Should -Be '2 → 3, 3 → 4'
    }

    It 'is shared: the next cmdlet of the connection starts where the last one left it, not from 2 again' {
        $changes = Get-LimitChange { $names | Set-Mailbox -CustomAttribute1 'adaptive' -Verbose }
        $changes | Should -BeNullOrEmpty -Because 'the connection is at its -MaxConcurrency of 4 already; a limit of its own would grow 2 → 3 → 4 again'
        (Get-SandboxAudit -Sandbox $sandbox -Cmdlet 'Set-Mailbox').Count | Should -Be $names.Count
    }

    It 'halves once the tenant''s request budget runs low, from the limit the connection had' {
        Set-SandboxRateLimit -Sandbox $sandbox -Limit 12 -WindowSeconds 2
        try {
            $changes = Get-LimitChange { $names | Get-EXOMailboxStatistics -Verbose | Out-Null }
        }
        finally { Reset-SandboxRateLimit -Sandbox $sandbox }
        $changes[0] | Should -Be '4 → 2' -Because 'fewer requests left in the window than may be in flight halves the shared limit of 4'
        $changes | Should -Not -Match '→ [5-9]'
    }
}
