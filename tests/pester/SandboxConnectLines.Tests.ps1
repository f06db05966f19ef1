# What Start-ExoAdminSandbox.ps1 prints must work when pasted, as a new user would paste it: each line runs, as
# printed, in a fresh pwsh that trusts nothing of the sandbox's beforehand, and connects. Nothing secret is printed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Browser.psm1') -Force
    $script:moduleBase = Split-Path $env:EXOADMIN_MODULE_PATH
    $script:caPath = Join-Path $env:EXOADMIN_SANDBOX_CA_DIR 'ca.pem'
    # Variables a fresh shell must not inherit from the test run: the lines themselves have to set up trust and identity.
    $script:notInherited = 'SSL_CERT_FILE', 'EXOADMIN_SANDBOX_CA_FILE', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'BROWSER'

    function New-PwshStart {
        # A fresh pwsh (no profile) reading its script from standard input, with the test run's variables removed.
        param([hashtable] $Environment = @{}, [string] $Executable = 'dotnet', [string[]] $Arguments = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', '-'))
        $start = [System.Diagnostics.ProcessStartInfo]::new($Executable)
        foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
        foreach ($name in $notInherited) { [void]$start.Environment.Remove($name) }
        foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start
    }

    function Remove-TerminalControl([string] $Text) {
        # pwsh reading a script from standard input still switches the terminal's cursor-key mode (ESC [?1h): not text.
        $Text -replace '\e\[[0-9;?]*[A-Za-z]', ''
    }

    function Start-FreshPwsh {
        # Starts the shell on $Script (lines as a user pastes them); returns the process, its output read as it comes.
        param([Parameter(Mandatory)] [string] $Script, [System.Diagnostics.ProcessStartInfo] $Start = (New-PwshStart))
        $process = [System.Diagnostics.Process]::Start($Start)
        $process.StandardInput.WriteLine("Import-Module '$env:EXOADMIN_MODULE_PATH'")  # the module a user has installed
        $process.StandardInput.WriteLine($Script)
        $process.StandardInput.Close()
        [pscustomobject]@{ Process = $process; Lines = [System.Collections.Generic.List[string]]::new(); Pending = $process.StandardOutput.ReadLineAsync(); Errors = $process.StandardError.ReadToEndAsync() }
    }

    function Wait-FreshPwshLine {
        # Reads the shell's output until a line matches (returns it) or the shell ends.
        param([Parameter(Mandatory)] $Shell, [Parameter(Mandatory)] [string] $Pattern, [int] $TimeoutSeconds = 90)
        $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([datetime]::UtcNow -lt $deadline) {
            if (-not $Shell.Pending.Wait(200)) { continue }
            $line = $Shell.Pending.Result
            if ($null -eq $line) { break }
            $line = Remove-TerminalControl $line
            $Shell.Lines.Add($line)
            $Shell.Pending = $Shell.Process.StandardOutput.ReadLineAsync()
            if ($line -match $Pattern) { return $line }
        }
        throw "No line matched '$Pattern'. The shell wrote:`n$($Shell.Lines -join "`n")`n$(if ($Shell.Process.HasExited) { $Shell.Errors.Result })"
    }

    function Start-FreshPwshRun {
        # Starts the lines in a fresh pwsh, to run to the end while the caller goes on; Receive-FreshPwshRun collects them.
        param([Parameter(Mandatory)] [string] $Script, [System.Diagnostics.ProcessStartInfo] $Start = (New-PwshStart))
        $process = [System.Diagnostics.Process]::Start($Start)
        $run = [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync(); Text = $null }
        $process.StandardInput.WriteLine("Import-Module '$env:EXOADMIN_MODULE_PATH'")
        $process.StandardInput.WriteLine($Script)
        $process.StandardInput.Close()
        $run
    }

    function Receive-FreshPwshRun {
        # Waits for such a run to end; returns what it wrote (standard output, then errors).
        param([Parameter(Mandatory)] $Run)
        if ($null -eq $Run.Text) {
            if (-not $Run.Process.WaitForExit(120000)) { $Run.Process.Kill($true); throw "The shell did not finish: $($Run.Output.Result)" }
            $Run.Text = Remove-TerminalControl ($Run.Output.Result + "`n" + $Run.Errors.Result)
        }
        $Run.Text
    }

    function Invoke-FreshPwsh {
        # Runs the lines in a fresh pwsh to the end; returns what it wrote (standard output, then errors).
        param([Parameter(Mandatory)] [string] $Script, [System.Diagnostics.ProcessStartInfo] $Start = (New-PwshStart))
        Receive-FreshPwshRun (Start-FreshPwshRun -Script $Script -Start $Start)
    }

    function Get-Section([string] $Text, [string] $Name) {
        # The part of a shell's output between the marker '== NAME' and the next marker (or the end).
        $match = [regex]::Match($Text, '(?ms)^== ' + [regex]::Escape($Name) + '\r?$(.*?)(?=^== |\z)')
        if (-not $match.Success) { throw "The shell wrote no section '$Name':`n$Text" }
        $match.Groups[1].Value
    }

    function Get-PrintedLine([string] $Pattern) {
        $line = $printed | Where-Object { $_ -match $Pattern } | Select-Object -First 1
        if (-not $line) { throw "Nothing printed matches '$Pattern':`n$($printed -join "`n")" }
        $line.Trim()
    }

    # The start script as an admin runs it from the installed ExoAdmin.Sandbox module, keeping its CA in a folder across
    # restarts, and telling device-code sign-ins to poll every second (the test enters the code at once).
    $start = New-PwshStart -Arguments @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path (Split-Path $moduleBase) 'ExoAdmin.Sandbox/Start-ExoAdminSandbox.ps1'),
        '-Mailboxes', '12', '-CaDirectory', $env:EXOADMIN_SANDBOX_CA_DIR, '-DeviceCodeIntervalSeconds', '1')
    $start.RedirectStandardError = $false
    $script:starter = [System.Diagnostics.Process]::Start($start)
    $script:printed = [System.Collections.Generic.List[string]]::new()
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while ([datetime]::UtcNow -lt $deadline) {
        $line = $starter.StandardOutput.ReadLine()
        if ($null -eq $line) { break }
        $printed.Add($line)
        if ($line -like 'Press Enter*') { break }
    }
    $script:text = $printed -join "`n"
    $script:caLine = Get-PrintedLine '^\s+\$env:EXOADMIN_SANDBOX_CA_FILE = '
    $script:newShellLine = Get-PrintedLine "^\s+SSL_CERT_FILE='"
    $script:appLine = Get-PrintedLine '^\s+Connect-ExchangeOnline -AppId '
    $script:complianceLine = Get-PrintedLine '^\s+Connect-IPPSSession -AppId '
    $script:identityFileLine = Get-PrintedLine "^\s+\. '.*managed-identity\.ps1'$"
    $script:identityLine = Get-PrintedLine '^\s+Connect-ExchangeOnline -ManagedIdentity -Organization '
    $script:pfx = [regex]::Match($appLine, "-CertificateFilePath '([^']+)'").Groups[1].Value
    $script:usersFile = [regex]::Match((Get-PrintedLine 'passwords and authenticator secrets in'), "in '([^']+)'").Groups[1].Value
    # The users as the file the lines point to lists them.
    $script:users = @{}
    foreach ($entry in Get-Content $usersFile | Where-Object { $_ -notlike '#*' }) {
        if ($entry -match '^(\S+)\s+password: (\S+)\s+authenticator secret: (\S+)') {
            $users[$Matches[1].Split('@')[0]] = [pscustomobject]@{ userPrincipalName = $Matches[1]; password = $Matches[2]; mfaSecret = if ($Matches[3] -eq '(none:') { $null } else { $Matches[3] } }
        }
    }
}

AfterAll {
    if ($starter -and -not $starter.HasExited) { $starter.Kill($true) }
}

Describe 'Start-ExoAdminSandbox.ps1: what it prints' {
    It 'keeps the CA it was given, and prints lines that name files, never a secret' {
        $text | Should -Match ([regex]::Escape("SSL_CERT_FILE='$caPath' pwsh"))
        $caLine | Should -Be "`$env:EXOADMIN_SANDBOX_CA_FILE = '$caPath'"
        $users.Keys | Sort-Object | Should -Be @('admin', 'helpdesk', 'legacy')
        foreach ($user in $users.Values) {
            $text | Should -Not -Match ([regex]::Escape($user.password))
            if ($user.mfaSecret) { $text | Should -Not -Match ([regex]::Escape($user.mfaSecret)) }
        }
        $text | Should -Not -Match 'CertificatePassword|IDENTITY_HEADER\s*='
    }

    It 'keeps certificates, identity variables and users where only their owner can read them' {
        foreach ($file in $pfx, $usersFile, ($identityFileLine -replace "^\. '|'$")) {
            $file | Should -Exist
            [System.IO.File]::GetUnixFileMode($file) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
        [System.IO.File]::GetUnixFileMode((Split-Path $pfx)) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }

    It 'prints a sign-in line per user: interactive and device code, and a credential one for the user without MFA' {
        foreach ($user in $users.Values) {
            $text | Should -Match "Connect-ExchangeOnline -UserPrincipalName $([regex]::Escape($user.userPrincipalName)) -ConnectionUri "
            $text | Should -Match "Connect-ExchangeOnline -Device -UserPrincipalName $([regex]::Escape($user.userPrincipalName)) -ConnectionUri "
        }
        $text | Should -Match "Connect-ExchangeOnline -Credential \(Get-Credential $([regex]::Escape($users.legacy.userPrincipalName))\)"
    }
}

Describe 'The printed lines, pasted into a fresh pwsh' {
    BeforeAll {
        # The compliance line, the managed-identity lines and the app line share one fresh pwsh (a pwsh start costs
        # seconds), which runs while the tests before them do. The compliance line comes right after the running-shell
        # line, as in a shell of its own; each later one after a disconnect, so it connects by itself or its check fails.
        $script:sharedShell = Start-FreshPwshRun (@(
                $caLine
                '''== compliance'''
                $complianceLine
                "'compliance: ' + (Get-ConnectionInformation | Where-Object IsEopSession).State"
                'Disconnect-ExchangeOnline -Confirm:$false'
                '''== managed identity'''
                $identityFileLine
                "$identityLine -ShowBanner:`$false"
                "'mailboxes: ' + @(Get-EXOMailbox -ResultSize 2).Count"
                'Disconnect-ExchangeOnline -Confirm:$false'
                '''== app'''
                "$appLine -ShowBanner:`$false"
                "'mailboxes: ' + @(Get-EXOMailbox -ResultSize Unlimited).Count"
            ) -join "`n")
    }
    AfterAll { if ($sharedShell -and -not $sharedShell.Process.HasExited) { $sharedShell.Process.Kill($true) } }

    It 'setting SSL_CERT_FILE inside a running pwsh does not make it trust the CA (why that line is no longer printed)' {
        $output = Invoke-FreshPwsh "`$env:SSL_CERT_FILE = '$caPath'`ntry { $appLine -ShowBanner:`$false -ErrorAction Stop; 'connected' } catch { 'refused: ' + `$_ }"
        $output | Should -Not -Match '(?m)^connected$'
        $output | Should -Match '(?m)^refused: .*SSL connection could not be established'
    }

    It 'the running-shell line and the app line connect to Exchange Online' {
        Get-Section (Receive-FreshPwshRun $sharedShell) 'app' | Should -Match '(?m)^mailboxes: 12$'
    }

    It 'the new-shell line, run by bash as printed, starts a pwsh in which the app line connects' {
        # "pwsh" as the user has it on PATH: this run's PowerShell.
        $bin = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bin') -Force
        $shim = Join-Path $bin 'pwsh'
        Set-Content -Path $shim -Value "#!/bin/sh`nexec dotnet '$(Join-Path $PSHOME 'pwsh.dll')' -NoProfile -NonInteractive -Command - `"`$@`""
        & chmod +x $shim
        $bash = New-PwshStart -Executable 'bash' -Arguments @('-c', $newShellLine) -Environment @{ PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH" }

        $output = Invoke-FreshPwsh "$appLine -ShowBanner:`$false`n'mailboxes: ' + @(Get-EXOMailbox -ResultSize 3).Count" -Start $bash
        $output | Should -Match '(?m)^mailboxes: 3$'
    }

    It 'the compliance line connects to Security & Compliance' {
        Get-Section (Receive-FreshPwshRun $sharedShell) 'compliance' | Should -Match '(?m)^compliance: Connected$'
    }

    It 'the managed-identity lines connect as the tenant''s system-assigned identity' {
        Get-Section (Receive-FreshPwshRun $sharedShell) 'managed identity' | Should -Match '(?m)^mailboxes: 2$'
    }

    It 'the device-code line connects once the user signs in with password and authenticator code' {
        $admin = $users.admin
        $deviceLine = Get-PrintedLine "Connect-ExchangeOnline -Device -UserPrincipalName $([regex]::Escape($admin.userPrincipalName))"
        $shell = Start-FreshPwsh "$caLine`n$deviceLine -ShowBanner:`$false`n'signed in: ' + (Get-ConnectionInformation).UserPrincipalName"
        try {
            $message = Wait-FreshPwshLine -Shell $shell -Pattern 'devicelogin'
            $message -match 'open the page (https://\S+/devicelogin) and enter the code (\w+)' | Should -BeTrue
            $page = Complete-DeviceLogin -VerificationUri $Matches[1] -UserCode $Matches[2] -User $admin
            $page | Should -Match 'signed in'
            Wait-FreshPwshLine -Shell $shell -Pattern '^signed in: ' | Should -Be "signed in: $($admin.userPrincipalName)"
        }
        finally { if (-not $shell.Process.HasExited) { $shell.Process.Kill($true) } }
    }

    It 'the interactive line signs the user in through the system browser' {
        $legacy = $users.legacy
        $interactiveLine = Get-PrintedLine "Connect-ExchangeOnline -UserPrincipalName $([regex]::Escape($legacy.userPrincipalName))"
        $browser = Start-TestBrowser -CaCertificatePath $caPath
        $shell = Start-FreshPwsh "$caLine`n$interactiveLine -ShowBanner:`$false`n'signed in: ' + (Get-ConnectionInformation).UserPrincipalName" `
            -Start (New-PwshStart -Environment @{ BROWSER = $browser.Launcher })
        try {
            $page = Connect-BrowserPage -Browser $browser -UrlPattern '/oauth2/v2\.0/authorize\?'
            Wait-PageElement $page '#passwd'
            Send-PageKeys $page '#passwd' $legacy.password
            Invoke-PageClick $page '#idSIButton9'
            Wait-FreshPwshLine -Shell $shell -Pattern '^signed in: ' | Should -Be "signed in: $($legacy.userPrincipalName)"
        }
        finally {
            if ($page) { $page.Socket.Dispose() }
            if (-not $shell.Process.HasExited) { $shell.Process.Kill($true) }
            Stop-TestBrowser $browser
        }
    }

    It 'Enter stops the sandbox and removes every file the lines named' {
        $starter.StandardInput.WriteLine()
        $starter.WaitForExit(20000) | Should -BeTrue
        $starter.ExitCode | Should -Be 0
        Split-Path $pfx | Should -Not -Exist
        $caPath | Should -Exist   # a -CaDirectory is the admin's, kept for the next start
    }
}
