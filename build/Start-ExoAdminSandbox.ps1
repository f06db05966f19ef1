#Requires -Version 7.2
<#
.SYNOPSIS
    Starts a local sandbox tenant and prints the Connect-ExchangeOnline line for it.
.DESCRIPTION
    The sandbox is a local HTTPS service that speaks the Exchange Online and Entra ID protocols with
    seeded tenants (it needs the .NET 10 runtime). This script starts it, writes each tenant's app
    certificate to a folder only you can read (without a password, so no secret is ever printed or
    logged), prints how to trust the sandbox's CA and the line to paste into another shell, and stops
    the sandbox when you press Enter (or when its input ends).

    From an installed module:
        & (Join-Path (Get-Module ExoAdmin -ListAvailable)[0].ModuleBase 'sandbox/Start-ExoAdminSandbox.ps1')
    From a clone: ./build.ps1 sandbox
.PARAMETER Fault
    A fault rule to inject from the start, as 'kind=503;path=/adminapi/beta/*/Mailbox;rate=0.05'
    (repeatable); rules can also be added and removed while it runs, through the control endpoint.
.PARAMETER RateLimit
    Every tenant's request budget as REQUESTS/SECONDS, for example 600/60.
.PARAMETER SeedFile
    Mailboxes for the first tenant, as `Get-EXOMailbox -ResultSize Unlimited -PropertySets All |
    ConvertTo-Json -Depth 5` wrote them from a real tenant.
.EXAMPLE
    ./Start-ExoAdminSandbox.ps1 -Tenant northwind.onmicrosoft.com -SeedFile ./northwind-mailboxes.json
#>
[CmdletBinding()]
param(
    [string[]] $Tenant = @('contoso.onmicrosoft.com'),
    [int] $Mailboxes = 500,
    [string] $SeedFile,
    [int] $Port = 0,
    [int] $LatencyMs = 0,
    # Keep the CA here across runs, so the SSL_CERT_FILE you set once stays valid.
    [string] $CaDirectory,
    [string] $SandboxPath,
    # Faults to inject from the start, each 'kind=429;path=/adminapi/*;rate=0.1' (see the sandbox README).
    [string[]] $Fault = @(),
    # Every tenant's request budget, 'REQUESTS/SECONDS' (for example 600/60).
    [string] $RateLimit
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'SandboxHost.psm1') -Force
if (-not $SandboxPath) {
    # In an installed module the sandbox sits next to this script; in a clone, in out/sandbox.
    $SandboxPath = @((Join-Path $PSScriptRoot 'ExoAdmin.Sandbox.dll'), (Join-Path $PSScriptRoot '../out/sandbox/ExoAdmin.Sandbox.dll')) |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}

$extra = @()
if ($SeedFile) { $extra += '--seed-file', (Resolve-Path $SeedFile).Path }
$sandbox = Start-ExoSandbox -SandboxPath $SandboxPath -Tenant $Tenant -Mailboxes $Mailboxes -Port $Port -LatencyMs $LatencyMs -CaDirectory $CaDirectory -ExtraArguments $extra -Fault $Fault -RateLimit $RateLimit
# A folder only this user can read (0700 on Linux and macOS; the user's own temp folder on Windows).
$credentials = [System.IO.Directory]::CreateTempSubdirectory('exoadmin-sandbox-credentials-')
try {
    Write-Host "ExoAdmin sandbox at $($sandbox.ConnectionUri)"
    Write-Host ''
    Write-Host 'Trust its CA in the shell you connect from:'
    if ($IsWindows) {
        Write-Host "  Import-Certificate -FilePath '$($sandbox.CaCertificatePath)' -CertStoreLocation Cert:\CurrentUser\Root"
    }
    else {
        Write-Host "  `$env:SSL_CERT_FILE = '$($sandbox.CaCertificatePath)'"
    }

    foreach ($t in $sandbox.Tenants) {
        # Re-export the app certificate without a password: the file's permissions protect it, and the
        # connect line carries nothing secret.
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(
            $t.certificatePath, $t.certificatePassword, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
        $pfx = Join-Path $credentials.FullName "$($t.organization).pfx"
        [System.IO.File]::WriteAllBytes($pfx, $certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pfx))
        if (-not $IsWindows) { [System.IO.File]::SetUnixFileMode($pfx, [System.IO.UnixFileMode]'UserRead, UserWrite') }
        $certificate.Dispose()

        Write-Host ''
        Write-Host "Tenant $($t.organization) ($($t.mailboxCount) mailboxes). Connect with:"
        Write-Host "  Connect-ExchangeOnline -AppId $($t.appId) -Organization $($t.organization) -CertificateFilePath '$pfx' -ConnectionUri $($sandbox.ConnectionUri) -AzureADAuthorizationEndpointUri $($sandbox.AuthorityUri)"
    }

    Write-Host ''
    Write-Host 'Press Enter to stop the sandbox.'
    # Console input rather than Read-Host: it also works when a parent process drives this script.
    [void][Console]::In.ReadLine()
}
finally {
    $sandbox | Stop-ExoSandbox
    Remove-Item -Recurse -Force $credentials.FullName -ErrorAction SilentlyContinue
}
