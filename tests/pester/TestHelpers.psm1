# Shared set-up for the end-to-end tests: each test file starts its own sandbox (signed by the
# run's CA, which SSL_CERT_FILE trusts) and imports the built module from out/ExoAdmin.

Import-Module (Join-Path $PSScriptRoot '../../build/SandboxHost.psm1') -Force

function Start-TestSandbox {
    param([string[]] $Tenant = @('contoso.onmicrosoft.com'), [int] $Mailboxes = 100, [int] $LatencyMs = 0, [string[]] $ExtraArguments = @())
    if (-not $env:EXOADMIN_MODULE_PATH) { throw 'Run the tests through ./build.ps1 test, which sets EXOADMIN_MODULE_PATH.' }
    Start-ExoSandbox -Tenant $Tenant -Mailboxes $Mailboxes -LatencyMs $LatencyMs -ExtraArguments $ExtraArguments
}

function Import-ExoAdmin {
    Import-Module $env:EXOADMIN_MODULE_PATH -Force -Global
}

function Connect-TestTenant {
    # Signs in app-only with the tenant's certificate file, exactly as a runbook would.
    param(
        [Parameter(Mandatory)] $Sandbox,
        $Tenant = $Sandbox.Tenants[0],
        [string] $Prefix = '',
        [int] $PageSize = 1000,
        [string[]] $CommandName
    )
    $extra = @{}
    if ($CommandName) { $extra.CommandName = $CommandName }
    $password = ConvertTo-SecureString $Tenant.certificatePassword -AsPlainText -Force
    Connect-ExchangeOnline -AppId $Tenant.appId -Organization $Tenant.organization `
        -CertificateFilePath $Tenant.certificatePath -CertificatePassword $password `
        -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri `
        -Prefix $Prefix -PageSize $PageSize -ShowBanner:$false @extra
}

function Get-SeededMailboxes {
    # The sandbox's own record of a tenant's mailboxes, to compare cmdlet output against.
    param([Parameter(Mandatory)] [string] $Tenant, [Parameter(Mandatory)] [int] $Mailboxes, [int] $Seed = 1)
    $json = & dotnet $env:EXOADMIN_SANDBOX_PATH export --tenant $Tenant --mailboxes $Mailboxes --seed $Seed
    if ($LASTEXITCODE -ne 0) { throw "sandbox export failed with exit code $LASTEXITCODE" }
    ($json -join "`n") | ConvertFrom-Json
}

Export-ModuleMember -Function Start-TestSandbox, Import-ExoAdmin, Connect-TestTenant, Get-SeededMailboxes, Stop-ExoSandbox
