# Secrets stay secret: every sign-in flow is run with every stream captured (Output, Error with each exception's chain
# and $Error, Warning, Verbose, Debug, Information) and the sandbox's own output, and all of it is searched for the
# passwords, keys, tokens, refresh tokens and assertions involved. Disconnect drops the tokens and the MSAL cache; no
# switch turns TLS validation off; and connect + read + disconnect writes no file in HOME or the temp folder.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Its own process: a test reads everything the sandbox printed. Device-code clients are told to poll every second
    # (Entra says 5): the test signs in on the page at once, and would otherwise wait out most of Entra's interval.
    $script:sandbox = Start-TestSandbox -Mailboxes 20 -OwnProcess -ExtraArguments '--device-code-interval', '1s'
    $script:tenant = $sandbox.Tenants[0]
    $script:endpoints = @{ ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri; ShowBanner = $false }
    $script:admin = Get-TestUser $tenant admin       # MFA
    $script:legacy = Get-TestUser $tenant legacy     # no MFA: -Credential works
    Import-ExoAdmin

    # What must never be seen: passwords, the certificate's key (PFX bytes and PKCS#8), managed identity's header secret.
    $pfxBytes = [System.IO.File]::ReadAllBytes($tenant.certificatePath)
    $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($pfxBytes, $tenant.certificatePassword,
        [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
    $script:secrets = @(
        $tenant.certificatePassword
        $admin.password; $admin.mfaSecret; $legacy.password
        [Convert]::ToBase64String($pfxBytes).Substring(100, 64)
        [Convert]::ToBase64String([System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate).ExportPkcs8PrivateKey()).Substring(100, 64)
        $sandbox.Info.managedIdentity.identityHeader
    ) | Where-Object { $_ }
    # Tokens are found by their shape: a JWT (access, id token, client assertion), or the sandbox's 64-character refresh token.
    $script:tokenShapes = @('eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}', '(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{64}(?![A-Za-z0-9_-])', 'client_assertion', 'refresh_token=')

    function script:ConvertTo-SearchText {
        # Everything a record carries that a user, a log or a transcript could see; for errors, the whole exception chain.
        param($Records)
        $text = foreach ($record in $Records) {
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                "$record"; $record.CategoryInfo.GetMessage(); "$($record.TargetObject)"; "$($record.ErrorDetails)"; $record.ScriptStackTrace
                for ($e = $record.Exception; $e; $e = $e.InnerException) { $e.Message; $e.ToString(); ($e.Data.Values | ForEach-Object { "$_" }) }
            }
            elseif ($record -is [System.Management.Automation.InformationRecord]) { "$($record.MessageData)" }
            elseif ($record -is [System.Management.Automation.WarningRecord] -or $record -is [System.Management.Automation.VerboseRecord] -or $record -is [System.Management.Automation.DebugRecord]) { $record.Message }
            else { $record | ConvertTo-Json -Depth 4 -Compress -WarningAction SilentlyContinue }
        }
        $text -join "`n"
    }

    function script:Assert-NothingSecret {
        param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text, [string[]] $Extra = @())
        foreach ($secret in $secrets + $Extra) { $Text.Contains($secret) | Should -BeFalse -Because "a secret ($($secret.Substring(0, 3))…) must not appear" }
        foreach ($shape in $tokenShapes) { $Text | Should -Not -Match $shape }
    }

    function script:Invoke-Captured {
        # Runs a flow with -Verbose and -Debug on every cmdlet and every stream merged; $Error's new entries are added.
        param([Parameter(Mandatory)] [scriptblock] $Flow)
        $global:Error.Clear()
        $PSDefaultParameterValues['*-EXO*:Verbose'] = $true
        $PSDefaultParameterValues['*-ExchangeOnline:Verbose'] = $true
        # Debug through the preference: -Debug would prompt on this non-interactive host.
        $DebugPreference = 'Continue'
        try {
            $records = @(& $Flow *>&1)
        }
        finally {
            $PSDefaultParameterValues.Remove('*-EXO*:Verbose'); $PSDefaultParameterValues.Remove('*-ExchangeOnline:Verbose')
        }
        [pscustomobject]@{ Records = $records; Errors = @($global:Error); Text = ConvertTo-SearchText ($records + @($global:Error)) }
    }

    $script:flows = @{}
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Every sign-in flow, every stream' {
    It 'certificate (file and password): connect, read, a failed read, a failed change, disconnect' {
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        $run = Invoke-Captured {
            Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password @endpoints
            Get-EXOMailbox -ResultSize 5
            Get-EXOMailbox -Identity 'nobody@nowhere.example' -ErrorAction Continue
            Set-Mailbox -Identity 'nobody@nowhere.example' -HiddenFromAddressListsEnabled $true -Confirm:$false -ErrorAction Continue
            Get-ConnectionInformation
            Disconnect-ExchangeOnline -Confirm:$false
        }
        @($run.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 3
        @($run.Records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 3
        $run.Errors.Count | Should -BeGreaterOrEqual 2
        Assert-NothingSecret $run.Text
    }

    It 'certificate with a wrong password: the error names the file, not the password' {
        $wrong = 'Not-The-Passw0rd-42'
        $run = Invoke-Captured {
            try { Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword (ConvertTo-SecureString $wrong -AsPlainText -Force) @endpoints }
            catch { $_ }
        }
        $run.Errors.Count | Should -BeGreaterOrEqual 1
        Assert-NothingSecret $run.Text -Extra $wrong
    }

    It 'access token (string and SecureString)' {
        $token = Get-UserAccessToken -Sandbox $sandbox -User $legacy
        $run = Invoke-Captured {
            Connect-ExchangeOnline -AccessToken $token -UserPrincipalName $legacy.userPrincipalName @endpoints
            Get-EXOMailbox -ResultSize 3
            Get-ConnectionInformation
            Disconnect-ExchangeOnline -Confirm:$false
            Connect-ExchangeOnline -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) -Organization $tenant.organization @endpoints
            Get-EXOMailbox -Identity 'nobody@nowhere.example' -ErrorAction Continue
            Disconnect-ExchangeOnline -Confirm:$false
            # A token that is not one: the error must not echo it.
            try { Connect-ExchangeOnline -AccessToken 'not-a-jwt-but-a-secret-value-0123456789' -Organization $tenant.organization @endpoints } catch { $_ }
        }
        $run.Errors.Count | Should -BeGreaterOrEqual 2
        Assert-NothingSecret $run.Text -Extra $token, 'not-a-jwt-but-a-secret-value-0123456789'
    }

    It 'user name and password (-Credential), and a wrong password' {
        $credential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))
        $badCredential = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString 'Wrong-Passw0rd-77' -AsPlainText -Force))
        $run = Invoke-Captured {
            Connect-ExchangeOnline -Credential $credential @endpoints
            Get-EXOMailbox -ResultSize 3
            Disconnect-ExchangeOnline -Confirm:$false
            try { Connect-ExchangeOnline -Credential $badCredential @endpoints } catch { $_ }
        }
        @($run.Records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -BeGreaterThan 0
        $run.Errors.Count | Should -BeGreaterOrEqual 1
        Assert-NothingSecret $run.Text -Extra 'Wrong-Passw0rd-77'
    }

    It 'managed identity' {
        $env:IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
        $env:IDENTITY_HEADER = $sandbox.Info.managedIdentity.identityHeader
        try {
            $run = Invoke-Captured {
                Connect-ExchangeOnline -ManagedIdentity -Organization $tenant.organization @endpoints
                Get-EXOMailbox -ResultSize 3
                Get-ConnectionInformation
                Disconnect-ExchangeOnline -Confirm:$false
            }
        }
        finally { Remove-Item Env:IDENTITY_ENDPOINT, Env:IDENTITY_HEADER }
        @($run.Records | Where-Object { $_.PSObject.TypeNames -contains 'ExoAdmin.Mailbox' }) | Should -HaveCount 3
        Assert-NothingSecret $run.Text
    }

    It 'device code, with the MFA code typed on the page' {
        $job = Start-ThreadJob -ScriptBlock {
            param($modulePath, $endpoints)
            Import-Module $modulePath
            $DebugPreference = 'Continue'
            Connect-ExchangeOnline -Device @endpoints -Verbose
            Get-EXOMailbox -ResultSize 3 -Verbose
            Get-EXOMailbox -Identity 'nobody@nowhere.example' -Verbose -ErrorAction Continue
            Disconnect-ExchangeOnline -Confirm:$false -Verbose
        } -ArgumentList $env:EXOADMIN_MODULE_PATH, $endpoints
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not ($job.Information | Where-Object { "$($_.MessageData)" -match 'devicelogin' }) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            "$(($job.Information | Where-Object { "$($_.MessageData)" -match 'devicelogin' } | Select-Object -First 1).MessageData)" -match 'open the page (https://\S+/devicelogin) and enter the code (\w+)' | Should -BeTrue
            $null = Complete-DeviceLogin -VerificationUri $Matches[1] -UserCode $Matches[2] -User $admin
            $null = $job | Wait-Job -Timeout 90
            # The job's own collections, read before anything (Receive-Job) drains them.
            $output = @($job.Output)
            $debugRecords = @($job.Debug)
            $records = @($output) + @($job.Error) + @($job.Warning) + @($job.Verbose) + $debugRecords + @($job.Information)
        }
        finally { $job | Remove-Job -Force }

        @($output | Where-Object { $_.PSObject.TypeNames -contains 'ExoAdmin.Mailbox' }) | Should -HaveCount 3
        $debugRecords.Count | Should -BeGreaterThan 3
        Assert-NothingSecret (ConvertTo-SearchText $records)
    }

    It 'the sandbox''s own output carries no secret either' {
        $sandbox | Stop-ExoSandbox
        $log = $sandbox.Process.StandardOutput.ReadToEnd()
        Assert-NothingSecret $log
    }
}

