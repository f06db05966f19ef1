# Throttling, server errors, cut connections and expiring tokens, injected by the sandbox (/_sandbox/faults):
# reads lose and duplicate nothing, changes are applied exactly once (the sandbox's audit log proves it) or
# reported as unknown, the circuit stops hammering a failing tenant, and Ctrl+C leaves nothing running.
# Retry delays are shortened through EXOADMIN_RETRY and Retry-After 0 so the file runs in a couple of minutes, and the
# connections read the client clock (Set-ClientClock), which the circuit test moves instead of waiting out its windows.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:count = 20000
    $script:sandbox = Start-TestSandbox -Mailboxes $count
    $script:tenant = $sandbox.Tenants[0]
    $script:savedRetry = $env:EXOADMIN_RETRY
    $env:EXOADMIN_RETRY = 'BaseDelay=0.05;MaxDelay=2;MaxRetries=8'
    Import-ExoAdmin
    Set-ClientClock 0   # before any connect
    Connect-TestTenant -Sandbox $sandbox -PageSize 1000

    # The fault matrix of the two big runs, written for the report (out/test-results/fault-matrix.json).
    $script:matrix = [ordered]@{}
    $script:matrixFile = Join-Path $PSScriptRoot '../../out/test-results/fault-matrix.json'

    function script:Get-Injected([string[]] $Ids) {
        $rules = Get-SandboxFault -Sandbox $sandbox
        $byKind = [ordered]@{}
        foreach ($rule in $rules | Where-Object id -in $Ids) { $byKind[$rule.kind] = [long]$byKind[$rule.kind] + [long]$rule.injected }
        $byKind
    }
}

AfterAll {
    if ($matrix.Count -gt 0) {
        New-Item -ItemType Directory -Force -Path (Split-Path $matrixFile) | Out-Null
        $matrix | ConvertTo-Json -Depth 5 | Set-Content -Path $matrixFile
    }
    $env:EXOADMIN_RETRY = $savedRetry
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    Set-ClientClock -Remove
    $sandbox | Stop-ExoSandbox
}

