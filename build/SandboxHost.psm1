# Starts and stops the sandbox service for tests, the demo and benchmarks. The sandbox prints one
# JSON line when it is ready and serves until its standard input closes.

function Start-ExoSandbox {
    [CmdletBinding()]
    param(
        # Path to ExoAdmin.Sandbox.dll; defaults to the build output.
        [string] $SandboxPath = $env:EXOADMIN_SANDBOX_PATH,
        [string[]] $Tenant = @('contoso.onmicrosoft.com'),
        [int] $Mailboxes = 100,
        [int] $Port = 0,
        [int] $LatencyMs = 0,
        [int] $Seed = 1,
        # Reuse (or create) the CA in this folder, so one trusted CA serves every start (a test run's, or an admin's restarts).
        [string] $CaDirectory = $env:EXOADMIN_SANDBOX_CA_DIR,
        [string[]] $ExtraArguments = @(),
        # Fault rules to start with, each 'kind=429;path=/adminapi/*;rate=0.1' (--fault).
        [string[]] $Fault = @(),
        # Every tenant's request budget as 'REQUESTS/SECONDS' (--rate-limit).
        [string] $RateLimit,
        [int] $TimeoutSeconds = 60
    )

    if (-not $SandboxPath) { $SandboxPath = Join-Path $PSScriptRoot '../out/sandbox/ExoAdmin.Sandbox.dll' }
    if (-not (Test-Path $SandboxPath)) { throw "The sandbox is not built at '$SandboxPath'. Run ./build.ps1 build first." }

    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add((Resolve-Path $SandboxPath).Path)
    foreach ($t in $Tenant) { $arguments.Add('--tenant'); $arguments.Add($t) }
    $arguments.AddRange([string[]]@('--mailboxes', $Mailboxes, '--port', $Port, '--latency-ms', $LatencyMs, '--seed', $Seed))
    if ($CaDirectory) { $arguments.AddRange([string[]]@('--ca-dir', $CaDirectory)) }
    foreach ($f in $Fault) { $arguments.Add('--fault'); $arguments.Add($f) }
    if ($RateLimit) { $arguments.AddRange([string[]]@('--rate-limit', $RateLimit)) }
    foreach ($a in $ExtraArguments) { $arguments.Add($a) }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $false
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)

    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait([TimeSpan]::FromSeconds($TimeoutSeconds)) -or -not $readLine.Result) {
        if ($process.HasExited) { throw "The sandbox exited with code $($process.ExitCode) before it was ready (its reason is above)." }
        $process.Kill($true)
        throw "The sandbox did not report ready within $TimeoutSeconds s."
    }

    $info = $readLine.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'ExoAdmin.SandboxInstance'
        Process    = $process
        Info       = $info
        ConnectionUri = $info.connectionUri
        AuthorityUri  = $info.azureADAuthorizationEndpointUri
        CaCertificatePath = $info.caCertificatePath
        Tenants    = @($info.tenants)
    }
}

function Stop-ExoSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Sandbox)
    process {
        $process = $Sandbox.Process
        if ($process.HasExited) { return }
        $process.StandardInput.Close()   # the sandbox's signal to stop
        if (-not $process.WaitForExit(15000)) { $process.Kill($true) }
    }
}

function New-ExoSandboxCertificateAuthority {
    # Creates the CA of a test run (or reuses it) by starting a sandbox once in that folder.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $CaDirectory, [string] $SandboxPath = $env:EXOADMIN_SANDBOX_PATH)
    New-Item -ItemType Directory -Force -Path $CaDirectory | Out-Null
    $sandbox = Start-ExoSandbox -SandboxPath $SandboxPath -CaDirectory $CaDirectory -Mailboxes 1
    try { $sandbox.CaCertificatePath } finally { $sandbox | Stop-ExoSandbox }
}

