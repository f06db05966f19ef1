# Junk from the script and junk from the network: each gives one ErrorRecord with the right category, error id and
# target, and a message an Exchange admin can act on: no stack trace, no .NET exception names. Bad parameters are
# refused before anything is sent; a hostile or broken server (faults injected through /_sandbox/faults) is refused
# without following it anywhere.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 50
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -PageSize 10
    $script:password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
    $script:signIn = @{
        AppId = $tenant.appId; Organization = $tenant.organization; ShowBanner = $false
        ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri
    }
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "exoadmin-badinput-$PID"
    New-Item -ItemType Directory -Force -Path $work | Out-Null

    function script:Assert-AdminError {
        # What every error here must be: its id, category and target, and a message with no stack trace or exception names.
        param([Parameter(Mandatory)] $ErrorRecord, [string] $ErrorId, [string] $Category, $Target, [string] $Message)
        $text = $ErrorRecord.Exception.Message
        if ($ErrorId) { $ErrorRecord.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*" }
        if ($Category) { $ErrorRecord.CategoryInfo.Category | Should -Be $Category }
        if ($PSBoundParameters.ContainsKey('Target')) { $ErrorRecord.TargetObject | Should -Be $Target }
        if ($Message) { $text | Should -BeLike $Message }
        $text | Should -Not -Match '\s+at \S+\(|--- End of|\b[A-Z]\w*Exception\b|\bSystem\.[A-Z]'
        ($ErrorRecord | Out-String) | Should -Not -Match '--- End of inner exception|\s+at [A-Z][\w.]+\('
    }

    function script:Get-ExchangeRequestCount { (Get-SandboxStats -Sandbox $sandbox).total }
}

