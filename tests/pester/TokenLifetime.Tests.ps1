# Tokens that expire while an admin works: renewal before expiry in the middle of a long paged read, claims
# challenges, tokens given with -AccessToken that are never renewed, and a throttled token endpoint.
# Tokens live an hour, as the service's do. Time passes by moving clocks, never by waiting: the service's
# (Set-SandboxClock) and the connections' (Set-ClientClock, which this file's connections read).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ExoAdmin
    Set-ClientClock 0   # before any connect: the connections of this file read the client clock the tests move

    function script:Reset-Connection {
        # After each test: no connection, and both clocks back at the real time.
        Disconnect-ExchangeOnline -Confirm:$false
        Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 0
        Set-ClientClock 0
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    Set-ClientClock -Remove
}

Describe 'Renewal before expiry' {
    BeforeAll {
        # Next links live a day here, not the service's 30 minutes: the clocks below move 55 minutes between pages,
        # which no real read's page takes, and only the tokens are to expire.
        $script:sandbox = Start-TestSandbox -Mailboxes 20000 -ExtraArguments '--page-link-lifetime', '24h'
        $script:tenant = $sandbox.Tenants[0]
    }
    AfterAll { $sandbox | Stop-ExoSandbox }
    AfterEach { Reset-Connection }

    It 'reads 20,000 mailboxes across several token expiries and returns each exactly once' {
        Connect-TestTenant -Sandbox $sandbox -PageSize 500
        $first = (Get-ConnectionInformation).TokenExpiryTimeUTC
        Clear-SandboxStats -Sandbox $sandbox

        # Every 4,000 mailboxes (8 pages), 55 minutes pass for the service and the client alike: the token then has 5
        # minutes left, inside the client's 10-minute renewal margin, so the next request must carry a new one (a request
        # already on its way with the old one is still accepted). A connection that did not renew ahead would send the
        # old token after the next step, 110 minutes old, and the service would refuse it: a 401 and a renewal after it.
        $offset = 0
        $n = 0
        $DebugPreference = 'Continue'   # refusals and the renewals after them are Debug lines (Continue: this host cannot prompt)
        $output = Get-EXOMailbox -ResultSize Unlimited -Properties ExchangeGuid 5>&1 | ForEach-Object {
            $_
            if ($_ -isnot [System.Management.Automation.DebugRecord] -and ++$n % 4000 -eq 0 -and $n -lt 20000) {
                $offset += 3300
                Set-SandboxClock -Sandbox $sandbox -OffsetSeconds $offset
                Set-ClientClock $offset
            }
        }
        $DebugPreference = 'SilentlyContinue'
        $mailboxes = $output.Where({ $_ -isnot [System.Management.Automation.DebugRecord] })
        $refusals = $output.Where({ $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match ': 401, renewing' })
        $stats = Get-SandboxStats -Sandbox $sandbox
        $tokenRequests = ($stats.requests.PSObject.Properties | Where-Object Name -like 'POST */token' | Measure-Object -Property Value -Sum).Sum
        $last = (Get-ConnectionInformation).TokenExpiryTimeUTC

        $mailboxes.Count | Should -Be 20000
        [System.Collections.Generic.HashSet[guid]]::new([guid[]]$mailboxes.ExchangeGuid).Count | Should -Be 20000
        # The read outlived four tokens, and the connection renewed each once, ahead of its expiry: the service never
        # had to refuse an expired token.
        $offset | Should -Be (4 * 3300)
        $tokenRequests | Should -Be 4
        ($last - $first).TotalSeconds | Should -BeGreaterOrEqual (4 * 3300 - 60)
        $refusals | Should -HaveCount 0
        (Get-ConnectionInformation).TokenStatus | Should -Be 'Active'
    }

    It 'a delegated sign-in renews through its refresh token' {
        $legacy = Get-TestUser $tenant legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))
        Connect-ExchangeOnline -Credential $credential -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false -WarningAction SilentlyContinue
        $first = (Get-ConnectionInformation).TokenExpiryTimeUTC

        # The service's clock moves past the first token's hour and its five seconds of skew: it refuses that token
        # from now on, so the read below works only if the connection renewed it (silently: the refresh token).
        Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 3610
        @(Get-EXOMailbox -ResultSize 5) | Should -HaveCount 5

        (Get-ConnectionInformation).TokenExpiryTimeUTC | Should -BeGreaterThan $first
    }
}