function Export-ExoSandboxCredentials {
    # Writes what signing in needs but must never be printed, into a folder only the caller can read: each tenant's
    # app certificate without a password (the file's permissions protect it), the managed-identity variables, and
    # each tenant's users with their passwords and authenticator secrets. Returns where each went.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Directory)

    function Write-PrivateFile([string] $Path, [byte[]] $Bytes) {
        [System.IO.File]::WriteAllBytes($Path, $Bytes)
        if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($Path, [System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    $identity = $Sandbox.Info.managedIdentity
    $managedIdentityFile = Join-Path $Directory 'managed-identity.ps1'
    Write-PrivateFile $managedIdentityFile ([System.Text.Encoding]::UTF8.GetBytes(
        "# What Azure Automation and App Service give a runbook; dot-source it, then connect with -ManagedIdentity.`n" +
        "`$env:IDENTITY_ENDPOINT = '$($identity.identityEndpoint)'`n`$env:IDENTITY_HEADER = '$($identity.identityHeader)'`n"))

    $tenants = foreach ($t in $Sandbox.Tenants) {
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(
            $t.certificatePath, $t.certificatePassword, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
        $pfx = Join-Path $Directory "$($t.organization).pfx"
        try { Write-PrivateFile $pfx $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx) }
        finally { $certificate.Dispose() }

        $usersFile = Join-Path $Directory "$($t.organization).users.txt"
        $lines = @("# Users of $($t.organization) in this sandbox run (new passwords every start; this file goes when the sandbox stops).",
            '# The authenticator secret is a TOTP key (RFC 6238: SHA-1, 6 digits, 30 s) for an authenticator app; the sandbox',
            '# also writes the current code to its console when the sign-in page asks for it.')
        foreach ($u in $t.users) {
            $lines += "$($u.userPrincipalName)  password: $($u.password)  authenticator secret: $(if ($u.mfaSecret) { $u.mfaSecret } else { '(none: no MFA)' })  roles: $(if ($u.roles) { $u.roles -join ', ' } else { '(none)' })"
        }
        Write-PrivateFile $usersFile ([System.Text.Encoding]::UTF8.GetBytes(($lines -join "`n") + "`n"))
        [pscustomobject]@{ Tenant = $t; CertificateFile = $pfx; UsersFile = $usersFile }
    }

    [pscustomobject]@{ ManagedIdentityFile = $managedIdentityFile; Tenants = @($tenants) }
}

function Format-ExoSandboxConnectLines {
    # The text the start script prints: how to trust the CA in a new shell and in the pwsh already open, then per
    # tenant the lines to paste (app certificate for Exchange and Security & Compliance, managed identity, each
    # user), every one naming files, never a secret. Each line works as printed in the shell it is meant for.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $CredentialDirectory, [switch] $Windows)

    $credentials = Export-ExoSandboxCredentials -Sandbox $Sandbox -Directory $CredentialDirectory
    $info = $Sandbox.Info
    $exchange = "-ConnectionUri $($info.connectionUri) -AzureADAuthorizationEndpointUri $($info.azureADAuthorizationEndpointUri)"
    $compliance = "-ConnectionUri $($info.complianceConnectionUri) -AzureADAuthorizationEndpointUri $($info.azureADAuthorizationEndpointUri)"
    $ca = $info.caCertificatePath
    $text = [System.Text.StringBuilder]::new()
    function Line([string] $Value = '') { [void]$text.AppendLine($Value) }

    Line "ExoAdmin sandbox at $($info.connectionUri); Security & Compliance at $($info.complianceConnectionUri)."
    Line ''
    Line "Trust its CA ($ca). .NET reads SSL_CERT_FILE when a process starts, so:"
    if ($Windows) {
        Line '  For every program of this Windows user, until you remove it (certmgr.msc, Trusted Root):'
        Line "    Import-Certificate -FilePath '$ca' -CertStoreLocation Cert:\CurrentUser\Root"
    }
    else {
        Line '  A new shell, for every .NET and OpenSSL client in it (Microsoft''s module too); from bash or zsh:'
        Line "    SSL_CERT_FILE='$ca' pwsh"
    }
    Line '  The pwsh already open, for ExoAdmin connections to loopback hosts only (nothing else trusts it):'
    Line "    `$env:EXOADMIN_SANDBOX_CA_FILE = '$ca'"
    if ($info.instanceDiscovery) {
        Line ''
        Line "MSAL clients that discover their authority: map the name for that client only ($($info.instanceDiscovery.hostsEntry)),"
        Line "with the sandbox on port 443, and give them $($info.instanceDiscovery.azureADAuthorizationEndpointUri) (sandbox README)."
    }

    foreach ($c in $credentials.Tenants) {
        $t = $c.Tenant
        Line ''
        Line "Tenant $($t.organization) ($($t.mailboxCount) mailboxes)."
        Line '  Its app, by certificate (Exchange Online, then Security & Compliance):'
        Line "    Connect-ExchangeOnline -AppId $($t.appId) -Organization $($t.organization) -CertificateFilePath '$($c.CertificateFile)' $exchange"
        Line "    Connect-IPPSSession -AppId $($t.appId) -Organization $($t.organization) -CertificateFilePath '$($c.CertificateFile)' $compliance"
        Line "  A managed identity, as Azure Automation gives it (the variables are in that file):"
        Line "    . '$($credentials.ManagedIdentityFile)'"
        if ($t.organization -eq $Sandbox.Tenants[0].organization -and $info.managedIdentity.systemAssignedClientId) {
            Line "    Connect-ExchangeOnline -ManagedIdentity -Organization $($t.organization) -ConnectionUri $($info.connectionUri)"
        }
        Line "    Connect-ExchangeOnline -ManagedIdentity -ManagedIdentityAccountId $($t.managedIdentityClientId) -Organization $($t.organization) -ConnectionUri $($info.connectionUri)"
        Line "  Its users (passwords and authenticator secrets in '$($c.UsersFile)'):"
        foreach ($u in $t.users) {
            $about = @(if ($u.roles) { $u.roles -join ', ' } else { 'no admin role: Exchange refuses it' }) + @(if ($u.mfaSecret) { 'MFA' })
            Line "    $($u.userPrincipalName) ($($about -join '; ')):"
            Line "      Connect-ExchangeOnline -UserPrincipalName $($u.userPrincipalName) $exchange"
            Line "      Connect-ExchangeOnline -Device -UserPrincipalName $($u.userPrincipalName) $exchange"
            if (-not $u.mfaSecret) {
                Line "      Connect-ExchangeOnline -Credential (Get-Credential $($u.userPrincipalName)) $exchange"
            }
        }
    }

    $text.ToString().TrimEnd()
}

Export-ModuleMember -Function Start-ExoSandbox, Stop-ExoSandbox, New-ExoSandboxCertificateAuthority, Export-ExoSandboxCredentials, Format-ExoSandboxConnectLines
