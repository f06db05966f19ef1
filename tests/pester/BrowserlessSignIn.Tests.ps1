# Interactive sign-in on a machine without a browser (a server over SSH, a container): Connect-ExchangeOnline says so at
# once and prints the address to open, as az login does, instead of waiting in silence; the address works when opened
# in a browser on this machine (here: typed into the sign-in page by HTTP requests, as a text browser would).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 6
    $script:tenant = $sandbox.Tenants[0]
    # No desktop here: no display server and no browser named.
    $script:saved = @{}
    foreach ($name in 'DISPLAY', 'WAYLAND_DISPLAY', 'BROWSER', 'WSL_DISTRO_NAME') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }

}

AfterAll {
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    $sandbox | Stop-ExoSandbox
}

Describe 'Interactive sign-in without a browser' -Skip:(-not $IsLinux) {
    It 'says at once that no browser can open, prints the sign-in address and offers -Device; the address signs in' {
        $admin = Get-TestUser $tenant admin
        $job = Start-ThreadJob -ScriptBlock {
            param($ModulePath, $Sandbox, $Upn)
            Import-Module $ModulePath
            Connect-ExchangeOnline -UserPrincipalName $Upn -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri -ShowBanner:$false
            (Get-ConnectionInformation).UserPrincipalName
            @(Get-EXOMailbox -ResultSize Unlimited).Count
        } -ArgumentList $env:EXOADMIN_MODULE_PATH, $sandbox, $admin.userPrincipalName

        try {
            # The message comes before anything waits on the person: poll the job's host output for it.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            $message = $null
            while (-not $message -and [datetime]::UtcNow -lt $deadline -and $job.State -in 'NotStarted', 'Running') {
                $message = $job.Information | ForEach-Object { "$_" } | Where-Object { $_ -match '/oauth2/v2\.0/authorize\?' } | Select-Object -First 1
                if (-not $message) { Start-Sleep -Milliseconds 50 }
            }
            $message | Should -Not -BeNullOrEmpty -Because "the job's state is $($job.State): $($job.ChildJobs[0].Error)"
            $message | Should -Match '^No browser can be opened for interactive sign-in \(this session has no desktop: DISPLAY, WAYLAND_DISPLAY and BROWSER are not set\)'
            $message | Should -Match 'Connect-ExchangeOnline -Device'
            $address = ($message -split "`r?`n")[-1].Trim()
            $address | Should -Match "^$([regex]::Escape($sandbox.AuthorityUri))/oauth2/v2\.0/authorize\?"
            $address | Should -Match 'code_challenge=[^&]+'
            $address | Should -Match 'redirect_uri=http%3A%2F%2Flocalhost%3A\d+'
            $address | Should -Match "login_hint=$([uri]::EscapeDataString($admin.userPrincipalName))"

            # Open the address and sign in as the person would: password, then the authenticator's code (a browser of
            # its own, with its own cookies, that trusts the sandbox's CA and nothing else).
            $signIn = ([uri]$sandbox.AuthorityUri).GetLeftPart([System.UriPartial]::Authority) + '/signin'
            $browser = New-SandboxHttpClient -CaCertificatePath $sandbox.Info.caCertificatePath
            try {
                $admin.mfaSecret | Should -Not -BeNullOrEmpty -Because 'the sign-in goes through the authenticator code too'
                $page = Invoke-SandboxRequest -Client $browser -Method Get -Uri $address
                $page = Submit-SandboxSignIn -Client $browser -SignInUri $signIn -Page $page -User $admin
                # The last page posts the code to the loopback address the sign-in is waiting on.
                $page.Content -match '<form method="post" action="([^"]+)">' | Should -BeTrue
                $loopback = [System.Net.WebUtility]::HtmlDecode($Matches[1])
                $fields = [ordered]@{}
                foreach ($m in [regex]::Matches($page.Content, '<input type="hidden" name="([^"]+)" value="([^"]*)">')) {
                    $fields[$m.Groups[1].Value] = [System.Net.WebUtility]::HtmlDecode($m.Groups[2].Value)
                }
                $done = Invoke-SandboxRequest -Client $browser -Method Post -Uri $loopback -Form $fields
                $done.Content | Should -Match 'Authentication complete'
            }
            finally { $browser.Dispose() }

            $upn, $count = $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction Stop
            $upn | Should -Be $admin.userPrincipalName
            $count | Should -Be 6
        }
        finally { $job | Remove-Job -Force }
    }
}