Describe 'A big read under throttling, server errors, cut connections and token expiry' {
    AfterEach { Clear-SandboxFault -Sandbox $sandbox }

    It 'Get-EXOMailbox -ResultSize Unlimited returns exactly 20,000 distinct mailboxes' {
        $path = '/adminapi/beta/*/Mailbox'
        $ids = @(
            Add-SandboxFault -Sandbox $sandbox -Kind 429 -Path $path -Method GET -Rate 0.10 -Seed 1 -RetryAfterSeconds 0
            Add-SandboxFault -Sandbox $sandbox -Kind 503 -Path $path -Method GET -Rate 0.02 -Seed 2 -RetryAfterSeconds 0
            # Seed 17 draws below 1 % at the 9th and 23rd match: the ~28 requests of this read see a cut for certain.
            Add-SandboxFault -Sandbox $sandbox -Kind reset -Path $path -Method GET -Rate 0.01 -Seed 17
            # A token expiry every 5 pages: every 5,000 objects at 1,000 a page.
            Add-SandboxFault -Sandbox $sandbox -Kind expired-token -Path $path -Method GET -Every 5
        )
        Clear-SandboxStats -Sandbox $sandbox

        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $all = @(Get-EXOMailbox -ResultSize Unlimited -Verbose 4>&1)
        $clock.Stop()
        # .Where() and a HashSet rather than Where-Object and Sort-Object -Unique: the same answers for 20,000 objects in a
        # fraction of the time.
        $mailboxes = $all.Where({ $_ -isnot [System.Management.Automation.VerboseRecord] })
        $retries = $all.Where({ $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Retrying GET *' })
        $stats = Get-SandboxStats -Sandbox $sandbox
        $distinct = [System.Collections.Generic.HashSet[guid]]::new([guid[]]$mailboxes.Guid).Count
        $matrix.read = [ordered]@{
            command    = 'Get-EXOMailbox -ResultSize Unlimited (PageSize 1000)'
            faults     = 'GET Mailbox: 429 10% (Retry-After 0), 503 2% (Retry-After 0), reset mid-body 1%, 401 expired token every 5th request'
            requests   = ($stats.requests.PSObject.Properties | Where-Object Name -like 'GET */Mailbox*' | Measure-Object -Property Value -Sum).Sum
            injected   = Get-Injected $ids
            retries    = $retries.Count
            objects    = $mailboxes.Count
            distinct   = $distinct
            duplicates = $mailboxes.Count - $distinct
            losses     = $count - $distinct
            seconds    = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }

        $mailboxes.Count | Should -Be $count
        $distinct | Should -Be $count
        # The faults did happen: retries and renewals were needed to get here.
        $matrix.read.injected['429'] | Should -BeGreaterThan 0
        $matrix.read.injected['expired-token'] | Should -BeGreaterThan 0
        $matrix.read.injected['reset'] | Should -BeGreaterThan 0
        $retries.Count | Should -BeGreaterOrEqual ($matrix.read.injected['429'] + $matrix.read.injected['503'])
        $retries[0].Message | Should -Match 'request-id [0-9a-f-]{36}'
    }
}

Describe 'A page cut mid-body' {
    AfterEach { Clear-SandboxFault -Sandbox $sandbox }

    It 'is read again from the same link, and no mailbox is lost or written twice' {
        # Several cuts in one read (every third response), on top of the big read's seeded one.
        $id = Add-SandboxFault -Sandbox $sandbox -Kind reset -Path '/adminapi/beta/*/Mailbox' -Method GET -Every 3
        Clear-SandboxStats -Sandbox $sandbox
        $mailboxes = @()
        $thrown = $null
        try { Get-EXOMailbox -ResultSize 5000 -ErrorVariable failed -ErrorAction SilentlyContinue | ForEach-Object { $mailboxes += $_ } }
        catch { $thrown = $_ }
        $stats = Get-SandboxStats -Sandbox $sandbox
        $distinct = @($mailboxes.Guid | Sort-Object -Unique).Count
        $matrix.readCut = [ordered]@{
            command    = 'Get-EXOMailbox -ResultSize 5000 (PageSize 1000)'
            faults     = 'GET Mailbox: reset mid-body on every 3rd request'
            requests   = ($stats.requests.PSObject.Properties | Where-Object Name -like 'GET */Mailbox*' | Measure-Object -Property Value -Sum).Sum
            injected   = Get-Injected @($id)
            objects    = $mailboxes.Count
            distinct   = $distinct
            duplicates = $mailboxes.Count - $distinct
            losses     = 5000 - $distinct
            error      = if ($thrown) { $thrown.Exception.Message } elseif ($failed) { $failed[0].Exception.Message } else { $null }
        }

        $matrix.readCut.injected['reset'] | Should -BeGreaterThan 0
        $matrix.readCut.error | Should -BeNullOrEmpty
        $mailboxes | Should -HaveCount 5000
        @($mailboxes.Guid | Sort-Object -Unique) | Should -HaveCount 5000
    }
}

Describe 'Many changes under the same faults' {
    BeforeAll {
        $script:targets = @(Get-EXOMailbox -ResultSize 1000 -WarningAction SilentlyContinue).PrimarySmtpAddress
    }
    AfterEach { Clear-SandboxFault -Sandbox $sandbox }

    It '1,000 pipelined Set-Mailbox: each applied exactly once, each ambiguous one reported as an error naming the mailbox' {
        $targets | Should -HaveCount 1000
        $path = '/adminapi/beta/*/InvokeCommand'
        $ids = @(
            Add-SandboxFault -Sandbox $sandbox -Kind 429 -Path $path -Method POST -Rate 0.10 -Seed 11 -RetryAfterSeconds 0
            Add-SandboxFault -Sandbox $sandbox -Kind 503 -Path $path -Method POST -Rate 0.02 -Seed 12 -RetryAfterSeconds 0
            # Cut after the change was applied: the client cannot know, so it must not send it again.
            Add-SandboxFault -Sandbox $sandbox -Kind reset -Path $path -Method POST -Rate 0.01 -Seed 13 -Phase after
            Add-SandboxFault -Sandbox $sandbox -Kind expired-token -Path $path -Method POST -Every 50
        )
        $resetRule = $ids[2]
        Clear-SandboxAudit -Sandbox $sandbox
        Clear-SandboxStats -Sandbox $sandbox

        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        # As an admin runs it: no -Verbose (which would make the changes run one at a time), errors collected.
        $targets | Set-Mailbox -HiddenFromAddressListsEnabled $true -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $clock.Stop()
        $audit = @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox)
        $perIdentity = $audit | Group-Object { $_.identity.ToLowerInvariant() }
        $resets = (Get-SandboxFault -Sandbox $sandbox | Where-Object id -eq $resetRule).injected
        $stats = Get-SandboxStats -Sandbox $sandbox
        $unknown = @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'ExoChangeOutcomeUnknown*' })
        $requests = ($stats.requests.PSObject.Properties | Where-Object Name -like 'POST */InvokeCommand*' | Measure-Object -Property Value -Sum).Sum
        $injected = Get-Injected $ids
        $matrix.changes = [ordered]@{
            command    = "1,000 x Set-Mailbox -HiddenFromAddressListsEnabled `$true, pipelined"
            faults     = 'POST InvokeCommand: 429 10% (Retry-After 0), 503 2% (Retry-After 0), reset 1% after applying, 401 expired token every 50th request'
            requests   = $requests
            injected   = $injected
            # Each change is sent once, plus again after each refusal: a retry after 429/503, a resend after a 401 (an
            # expired token also refuses the requests in flight with it, so there can be more 401s than injected).
            resends    = $requests - 1000
            applied    = $audit.Count
            distinct   = $perIdentity.Count
            duplicates = $audit.Count - $perIdentity.Count
            losses     = 1000 - $perIdentity.Count
            unknownOutcomeErrors = $unknown.Count
            otherErrors = $failed.Count - $unknown.Count
            seconds    = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }

        # Exactly once: every mailbox changed, none twice.
        $audit | Should -HaveCount 1000
        $perIdentity | Where-Object Count -ne 1 | Should -BeNullOrEmpty
        @($perIdentity.Name | Sort-Object) | Should -Be @($targets.ToLowerInvariant() | Sort-Object)
        # Every cut is reported, and nothing else failed silently or loudly.
        $resets | Should -BeGreaterThan 0
        $unknown.Count | Should -Be $resets
        $failed.Count | Should -Be $unknown.Count
        foreach ($error in $unknown) {
            $error.TargetObject | Should -BeIn $targets
            $error.CategoryInfo.Category | Should -Be 'ConnectionError'
            $error.Exception.Message | Should -BeLike "The outcome of Set-Mailbox on '$($error.TargetObject)' is unknown: *"
            $error.Exception.Message | Should -Not -Match 'Exception|   at '
            # The service did apply it: telling the admin to check was right, replaying it would have been wrong.
            $perIdentity | Where-Object Name -eq $error.TargetObject.ToLowerInvariant() | Should -Not -BeNullOrEmpty
        }
        # Every refusal cost a resend; the cuts did not (they would show as duplicates above).
        $matrix.changes.resends | Should -BeGreaterOrEqual ($injected['429'] + $injected['503'] + $injected['expired-token'])
    }

    It 'a change that got a 500 is not sent again and is reported as unknown, naming the mailbox' {
        $target = $targets[0]
        $null = Add-SandboxFault -Sandbox $sandbox -Kind 500 -Path '/adminapi/beta/*/InvokeCommand' -Method POST -Count 1
        Clear-SandboxAudit -Sandbox $sandbox

        Set-Mailbox -Identity $target -HiddenFromAddressListsEnabled $false -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ExoChangeOutcomeUnknown*'
        $failed[0].TargetObject | Should -Be $target
        $failed[0].Exception.Message | Should -BeLike "*HTTP 500*not sent again*"
        @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox) | Should -HaveCount 1
    }

    It 'a change that timed out after it was sent is reported as unknown (OperationTimeout), not replayed' {
        $target = $targets[1]
        $saved = $env:EXOADMIN_RETRY
        $env:EXOADMIN_RETRY = 'BaseDelay=0.05;AttemptTimeout=0.5'
        Connect-TestTenant -Sandbox $sandbox -Prefix Slow
        try {
            $null = Add-SandboxFault -Sandbox $sandbox -Kind latency -Path '/adminapi/beta/*/InvokeCommand' -Method POST -LatencyMs 1500 -Phase after
            Clear-SandboxAudit -Sandbox $sandbox
            Clear-SandboxStats -Sandbox $sandbox

            Set-Mailbox -Identity $target -HiddenFromAddressListsEnabled $false -ModulePrefix Slow -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
            Wait-SandboxIdle -Sandbox $sandbox   # the sandbox has finished its (already applied) change

            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ExoChangeOutcomeUnknown*'
            $failed[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $failed[0].TargetObject | Should -Be $target
            ((Get-SandboxStats -Sandbox $sandbox).requests.PSObject.Properties | Where-Object Name -like 'POST */InvokeCommand*' | Measure-Object -Property Value -Sum).Sum | Should -Be 1
            @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox) | Should -HaveCount 1
        }
        finally {
            $env:EXOADMIN_RETRY = $saved
            Disconnect-ExchangeOnline -ModulePrefix Slow -Confirm:$false
        }
    }
}

