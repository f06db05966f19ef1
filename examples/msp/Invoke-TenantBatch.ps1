<#
.SYNOPSIS
    One batch of tenants: each signed in to app-only and reported on, several at once (ForEach-Object -Parallel), and
    the batch's results written to the one place all batches share.
.DESCRIPTION
    The worker of the batching pattern in README.md beside this script. Start-TenantBatches.ps1 splits the tenant list
    into batches and runs this script once per batch: as a separate process on one machine (-Engine Local), or as a
    separate Azure Automation job of this script imported as a runbook (-Engine AzureAutomation), or from an Azure
    Functions activity. Within the batch, tenants run in parallel runspaces (-ThrottleLimit at once); ExoAdmin keeps each
    runspace's connection to itself, so tenants never see each other's.

    Each tenant is one object in -TenantsJson, with no secret in it:
      Organization                     the tenant's domain, e.g. contoso.onmicrosoft.com (required)
      AppId                            the app registration that signs in (the MSP's multi-tenant app, consented in the tenant)
      CertificateName                  an Azure Automation certificate asset (in a runbook), or
      CertificateThumbprint            a certificate in CurrentUser\My, or
      CertificatePath                  a .pfx file without a password (keep it where only the batch's account reads it)
      ConnectionUri, AzureADAuthorizationEndpointUri   optional: another Exchange endpoint (a sandbox, to rehearse)

    For each tenant the batch writes one result: the report's figures with Status Succeeded, or Status Failed and the
    error, so one tenant's failure never stops the others. Results go to -ResultFolder (a folder every batch can write:
    local, or a share) and/or -ResultContainerUri (an Azure Storage container URL with a SAS that allows writing, kept
    in an encrypted Automation variable), as <BatchName>.json; the script's output is the same results.
.PARAMETER ReportScript
    A script run for each tenant once connected; its output objects are the tenant's results (each gets Tenant, Batch,
    Status and Worker). Without it, the built-in report: how many mailboxes of each type the tenant has.
.PARAMETER ModulePath
    ExoAdmin's manifest, when it is not installed where Import-Module finds it by name.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $TenantsJson,
    [Parameter(Mandatory)] [ValidatePattern('^[\w.-]+$')] [string] $BatchName,
    [string] $ResultFolder,
    [string] $ResultContainerUri,
    [ValidateRange(1, 32)] [int] $ThrottleLimit = 5,
    [string] $ReportScript,
    [string] $ModulePath = 'ExoAdmin'
)

$ErrorActionPreference = 'Stop'
$tenants = @($TenantsJson | ConvertFrom-Json)
if ($ReportScript) { $ReportScript = (Resolve-Path $ReportScript).Path }
$inAutomation = [bool]$env:AUTOMATION_ASSET_ACCOUNTID

$results = $tenants | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
    $tenant = $_
    $started = [datetime]::UtcNow
    $identity = @{ Tenant = $tenant.Organization; Batch = $using:BatchName; Worker = $PID }
    try {
        Import-Module $using:ModulePath -ErrorAction Stop
        $connect = @{ AppId = $tenant.AppId; Organization = $tenant.Organization; ShowBanner = $false; ShowProgress = $false }
        if ($tenant.CertificateName) {
            if (-not $using:inAutomation) { throw "CertificateName '$($tenant.CertificateName)' is an Automation certificate asset: use CertificateThumbprint or CertificatePath outside Azure Automation." }
            $connect.Certificate = Get-AutomationCertificate -Name $tenant.CertificateName
        }
        elseif ($tenant.CertificateThumbprint) { $connect.CertificateThumbprint = $tenant.CertificateThumbprint }
        elseif ($tenant.CertificatePath) { $connect.CertificateFilePath = $tenant.CertificatePath }
        else { throw 'The tenant names no certificate: give CertificateName, CertificateThumbprint or CertificatePath.' }
        if ($tenant.ConnectionUri) { $connect.ConnectionUri = $tenant.ConnectionUri }
        if ($tenant.AzureADAuthorizationEndpointUri) { $connect.AzureADAuthorizationEndpointUri = $tenant.AzureADAuthorizationEndpointUri }

        Connect-ExchangeOnline @connect
        try {
            $rows = if ($using:ReportScript) { & $using:ReportScript } else {
                # The built-in report: mailboxes by type, read in one streamed list.
                $byType = @{}
                Get-EXOMailbox -ResultSize Unlimited | ForEach-Object { $byType[$_.RecipientTypeDetails] = 1 + ($byType[$_.RecipientTypeDetails] ?? 0) }
                [pscustomobject]@{
                    Mailboxes          = ($byType.Values | Measure-Object -Sum).Sum ?? 0
                    UserMailboxes      = $byType['UserMailbox'] ?? 0
                    SharedMailboxes    = $byType['SharedMailbox'] ?? 0
                    RoomMailboxes      = $byType['RoomMailbox'] ?? 0
                    EquipmentMailboxes = $byType['EquipmentMailbox'] ?? 0
                }
            }
            foreach ($row in $rows) {
                $result = [ordered]@{ Tenant = $identity.Tenant; Batch = $identity.Batch; Status = 'Succeeded'; Worker = $identity.Worker }
                foreach ($property in $row.PSObject.Properties) { $result[$property.Name] = $property.Value }
                $result.Seconds = [math]::Round(([datetime]::UtcNow - $started).TotalSeconds, 1)
                [pscustomobject]$result
            }
        }
        finally { Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue }
    }
    catch {
        # One tenant's failure is its own result; the batch goes on.
        [pscustomobject]@{ Tenant = $identity.Tenant; Batch = $identity.Batch; Status = 'Failed'; Worker = $identity.Worker; Error = $_.Exception.Message
            Seconds = [math]::Round(([datetime]::UtcNow - $started).TotalSeconds, 1) }
    }
}

$json = ConvertTo-Json -InputObject @($results) -Depth 5
if ($ResultFolder) {
    New-Item -ItemType Directory -Force -Path $ResultFolder | Out-Null
    Set-Content -Path (Join-Path $ResultFolder "$BatchName.json") -Value $json -Encoding utf8
}
if ($ResultContainerUri) {
    # One blob per batch in the container: its URL is the container's with the blob name, and the SAS after it.
    $container = [uri]$ResultContainerUri
    $blob = '{0}/{1}.json{2}' -f $container.GetLeftPart([System.UriPartial]::Path).TrimEnd('/'), $BatchName, $container.Query
    Invoke-RestMethod -Method Put -Uri $blob -Headers @{ 'x-ms-blob-type' = 'BlockBlob' } -ContentType 'application/json; charset=utf-8' -Body ([System.Text.Encoding]::UTF8.GetBytes($json)) | Out-Null
}
$results
