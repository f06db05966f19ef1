<#
.SYNOPSIS
    Azure Automation runbook: mailbox inventory to CSV, signed in app-only with a certificate.
.DESCRIPTION
    Signs in to Exchange Online as an app registration with the certificate stored in the Automation
    account, writes every mailbox's name, address, type, archive and hold state and creation date to a
    CSV file, and signs out.

    Automation account assets:
      Certificate  ExoAdminApp            the app's certificate, with its private key (.pfx upload)
      Variable     ExoAdminAppId          the app's application (client) id
      Variable     ExoAdminOrganization   the tenant's domain, e.g. contoso.onmicrosoft.com
      Variable     ExoAdminConnectionUri  optional: another Exchange endpoint (a sandbox, to rehearse)
      Variable     ExoAdminAuthorityUri   optional: the matching Entra ID authority
    Runtime environment: PowerShell 7.4 with the ExoAdmin package (see README.md beside this runbook).

    The app needs the Exchange.ManageAsApp permission and an Exchange role that can read mailboxes
    (View-Only Recipients is enough).
.PARAMETER OutputPath
    Where the CSV goes; by default a time-stamped file in the job's temporary folder. The runbook's output
    is an object with the path and the number of mailboxes, for a next step (upload to storage, mail).
#>
[CmdletBinding()]
param(
    [string] $CertificateName = 'ExoAdminApp',
    [string] $OutputPath = (Join-Path ([System.IO.Path]::GetTempPath()) ("mailbox-inventory-{0:yyyyMMdd-HHmmss}.csv" -f [datetime]::UtcNow))
)

$ErrorActionPreference = 'Stop'

function Get-OptionalAutomationVariable([string] $Name) {
    # Get-AutomationVariable fails for a variable the account does not have; optional ones may be absent.
    try { Get-AutomationVariable -Name $Name } catch { $null }
}

$connect = @{
    AppId        = Get-AutomationVariable -Name 'ExoAdminAppId'
    Organization = Get-AutomationVariable -Name 'ExoAdminOrganization'
    Certificate  = Get-AutomationCertificate -Name $CertificateName
    ShowBanner   = $false
}
if ($uri = Get-OptionalAutomationVariable 'ExoAdminConnectionUri') { $connect.ConnectionUri = $uri }
if ($authority = Get-OptionalAutomationVariable 'ExoAdminAuthorityUri') { $connect.AzureADAuthorizationEndpointUri = $authority }

Connect-ExchangeOnline @connect
try {
    $count = 0
    Get-EXOMailbox -ResultSize Unlimited -Properties ArchiveStatus, LitigationHoldEnabled, WhenCreatedUTC |
        ForEach-Object {
            $count++
            [pscustomobject]@{
                DisplayName           = $_.DisplayName
                PrimarySmtpAddress    = $_.PrimarySmtpAddress
                RecipientTypeDetails  = $_.RecipientTypeDetails
                ArchiveStatus         = $_.ArchiveStatus
                LitigationHoldEnabled = $_.LitigationHoldEnabled
                WhenCreatedUTC        = $_.WhenCreatedUTC.ToString('o')
            }
        } |
        Export-Csv -Path $OutputPath -NoTypeInformation -Encoding utf8

    Write-Verbose "Wrote $count mailboxes to $OutputPath."
    [pscustomobject]@{ Path = $OutputPath; Mailboxes = $count }
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false
}