AfterAll {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Bad parameters from the script' {
    It 'a malformed identity (a control character) is refused before sending, and the other pipeline items go on' {
        $before = Get-ExchangeRequestCount
        $found = @('alex', "ale`nx", 'admin' | Get-EXOMailbox -ErrorVariable failed -ErrorAction SilentlyContinue)

        $found.Alias | Should -Be @('alex', 'admin')
        $failed | Should -HaveCount 1
        Assert-AdminError $failed[0] -ErrorId 'ParameterArgumentValidationError' -Category InvalidData `
            -Message "*The identity 'ale?x' contains a control character (U+000A) at position 4; an identity is a name, alias, email address, GUID or distinguished name."
        (Get-ExchangeRequestCount) - $before | Should -Be 2
    }

    It 'an identity that names nothing is a non-terminating ObjectNotFound error naming it' {
        $found = @("no'such@@mailbox", 'alex' | Get-EXOMailbox -ErrorVariable failed -ErrorAction SilentlyContinue)

        $found.Alias | Should -Be @('alex')
        $failed | Should -HaveCount 1
        Assert-AdminError $failed[0] -Category ObjectNotFound -Target "no'such@@mailbox" -Message "*object 'no'such@@mailbox' couldn't be found*"
    }

    It 'an unknown property set is refused by PowerShell with the list of valid ones' {
        $err = { Get-EXOMailbox -PropertySets Everything } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'CannotConvertArgumentNoMessage' -Category InvalidArgument -Message '*"Everything"*Minimum, AddressList*'
    }

    It 'an unknown property is refused before sending, naming it' {
        $before = Get-ExchangeRequestCount
        $err = { Get-EXOMailbox -Properties DisplayName, FavouriteColour } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidProperties' -Category InvalidArgument -Target 'FavouriteColour' -Message '*not valid for Get-EXOMailbox: FavouriteColour.'
        Get-ExchangeRequestCount | Should -Be $before
    }

    It 'an invalid OPATH filter is refused before sending, saying what is wrong with it' {
        $before = Get-ExchangeRequestCount
        $filter = "Alias -eq 'unclosed"
        $err = { Get-EXOMailbox -Filter $filter } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidFilter' -Category InvalidArgument -Target $filter -Message "The filter ""Alias -eq 'unclosed"" is not valid: a quoted value is not closed."
        $err = { Get-EXOMailbox -Filter "Alias -bogus 'x'" } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidFilter' -Message "*'-bogus' is not a supported operator*"
        Get-ExchangeRequestCount | Should -Be $before
    }

    It '-PageSize outside 1 to 1000 is refused' {
        foreach ($size in 0, 1001) {
            $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $tenant.certificatePath -CertificatePassword $password -PageSize $size } | Should -Throw -PassThru
            Assert-AdminError $err -ErrorId 'ParameterArgumentValidationError' -Category InvalidData -Message "Cannot validate argument on parameter 'PageSize'. The $size argument is *"
        }
        @(Get-ConnectionInformation) | Should -HaveCount 1
    }

    It 'an invalid -Prefix is refused, naming it' {
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $tenant.certificatePath -CertificatePassword $password -Prefix 'Con-toso' } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidPrefix' -Category InvalidArgument -Target 'Con-toso' -Message "The prefix 'Con-toso' is not valid: use letters and digits only*"
    }

    It 'conflicting sign-in parameters are refused, naming both' {
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $tenant.certificatePath -CertificatePassword $password -ManagedIdentity } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'ConflictingSignInParameters' -Category InvalidArgument -Message '*a certificate and -ManagedIdentity were given together.'
    }

    It 'a missing certificate file is ObjectNotFound, naming the file' {
        $missing = Join-Path $work 'no-such.pfx'
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $missing -CertificatePassword $password } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'CertificateFileNotFound' -Category ObjectNotFound -Target $missing -Message "The certificate file '$missing' does not exist."
    }

    It 'an unreadable certificate file (not a .pfx, or a folder) says so, naming it' {
        $notPfx = Join-Path $work 'notes.pfx'
        Set-Content -Path $notPfx -Value 'this is not a certificate'
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $notPfx -CertificatePassword $password } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'CertificateUnreadable' -Category InvalidArgument -Target $notPfx -Message "*could not be opened: it is not a PKCS#12 (.pfx) file with a private key."

        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $work -CertificatePassword $password } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'CertificateUnreadable' -Category InvalidArgument -Target $work -Message "'$work' is a folder; -CertificateFilePath names the certificate's .pfx file."
    }

    It 'a wrong certificate password says the password is wrong, and shows no password' {
        $wrong = ConvertTo-SecureString 'Wrong-Passw0rd!' -AsPlainText -Force
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $tenant.certificatePath -CertificatePassword $wrong } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'CertificatePasswordWrong' -Category InvalidArgument -Target $tenant.certificatePath -Message '*could not be opened: the password is wrong.'
        ($err | Out-String) | Should -Not -Match ('Wrong-Passw0rd|' + [regex]::Escape($tenant.certificatePassword))
    }

    It 'a -ConnectionUri that is not https is refused before any request' {
        $http = $sandbox.ConnectionUri -replace '^https', 'http'
        $err = { Connect-ExchangeOnline @signIn -CertificateFilePath $tenant.certificatePath -CertificatePassword $password -ConnectionUri $http } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'UriNotHttps' -Category InvalidArgument -Message "-ConnectionUri must be an*https URI; '$http*' is not."
    }
}

Describe 'A server that answers badly' {
    AfterEach { Clear-SandboxFault -Sandbox $sandbox }

    It 'an HTML page instead of JSON is a ProtocolError that says what came' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind non-json -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1
        $err = { Get-EXOMailbox -ResultSize 5 } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidServiceResponse' -Category ProtocolError -Message 'The service answered GET /adminapi/beta/*/Mailbox with text/html instead of JSON (request-id *). A proxy, a captive portal or an outage page may be answering in its place.'
    }

    It 'an empty body is a ProtocolError that says it was empty' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind empty-body -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1
        $err = { Get-EXOMailbox -ResultSize 5 } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidServiceResponse' -Category ProtocolError -Message '*with an empty body instead of JSON*'
    }

    It 'a 200 without @odata.context is refused as not OData' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind no-context -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1
        $err = { Get-EXOMailbox -ResultSize 5 } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidServiceResponse' -Category ProtocolError -Message '*The response has no @odata.context, so it is not a valid OData payload. (request-id *)'
    }

    It 'a next link to another host is refused, and no token is sent there' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind foreign-next-link -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1
        Clear-SandboxStats -Sandbox $sandbox
        $err = { Get-EXOMailbox -ResultSize 30 } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidServiceResponse' -Category ProtocolError -Target "https://localhost:$(([uri]$sandbox.ConnectionUri).Port)" `
            -Message "The service sent a link to 'https://localhost:*', which is not the connection's host '$($sandbox.ConnectionUri.TrimEnd('/'))'. It was not followed."
        (Get-SandboxStats -Sandbox $sandbox).tokensToForeignHost | Should -Be 0
    }

    It 'an oversized response is refused, not buffered' {
        $null = Add-SandboxFault -Sandbox $sandbox -Kind oversized -Path '/adminapi/beta/*/Mailbox' -Method GET -Count 1 -SizeBytes (20MB)
        $err = { Get-EXOMailbox -ResultSize 5 } | Should -Throw -PassThru
        Assert-AdminError $err -ErrorId 'InvalidServiceResponse' -Category ProtocolError -Message '*A single object in the response is larger than 16 MiB; it was refused. (request-id *)'
    }
}
