# Interactive sign-in as an admin does it: Connect-ExchangeOnline opens the system browser (real headless
# Chromium here), the admin types password and authenticator code into the sandbox's sign-in page, and the
# browser's redirect to MSAL's loopback listener completes the sign-in (authorization code with PKCE).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Browser.psm1') -Force
    # Without Chromium (outside CI) the test says it is skipped and why, and nothing is started for it.
    $script:skip = Test-BrowserSkip
    if ($skip) { return }
    $script:sandbox = Start-TestSandbox -Mailboxes 12
    $script:tenant = $sandbox.Tenants[0]
    $script:browser = Start-TestBrowser -CaCertificatePath $sandbox.CaCertificatePath
    $script:savedBrowser = $env:BROWSER
    $env:BROWSER = $browser.Launcher
}

AfterAll {
    if ($skip) { return }
    $env:BROWSER = $savedBrowser
    if ($browser) { Stop-TestBrowser $browser }
    $sandbox | Stop-ExoSandbox
}

Describe 'Interactive sign-in in the system browser' -Tag 'Browser' {
    It 'signs in with user name (login hint), password and MFA code typed into the page, then reads mailboxes' {
        if ($skip) { Set-ItResult -Skipped -Because (Get-BrowserUnavailableReason) }
        $admin = Get-TestUser $tenant admin
        $job = Start-ThreadJob -ScriptBlock {
            param($modulePath, $sandbox, $upn)
            Import-Module $modulePath
            Connect-ExchangeOnline -UserPrincipalName $upn -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -ShowBanner:$false
            Get-ConnectionInformation
            @(Get-EXOMailbox -ResultSize Unlimited).Count
        } -ArgumentList $env:EXOADMIN_MODULE_PATH, $sandbox, $admin.userPrincipalName

        try {
            $page = Connect-BrowserPage -Browser $browser -UrlPattern '/oauth2/v2\.0/authorize\?'
            Wait-PageElement $page '#passwd'
            # The login hint arrives pre-filled, and the request carries a PKCE challenge.
            Invoke-PageScript $page "document.querySelector('#login').value" | Should -Be $admin.userPrincipalName
            $authorizeUrl = Invoke-PageScript $page 'location.href'
            $authorizeUrl | Should -Match 'code_challenge=[^&]+'
            $authorizeUrl | Should -Match 'code_challenge_method=S256'
            $authorizeUrl | Should -Match 'redirect_uri=http%3A%2F%2Flocalhost%3A\d+'
            Send-PageKeys $page '#passwd' $admin.password
            Invoke-PageClick $page '#idSIButton9'

            Wait-PageElement $page '#otc'
            Send-PageKeys $page '#otc' (Get-TotpCode $admin.mfaSecret)
            Invoke-PageClick $page '#idSubmit_SAOTCC_Continue'

            $info, $count = $job | Wait-Job -Timeout 60 | Receive-Job -ErrorAction Stop
            # The browser ended on MSAL's loopback listener, the code POSTed to it (form_post), never put in a URL.
            Invoke-PageScript $page 'location.href' | Should -Match '^http://localhost:\d+/$'
            Invoke-PageScript $page 'document.body.innerText' | Should -Match 'Authentication complete'
        }
        finally {
            if ($page) { $page.Socket.Dispose() }
            $job | Remove-Job -Force
        }

        $info.UserPrincipalName | Should -Be $admin.userPrincipalName
        $info.TenantID | Should -Be $tenant.tenantId
        $info.State | Should -Be 'Connected'
        $info.TokenStatus | Should -Be 'Active'
        $count | Should -Be 12
    }
}