Describe 'The retries an admin sees' {
    AfterEach { Clear-SandboxFault -Sandbox $sandbox }

    It 'each retry is a Verbose line with the request id of the refused response' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind 429 -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1 -RetryAfterSeconds 1
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $verbose = @(Get-EXOMailbox -ResultSize 5 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.95   # Retry-After: 1 honoured, not the 50 ms back-off

        $retry = @($verbose | Where-Object Message -like 'Retrying GET *')
        $retry | Should -HaveCount 1
        $retry[0].Message | Should -Match '^Retrying GET /adminapi/beta/[^ ]+/Mailbox after 429 \(retry 1 of 8, waiting 1\.0 s, request-id [0-9a-f-]{36}\)\.$'
    }

    It 'a spent request budget (Rate-Limit-Remaining: 0) makes the connection wait for the reset instead of being refused' {
        Connect-TestTenant -Sandbox $sandbox -Prefix Small -PageSize 10
        Set-SandboxRateLimit -Sandbox $sandbox -Limit 4 -WindowSeconds 1
        try {
            Clear-SandboxStats -Sandbox $sandbox
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $mailboxes = @(Get-EXOMailbox -ResultSize 120 -ModulePrefix Small -WarningAction SilentlyContinue)
            $clock.Stop()
            $stats = Get-SandboxStats -Sandbox $sandbox
        }
        finally {
            Reset-SandboxRateLimit -Sandbox $sandbox
            Disconnect-ExchangeOnline -ModulePrefix Small -Confirm:$false
        }

        $mailboxes | Should -HaveCount 120
        $stats.rateLimited | Should -Be 0
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 2   # 12 pages at 4 a second: it waited for the windows
    }
}