Describe 'A token given with -AccessToken expires' {
    BeforeAll {
        $script:sandbox = Start-TestSandbox -Mailboxes 20
        $script:tenant = $sandbox.Tenants[0]
    }
    AfterAll { $sandbox | Stop-ExoSandbox }
    AfterEach { Reset-Connection }

    It 'is never renewed: once expired, cmdlets fail with an error that says so, and Get-ConnectionInformation tells the truth' {
        $legacy = Get-TestUser $tenant legacy
        $token = Get-UserAccessToken -Sandbox $sandbox -User $legacy   # an hour's token
        Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $legacy.userPrincipalName -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false
        (Get-ConnectionInformation).TokenStatus | Should -Be 'Active'

        # An hour and a minute later, for the client and the service alike.
        Set-ClientClock 3660
        Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 3660
        Clear-SandboxStats -Sandbox $sandbox
        $err = { Get-EXOMailbox -ResultSize 1 } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'AccessTokenExpired*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'expired at .* never renews'
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($token.Substring(0, 40)))
        # The client judged it expired by its own clock: it sent the service nothing to refuse.
        (Get-SandboxStats -Sandbox $sandbox).total | Should -Be 0
        $info = Get-ConnectionInformation
        $info.TokenStatus | Should -Be 'Expired'
        $info.State | Should -Be 'Broken'
    }

    It 'an already expired token is refused at connect' {
        # A token from a sandbox whose clock is two hours behind expired an hour ago.
        Set-SandboxClock -Sandbox $sandbox -OffsetSeconds -7200
        try { $token = Get-UserAccessToken -Sandbox $sandbox -User (Get-TestUser $tenant legacy) }
        finally { Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 0 }
        { Connect-ExchangeOnline -AccessToken $token -Organization $tenant.organization -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false } |
            Should -Throw -ErrorId 'AccessTokenExpired*'
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }
}

Describe 'Claims challenges (continuous access evaluation)' {
    BeforeAll {
        $script:challenging = Start-TestSandbox -Mailboxes 1000 -ExtraArguments '--claims-challenge-every', '4'
    }
    AfterAll { $challenging | Stop-ExoSandbox }
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'an app-only connection gets a token for the claims and resends, and the read returns every mailbox once' {
        Connect-TestTenant -Sandbox $challenging -PageSize 100
        # Token renewals are traced on the Debug stream (Continue, not -Debug: this host cannot prompt).
        $DebugPreference = 'Continue'
        $trace = Get-EXOMailbox -ResultSize Unlimited 5>&1
        $mailboxes = @($trace | Where-Object { $_ -isnot [System.Management.Automation.DebugRecord] })

        $mailboxes | Should -HaveCount 1000
        @($mailboxes.Guid | Sort-Object -Unique) | Should -HaveCount 1000
        @($trace | Where-Object { $_ -is [System.Management.Automation.DebugRecord] -and $_.Message -match 'claims challenge' }).Count | Should -BeGreaterOrEqual 2
    }

    It 'a delegated connection satisfies the challenge through its refresh token' {
        $legacy = Get-TestUser $challenging.Tenants[0] legacy
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))
        Connect-ExchangeOnline -Credential $credential -ConnectionUri $challenging.ConnectionUri -AzureADAuthorizationEndpointUri $challenging.AuthorityUri -ShowBanner:$false -PageSize 100 -WarningAction SilentlyContinue

        @(Get-EXOMailbox -ResultSize Unlimited) | Should -HaveCount 1000
    }
}

Describe 'A throttled token endpoint' {
    BeforeAll { $script:throttled = Start-TestSandbox -Mailboxes 1 -ExtraArguments '--throttle-token-endpoint', '30s' }
    AfterAll { $throttled | Stop-ExoSandbox }

    It 'fails the connect with a LimitsExceeded error that says when to retry, and prints no secret' {
        $t = $throttled.Tenants[0]
        $err = { Connect-TestTenant -Sandbox $throttled } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'SignInThrottled*'
        $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err.Exception.Message | Should -Match 'retry after 30 s'
        $err.Exception.Message | Should -Match 'AADSTS90055'
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($t.certificatePassword))
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }
}
