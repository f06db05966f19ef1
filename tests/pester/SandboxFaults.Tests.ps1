BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # A fault and a budget from the command line, to prove Start-TestSandbox passes them; the rest through the control endpoint.
    $script:sandbox = Start-TestSandbox -Mailboxes 30 -Fault 'kind=latency;path=/adminapi/beta/*/Mailbox;latencyMs=1;count=1' -RateLimit '5000/60'
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Start-TestSandbox -Fault -RateLimit' {
    It 'starts the sandbox with the rule and the budget given' {
        $rule = Get-SandboxFault -Sandbox $sandbox
        $rule.id | Should -Be 'f1'
        $rule.kind | Should -Be 'latency'
        $rule.latencyMs | Should -Be 1
        $budget = Invoke-SandboxControl -Sandbox $sandbox -Method Get -Path '/rate-limit'
        $budget.limit | Should -Be 5000
        $budget.windowSeconds | Should -Be 60
    }
}

Describe 'The sandbox''s fault injection, seen from PowerShell' {
    BeforeEach {
        Clear-SandboxFault -Sandbox $sandbox
        Clear-SandboxAudit -Sandbox $sandbox
        Clear-SandboxStats -Sandbox $sandbox
    }

    It 'injects a 503 into a read, counts it, and the read still returns every mailbox' {
        $id = Add-SandboxFault -Sandbox $sandbox -Kind 503 -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1 -RetryAfterSeconds 1

        $mailboxes = @(Get-EXOMailbox -ResultSize Unlimited)

        $mailboxes | Should -HaveCount 30
        $rule = Get-SandboxFault -Sandbox $sandbox | Where-Object id -eq $id
        $rule.injected | Should -Be 1
        $rule.matched | Should -Be 2
        $stats = Get-SandboxStats -Sandbox $sandbox
        $stats.faults.'503' | Should -Be 1
        # The failed page and its retry: two GETs of the list, however the client names the tenant in the URL.
        ($stats.requests.PSObject.Properties | Where-Object Name -like 'GET /adminapi/beta/*/Mailbox').Value | Should -Be 2
    }

    It 'shows a Set-Mailbox throttled once and then applied exactly once in the audit' {
        $id = Add-SandboxFault -Sandbox $sandbox -Kind 429 -Path '/adminapi/beta/*/InvokeCommand' -Count 1 -RetryAfterSeconds 1

        Set-Mailbox -Identity alex -DisplayName 'Alex (audited)' -ErrorAction Stop

        (Get-SandboxFault -Sandbox $sandbox | Where-Object id -eq $id).injected | Should -Be 1
        $entries = @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox)
        $entries | Should -HaveCount 1
        $entries[0].tenant | Should -Be $sandbox.Tenants[0].organization
        $entries[0].identity | Should -Be 'alex'
        $entries[0].parameters.DisplayName | Should -Be 'Alex (audited)'
        $entries[0].requestId | Should -Not -BeNullOrEmpty
        (Get-EXOMailbox -Identity alex).DisplayName | Should -Be 'Alex (audited)'
    }

    It 'refuses a bad rule with the reason' {
        { Add-SandboxFault -Sandbox $sandbox -Kind 429 -Count 1 -Every 2 } | Should -Throw '*one of rate, count or every*'
        Get-SandboxFault -Sandbox $sandbox | Should -BeNullOrEmpty
    }
}
