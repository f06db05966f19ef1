# -Verbose and -Debug from the admin's side: every stream captured, nothing secret in any of them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 30
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
    # A JWT (header.payload.signature, base64url) anywhere in the output would be a leaked token.
    $script:jwt = 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.'
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Tracing' {
    BeforeAll {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $script:records = @(& {
                Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath `
                    -CertificatePassword $password -ConnectionUri $sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -Verbose -Debug
                Get-EXOMailbox -ResultSize 25 -Verbose -Debug
                Get-EXOMailbox -Identity 'nobody-here@contoso.com' -Verbose -Debug -ErrorAction SilentlyContinue
            } *>&1)
        $script:verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $script:debug = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        $script:everything = ($records | ForEach-Object { if ($_ -is [psobject] -and $_.PSObject.TypeNames -contains 'ExoAdmin.Mailbox') { $_ | ConvertTo-Json -Compress } else { "$_" } }) -join "`n"
    }

    It '-Verbose shows one line per HTTP request: method, path, status, duration, retries, request id' {
        $requests = @($verbose | Where-Object { $_ -match '^(GET|POST|PATCH|PUT|DELETE) /' })
        $pattern = '^GET /\S+ (\d{3}) in \d+ ms, \d+ retr(y|ies), request-id [0-9a-f-]{36}$'
        $requests | ForEach-Object { $_ | Should -Match $pattern }
        # Connect: the banner and the AdminApiState ping; then the list; then the identity that is not there.
        @($requests | Where-Object { $_ -like '*EXOBanner*' }) | Should -HaveCount 1
        @($requests | Where-Object { $_ -like "*basicinfo('AdminApiState')*" }) | Should -HaveCount 1
        @($requests | Where-Object { $_ -match '/Mailbox(\?\S*)? 200 ' }) | Should -HaveCount 1
        @($requests | Where-Object { $_ -match "/Mailbox\('.* 404 " }) | Should -HaveCount 1
    }

    It '-Debug shows request and response headers, with the bearer token masked' {
        ($debug -join "`n") | Should -Match 'Request: GET /adminapi/beta/'
        ($debug -join "`n") | Should -Match 'Authorization: Bearer \[redacted\]'
        ($debug -join "`n") | Should -Match 'X-AnchorMailbox: '
        ($debug -join "`n") | Should -Match 'Response: 200'
        ($debug -join "`n") | Should -Match 'request-id: [0-9a-f-]{36}'
    }

    It 'no stream carries a token, an assertion or the certificate password' {
        $records.Count | Should -BeGreaterThan 30
        $everything | Should -Not -Match $jwt
        $everything | Should -Not -Match ([regex]::Escape($tenant.certificatePassword))
        $everything | Should -Not -Match 'client_assertion='
    }
}