Describe 'A tenant that keeps failing' {
    It 'opens the circuit: one clear error, nothing more sent until the break is over, then it works again' {
        $saved = $env:EXOADMIN_RETRY
        # Every attempt of the last five seconds failed, and there were four: the connect's own successes are older.
        $env:EXOADMIN_RETRY = 'BaseDelay=0.02;MaxRetries=10;CircuitFailureRatio=1;CircuitMinimumRequests=4;CircuitSampling=5;CircuitBreak=3'
        Connect-TestTenant -Sandbox $sandbox -Prefix Failing
        Set-ClientClock 6   # the connect's successes leave the sampling window
        try {
            $null = Add-SandboxFault -Sandbox $sandbox -Kind 500 -Path '/adminapi/beta/*/Mailbox' -Method GET
            Clear-SandboxStats -Sandbox $sandbox

            $first = { Get-EXOMailbox -ResultSize 5 -ModulePrefix Failing } | Should -Throw -PassThru
            $first.FullyQualifiedErrorId | Should -BeLike 'ExoCircuitOpen*'
            $first.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $first.TargetObject | Should -Be $tenant.organization
            $first.Exception.Message | Should -Match "^The Exchange Online service for $([regex]::Escape($tenant.organization)) keeps failing, so ExoAdmin has stopped sending it requests on this connection\. It will try again after \d\d:\d\d:\d\d UTC \(in \d s\); run the command again then\.$"
            $sent = (Get-SandboxStats -Sandbox $sandbox).total
            $sent | Should -Be 4

            $second = { Get-EXOMailbox -ResultSize 5 -ModulePrefix Failing } | Should -Throw -PassThru
            $second.FullyQualifiedErrorId | Should -BeLike 'ExoCircuitOpen*'
            (Get-SandboxStats -Sandbox $sandbox).total | Should -Be $sent

            # Another connection (another tenant's, say) is not affected.
            Clear-SandboxFault -Sandbox $sandbox
            @(Get-EXOMailbox -ResultSize 5) | Should -HaveCount 5
            # The three-second break is over by the connection's clock (it opened at 6 s and a little real time): the
            # trial request goes through and closes the circuit.
            Set-ClientClock 9.5
            @(Get-EXOMailbox -ResultSize 5 -ModulePrefix Failing) | Should -HaveCount 5
        }
        finally {
            Clear-SandboxFault -Sandbox $sandbox
            $env:EXOADMIN_RETRY = $saved
            Disconnect-ExchangeOnline -ModulePrefix Failing -Confirm:$false
            Set-ClientClock 0   # the sandbox's clock never moved: its rate-limit resets are real times
        }
    }
}

