# Tokens that expire while an admin works: renewal before expiry in the middle of a long paged read, claims
# challenges, tokens given with -AccessToken that are never renewed, and a throttled token endpoint.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ExoAdmin
    # Each Describe starts (and stops) the sandboxes it needs, so that under the runner one after the other is the
    # worker's shared sandbox, reset with its options, rather than a process of its own. $sandbox issues tokens of an
    # hour, as the service does; a test that needs one to expire moves the sandbox's clock (Set-SandboxClock) instead
    # of waiting for it, or has it issue a token that expires soon.
    function script:Start-HourTokenSandbox {
        $script:sandbox = Start-TestSandbox -Mailboxes 20
        $script:tenant = $sandbox.Tenants[0]
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
}

Describe 'Renewal before expiry' {
    BeforeAll {
        # Tokens live 4 s (the service allows 5 s of clock skew), and every Exchange response takes 500 ms, so reading
        # 20,000 mailboxes 500 at a time outlives several tokens: renewal by the client's own clock, in real time.
        $script:shortLived = Start-TestSandbox -Mailboxes 20000 -LatencyMs 500 -ExtraArguments '--token-lifetime', '4s'
        Start-HourTokenSandbox
    }
    AfterAll { $shortLived, $sandbox | Stop-ExoSandbox }
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'reads 20,000 mailboxes across several token expiries and returns each exactly once' {
        Connect-TestTenant -Sandbox $shortLived -PageSize 500
        $first = (Get-ConnectionInformation).TokenExpiryTimeUTC
        $started = [datetime]::UtcNow

        $output = Get-EXOMailbox -ResultSize Unlimited -Properties ExchangeGuid -Verbose 4>&1
        $mailboxes = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $refusals = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match ': 401, renewing' })

        $elapsed = [datetime]::UtcNow - $started
        $last = (Get-ConnectionInformation).TokenExpiryTimeUTC
        $mailboxes | Should -HaveCount 20000
        @($mailboxes.ExchangeGuid | Sort-Object -Unique) | Should -HaveCount 20000
        # The read outlived several tokens (each 4 s, accepted at most 9 s), and the connection kept renewing.
        $elapsed.TotalSeconds | Should -BeGreaterThan 18
        ($last - $first).TotalSeconds | Should -BeGreaterThan 12   # at least three lifetimes later
        # Renewed before expiry: the service never had to refuse an expired token.
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
        try { @(Get-EXOMailbox -ResultSize 5) | Should -HaveCount 5 }
        finally { Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 0 }

        (Get-ConnectionInformation).TokenExpiryTimeUTC | Should -BeGreaterThan $first
    }
}

Describe 'A token given with -AccessToken expires' {
    BeforeAll { Start-HourTokenSandbox }
    AfterAll { $sandbox | Stop-ExoSandbox }
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'is never renewed: once expired, cmdlets fail with an error that says so, and Get-ConnectionInformation tells the truth' {
        $legacy = Get-TestUser $tenant legacy
        # A token that expires 15 s from now (issued with the sandbox's clock 3585 s behind, an hour's lifetime ends
        # then): time for a busy machine to connect while it is valid. The client judges expiry by its own clock, which
        # no test can move, so the test then waits for that instant.
        Set-SandboxClock -Sandbox $sandbox -OffsetSeconds -3585
        try { $token = Get-UserAccessToken -Sandbox $sandbox -User $legacy }
        finally { Set-SandboxClock -Sandbox $sandbox -OffsetSeconds 0 }
        Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $legacy.userPrincipalName -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false
        (Get-ConnectionInformation).TokenStatus | Should -Be 'Active'

        Wait-TokenExpiry $token   # the client judges expiry by its own clock
        $err = { Get-EXOMailbox -ResultSize 1 } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'AccessTokenExpired*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'expired at .* never renews'
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($token.Substring(0, 40)))
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