Describe 'Disconnect-ExchangeOnline forgets' {
    BeforeAll {
        # The live connection object, reached the way a debugger would, to see what it still holds.
        $script:sandbox2 = Start-TestSandbox -Mailboxes 5
        $script:tenant2 = $sandbox2.Tenants[0]
        function script:Get-LiveConnection {
            $sessions = (Get-Module ExoAdmin).ImplementingAssembly.GetType('ExoAdmin.Commands.Module.RunspaceSessions')
            $manager = $sessions.GetProperty('Current', [System.Reflection.BindingFlags]'Static,Public,NonPublic').GetValue($null)
            @($manager.Connections)[0]
        }
        function script:Get-TokenProvider($Connection) {
            $client = $Connection.GetType().GetProperty('Client', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($Connection)
            $client.GetType().GetProperty('Tokens').GetValue($client)
        }
        function script:Get-CachedEntries($Provider) {
            $Provider.GetType().GetProperty('CachedEntries', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($Provider)
        }
    }
    AfterAll { $sandbox2 | Stop-ExoSandbox }

    It 'drops the token and every MSAL cache entry of a user sign-in (access, refresh and id tokens, account)' {
        $user = Get-TestUser $tenant2 legacy
        $credential = [pscredential]::new($user.userPrincipalName, (ConvertTo-SecureString $user.password -AsPlainText -Force))
        Connect-ExchangeOnline -Credential $credential -ConnectionUri $sandbox2.ConnectionUri -AzureADAuthorizationEndpointUri $sandbox2.AuthorityUri -ShowBanner:$false -WarningAction SilentlyContinue
        $connection = Get-LiveConnection
        $provider = Get-TokenProvider $connection
        $provider.Current | Should -Not -BeNullOrEmpty
        Get-CachedEntries $provider | Should -BeGreaterOrEqual 3

        Disconnect-ExchangeOnline -Confirm:$false

        $provider.Current | Should -BeNullOrEmpty
        Get-CachedEntries $provider | Should -Be 0
        $connection.GetType().GetProperty('IsDisposed', [System.Reflection.BindingFlags]'Instance,NonPublic').GetValue($connection) | Should -BeTrue
        { Get-EXOMailbox -ResultSize 1 } | Should -Throw -ErrorId 'NotConnected*'
    }

    It 'drops the token and the MSAL cache of an app-only sign-in' {
        Connect-TestTenant -Sandbox $sandbox2
        $provider = Get-TokenProvider (Get-LiveConnection)
        Get-CachedEntries $provider | Should -BeGreaterOrEqual 1

        Disconnect-ExchangeOnline -Confirm:$false

        $provider.Current | Should -BeNullOrEmpty
        Get-CachedEntries $provider | Should -Be 0
    }
}

Describe 'TLS validation cannot be turned off' {
    It 'no exported command has a parameter that skips or relaxes certificate validation' {
        $module = Get-Module ExoAdmin
        $parameters = foreach ($command in $module.ExportedCommands.Values) { foreach ($name in $command.Parameters.Keys) { "$($command.Name) -$name" } }
        $parameters.Count | Should -BeGreaterThan 100
        $parameters | Where-Object { $_ -match 'Skip.*(Cert|CA|CN|Revocation|Tls|Ssl)|Insecure|TrustAll|AllowUntrusted|NoCert|Unsafe|(Disable|Ignore).*(Tls|Ssl|Cert|Validation)' } | Should -BeNullOrEmpty
    }

    It 'no ExoAdmin assembly installs a certificate validation callback' {
        $root = Split-Path $env:EXOADMIN_MODULE_PATH
        foreach ($file in (Join-Path $root 'ExoAdmin.dll'), (Join-Path $root 'engine/ExoAdmin.Engine.dll'), (Join-Path $root 'engine/ExoAdmin.Engine.Transport.dll')) {
            $text = [System.Text.Encoding]::ASCII.GetString([System.IO.File]::ReadAllBytes($file))
            if ($file -like '*Engine.dll') { $text | Should -Match 'HttpClientHandler' }   # the search does see member references
            if ($file -like '*Transport.dll') { $text | Should -Match 'CertificateChainPolicy' }   # custom root trust, the only way in
            $text | Should -Not -Match 'ServerCertificateCustomValidationCallback|DangerousAcceptAnyServerCertificateValidator|RemoteCertificateValidationCallback|ServerCertificateValidationCallback'
        }
    }
}

Describe 'Nothing written to disk' {
    It 'connect, read, change and disconnect write no file in HOME or the temp folder' {
        $sandbox3 = Start-TestSandbox -Mailboxes 5
        try {
            $t = $sandbox3.Tenants[0]
            $pwsh = Join-Path $PSHOME 'pwsh.dll'
            $base = Join-Path ([System.IO.Path]::GetTempPath()) "exoadmin-disk-$PID"
            # The two runs start together and are collected after: each has its own HOME and temp folder.
            $runs = foreach ($run in 'baseline', 'work') {
                $home_ = New-Item -ItemType Directory -Force -Path (Join-Path $base "$run/home")
                $temp = New-Item -ItemType Directory -Force -Path (Join-Path $base "$run/tmp")
                $script = Join-Path $base "$run.ps1"
                @'
param($ModulePath, $Run, $SandboxJson)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
if ($Run -eq 'work') {
    $s = $SandboxJson | ConvertFrom-Json
    $t = $s.Tenant
    Connect-ExchangeOnline -AppId $t.appId -Organization $t.organization -CertificateFilePath $t.certificatePath `
        -CertificatePassword (ConvertTo-SecureString $t.certificatePassword -AsPlainText -Force) -ConnectionUri $s.ConnectionUri -AzureADAuthorizationEndpointUri $s.AuthorityUri -ShowBanner:$false
    $all = @(Get-EXOMailbox -ResultSize Unlimited)
    $null = Get-EXOMailbox -Identity 'nobody@nowhere.example' -ErrorAction SilentlyContinue
    Set-Mailbox -Identity $all[0].PrimarySmtpAddress -HiddenFromAddressListsEnabled $true -Confirm:$false -WarningAction SilentlyContinue
    $null = Get-ConnectionInformation
    Disconnect-ExchangeOnline -Confirm:$false
}
'done'
'@ | Set-Content -Path $script
                $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
                foreach ($a in @($pwsh, '-NoProfile', '-NonInteractive', '-File', $script, $env:EXOADMIN_MODULE_PATH, $run,
                        (@{ Tenant = $t; ConnectionUri = $sandbox3.ConnectionUri; AuthorityUri = $sandbox3.AuthorityUri } | ConvertTo-Json -Compress -Depth 5))) { $start.ArgumentList.Add($a) }
                $start.Environment['HOME'] = $home_.FullName
                $start.Environment['TMPDIR'] = $temp.FullName
                $start.Environment['XDG_CONFIG_HOME'] = Join-Path $home_.FullName '.config'
                $start.Environment['XDG_CACHE_HOME'] = Join-Path $home_.FullName '.cache'
                $start.Environment['XDG_DATA_HOME'] = Join-Path $home_.FullName '.local/share'
                # PowerShell's own module analysis cache, saved whenever its timer fires (sooner or later on a busy machine),
                # goes outside the folders compared: only ExoAdmin's writes are in question.
                $start.Environment['PSModuleAnalysisCachePath'] = Join-Path $base "$run-analysis-cache"
                $start.RedirectStandardOutput = $true
                $start.RedirectStandardError = $true
                $process = [System.Diagnostics.Process]::Start($start)
                [pscustomobject]@{ Run = $run; Process = $process; Home = $home_; Temp = $temp
                    Output = $process.StandardOutput.ReadToEndAsync(); Error = $process.StandardError.ReadToEndAsync() }
            }
            $results = foreach ($run in $runs) {
                $run.Process.WaitForExit()
                [pscustomobject]@{
                    Run    = $run.Run
                    Output = $run.Output.Result.Trim()
                    Error  = $run.Error.Result
                    Files  = @(Get-ChildItem -Recurse -Force -File -Path $run.Home, $run.Temp | ForEach-Object { $_.FullName.Substring((Join-Path $base $run.Run).Length) })
                }
            }
            $baseline, $work = $results
            $work.Error | Should -BeNullOrEmpty
            $work.Output | Should -Be 'done'
            # Whatever PowerShell itself writes on start appears in both; ExoAdmin adds nothing.
            @($work.Files | Where-Object { $_ -notin $baseline.Files }) | Should -BeNullOrEmpty
        }
        finally {
            $sandbox3 | Stop-ExoSandbox
            Remove-Item -Recurse -Force $base -ErrorAction SilentlyContinue
        }
    }
}
