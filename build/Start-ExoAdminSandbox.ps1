<#
.SYNOPSIS
    Starts a local sandbox tenant and prints the lines that connect to it.
.DESCRIPTION
    The sandbox is a local HTTPS service that speaks the Exchange Online and Entra ID protocols with
    seeded tenants (it needs the .NET 10 runtime). This script starts it and prints, for each tenant, the
    lines to paste: how to trust the sandbox's CA (in a new shell, and in the pwsh already open), the
    Connect-ExchangeOnline and Connect-IPPSSession lines of the tenant's app, the managed-identity ones, and a
    sign-in line per user. No secret is printed: each app certificate is written without a password, the
    managed-identity variables and the users' passwords and authenticator secrets to files, all in a folder
    only you can read, which is deleted when the sandbox stops (press Enter, or close its input).

    Installed (Install-PSResource ExoAdmin.Sandbox), it is the command Start-ExoAdminSandbox.
    From a clone: ./build.ps1 sandbox
.PARAMETER CaDirectory
    Keep the sandbox's CA in this folder (ca.pem and its key), created on the first start and reused after,
    so a CA you trust once stays valid across restarts. Without it every start makes a new CA.
.PARAMETER Fault
    A fault rule to inject from the start, as 'kind=503;path=/adminapi/beta/*/Mailbox;rate=0.05'
    (repeatable); rules can also be added and removed while it runs, through the control endpoint.
.PARAMETER RateLimit
    Every tenant's request budget as REQUESTS/SECONDS, for example 600/60.
.PARAMETER SeedFile
    Mailboxes for the first tenant, as `Get-EXOMailbox -ResultSize Unlimited -PropertySets All |
    ConvertTo-Json -Depth 5` wrote them from a real tenant.
.PARAMETER SeedMailboxPermissions
    The first tenant's mailbox permissions instead of generated ones, as `Get-EXOMailbox -ResultSize Unlimited |
    Get-EXOMailboxPermission | Where-Object { -not $_.IsInherited -and $_.User -ne 'NT AUTHORITY\SELF' } | ConvertTo-Json`
    wrote them (the sandbox README has every export command).
.PARAMETER SeedRecipientPermissions
    Its SendAs permissions, as `Get-EXORecipientPermission -ResultSize Unlimited | ConvertTo-Json` wrote them.
.PARAMETER SeedGroupMembers
    Its distribution groups and their members, as the sandbox README's Get-DistributionGroupMember command wrote them.
.PARAMETER DeviceCodeIntervalSeconds
    How long device-code sign-ins (Connect-ExchangeOnline -Device) are told to wait between polls: Entra's 5 seconds
    unless given. 1 makes a rehearsal connect within a second of the code being entered.
.PARAMETER SinglePort
    Serve Security & Compliance on the same port, as the host name localhost (always so on port 443), for
    clients that keep only scheme and host of a connection URI.
.PARAMETER InstanceDiscovery
    Also answer as login.microsoftonline.com, for MSAL clients that discover their authority; map that name
    to 127.0.0.1 for the client you rehearse (see the sandbox README).
.EXAMPLE
    ./Start-ExoAdminSandbox.ps1 -Tenant northwind.onmicrosoft.com -SeedFile ./northwind-mailboxes.json -CaDirectory ~/.exoadmin-sandbox-ca
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [string[]] $Tenant = @('contoso.onmicrosoft.com'),
    [int] $Mailboxes = 500,
    [string] $SeedFile,
    [string] $SeedMailboxPermissions,
    [string] $SeedRecipientPermissions,
    [string] $SeedGroupMembers,
    [int] $Port = 0,
    [int] $LatencyMs = 0,
    [string] $CaDirectory,
    [string] $SandboxPath,
    # Faults to inject from the start, each 'kind=429;path=/adminapi/*;rate=0.1' (see the sandbox README).
    [string[]] $Fault = @(),
    # Every tenant's request budget, 'REQUESTS/SECONDS' (for example 600/60).
    [string] $RateLimit,
    [ValidateRange(1, 300)] [int] $DeviceCodeIntervalSeconds,
    [switch] $SinglePort,
    [switch] $InstanceDiscovery
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot 'SandboxHost.psm1') -Force
if (-not $SandboxPath) {
    # In the installed ExoAdmin.Sandbox module the sandbox sits next to this script; in a clone, in out/sandbox.
    $SandboxPath = @((Join-Path $PSScriptRoot 'ExoAdmin.Sandbox.dll'), (Join-Path $PSScriptRoot '../out/sandbox/ExoAdmin.Sandbox.dll')) |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}

$extra = @()
if ($SeedFile) { $extra += '--seed-file', (Resolve-Path $SeedFile).Path }
if ($SeedMailboxPermissions) { $extra += '--seed-mailbox-permissions', (Resolve-Path $SeedMailboxPermissions).Path }
if ($SeedRecipientPermissions) { $extra += '--seed-recipient-permissions', (Resolve-Path $SeedRecipientPermissions).Path }
if ($SeedGroupMembers) { $extra += '--seed-group-members', (Resolve-Path $SeedGroupMembers).Path }
if ($SinglePort) { $extra += '--single-port' }
if ($InstanceDiscovery) { $extra += '--instance-discovery' }
if ($DeviceCodeIntervalSeconds) { $extra += '--device-code-interval', "${DeviceCodeIntervalSeconds}s" }
if ($CaDirectory) { $CaDirectory = [System.IO.Path]::GetFullPath($CaDirectory, (Get-Location).ProviderPath) }
$sandbox = Start-ExoSandbox -SandboxPath $SandboxPath -Tenant $Tenant -Mailboxes $Mailboxes -Port $Port -LatencyMs $LatencyMs -CaDirectory $CaDirectory -ExtraArguments $extra -Fault $Fault -RateLimit $RateLimit
# A folder only this user can read (0700 on Linux and macOS; the user's own temp folder on Windows).
$credentials = [System.IO.Directory]::CreateTempSubdirectory('exoadmin-sandbox-credentials-')
try {
    Write-Host (Format-ExoSandboxConnectLines -Sandbox $sandbox -CredentialDirectory $credentials.FullName -Windows:$IsWindows)
    Write-Host ''
    Write-Host 'Press Enter to stop the sandbox.'
    # Console input rather than Read-Host: it also works when a parent process drives this script.
    [void][Console]::In.ReadLine()
}
finally {
    $sandbox | Stop-ExoSandbox
    Remove-Item -Recurse -Force $credentials.FullName -ErrorAction SilentlyContinue
}