Describe 'Ctrl+C in the middle of a slow read' {
    It 'stops within a second and leaves no request running' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind latency -Path '/adminapi/beta/*/Mailbox' -Method GET -LatencyMs 400
        # The read says when 25 mailboxes are out, rather than the test asking again and again.
        $ready = [System.Threading.ManualResetEventSlim]::new()
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($ModulePath, $Sandbox, $Tenant, $Ready)
                    Import-Module $ModulePath
                    $password = ConvertTo-SecureString $Tenant.certificatePassword -AsPlainText -Force
                    Connect-ExchangeOnline -AppId $Tenant.appId -Organization $Tenant.organization -CertificateFilePath $Tenant.certificatePath `
                        -CertificatePassword $password -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri -ShowBanner:$false -PageSize 10
                    $n = 0
                    Get-EXOMailbox -ResultSize Unlimited | ForEach-Object { $_; if (++$n -eq 25) { $Ready.Set() } }
                }).AddArgument($env:EXOADMIN_MODULE_PATH).AddArgument($sandbox).AddArgument($tenant).AddArgument($ready)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $ready.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue
            $output.Count | Should -BeGreaterOrEqual 25

            $stopwatch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'

            # Nothing more reaches the sandbox: no request was left running or sent after the stop.
            Wait-SandboxIdle -Sandbox $sandbox   # the request the stop cancelled is over for the sandbox too
            $before = (Get-SandboxStats -Sandbox $sandbox).total
            Start-Sleep -Milliseconds 1200   # three times the latency: a request left running would have been answered
            (Get-SandboxStats -Sandbox $sandbox).total | Should -Be $before
            $output.Count | Should -BeLessThan 1000
        }
        finally {
            Clear-SandboxFault -Sandbox $sandbox
            if ($ps) { $ps.Dispose() }
            $ready.Dispose()
        }
    }
}

Describe 'Twenty tenants in parallel under faults' {
    BeforeAll {
        $names = 1..20 | ForEach-Object { 'tenant{0:00}.onmicrosoft.com' -f $_ }
        $script:many = Start-TestSandbox -Tenant $names -Mailboxes 50 -Fault @(
            'kind=429;path=/adminapi/beta/*/Mailbox;rate=0.10;seed=21;retryAfterSeconds=0'
            'kind=503;path=/adminapi/beta/*/Mailbox;rate=0.02;seed=22;retryAfterSeconds=0'
            'kind=latency;path=/adminapi/beta/*/Mailbox;rate=0.2;seed=23;latencyMs=100'
        )
    }
    AfterAll { $many | Stop-ExoSandbox }

    It 'ForEach-Object -Parallel: every object comes from the right tenant, each exactly once' {
        # Each tenant's token expires every 5 of its pages.
        foreach ($t in $many.Tenants) {
            $null = Add-SandboxFault -Sandbox $many -Kind expired-token -Path '/adminapi/beta/*/Mailbox' -Method GET -Tenant $t.organization -Every 5
        }
        $results = $many.Tenants | ForEach-Object -ThrottleLimit 20 -Parallel {
            $t = $_
            Import-Module $using:env:EXOADMIN_MODULE_PATH
            $password = ConvertTo-SecureString $t.certificatePassword -AsPlainText -Force
            Connect-ExchangeOnline -AppId $t.appId -Organization $t.organization -CertificateFilePath $t.certificatePath -CertificatePassword $password `
                -ConnectionUri ($using:many).ConnectionUri -AzureADAuthorizationEndpointUri ($using:many).AuthorityUri -ShowBanner:$false -PageSize 5
            $mailboxes = @(Get-EXOMailbox -ResultSize Unlimited)
            [pscustomobject]@{
                Organization = $t.organization
                TenantId     = (Get-ConnectionInformation).TenantID
                Addresses    = $mailboxes.PrimarySmtpAddress
                Guids        = $mailboxes.Guid
            }
            Disconnect-ExchangeOnline -Confirm:$false
        }

        $faults = Invoke-SandboxControl -Sandbox $many -Method Get -Path '/faults'
        ($faults.faults | Where-Object kind -eq '429').injected | Should -BeGreaterThan 0
        ($faults.faults | Where-Object kind -eq 'expired-token' | Measure-Object -Property injected -Sum).Sum | Should -BeGreaterOrEqual 20
        $results | Should -HaveCount 20
        foreach ($result in $results) {
            $expected = $many.Tenants | Where-Object organization -eq $result.Organization
            $result.TenantId | Should -Be $expected.tenantId
            $result.Addresses | Should -HaveCount 50
            @($result.Guids | Sort-Object -Unique) | Should -HaveCount 50
            $domain = '@' + ($result.Organization -replace '\.onmicrosoft\.com$', '.com')
            $result.Addresses | Where-Object { -not $_.EndsWith($domain) } | Should -BeNullOrEmpty
        }
        @($results.Guids | Sort-Object -Unique) | Should -HaveCount 1000
    }
}
