<#
.SYNOPSIS
    Azure Automation runbook: mailbox-size report to CSV, signed in with the account's managed identity.
.DESCRIPTION
    Signs in to Exchange Online with the Automation account's managed identity (no secret or certificate
    to rotate), reads every mailbox's statistics, writes name, address, type, item count and size in
    bytes to a CSV file sorted by size, and signs out.

    Automation account:
      Identity     system-assigned (or a user-assigned one: set ExoAdminManagedIdentityAccountId)
      Variable     ExoAdminOrganization               the tenant's domain, e.g. contoso.onmicrosoft.com
      Variable     ExoAdminManagedIdentityAccountId   optional: the client id of a user-assigned identity
      Variable     ExoAdminConnectionUri              optional: another Exchange endpoint (a sandbox, to rehearse)
      Variable     ExoAdminAuthorityUri               optional: the matching Entra ID authority
    Modules: ExoAdmin (PowerShell 7.4 runtime).

    The identity needs the Exchange.ManageAsApp permission and an Exchange role that can read mailboxes
    and their statistics (View-Only Recipients and View-Only Configuration).
.PARAMETER OutputPath
    Where the CSV goes; by default a time-stamped file in the job's temporary folder.
#>
[CmdletBinding()]
param(
    [string] $OutputPath = (Join-Path ([System.IO.Path]::GetTempPath()) ("mailbox-sizes-{0:yyyyMMdd-HHmmss}.csv" -f [datetime]::UtcNow))
)

$ErrorActionPreference = 'Stop'

function Get-OptionalAutomationVariable([string] $Name) {
    try { Get-AutomationVariable -Name $Name } catch { $null }
}

$connect = @{
    ManagedIdentity = $true
    Organization    = Get-AutomationVariable -Name 'ExoAdminOrganization'
    ShowBanner      = $false
}
if ($accountId = Get-OptionalAutomationVariable 'ExoAdminManagedIdentityAccountId') { $connect.ManagedIdentityAccountId = $accountId }
if ($uri = Get-OptionalAutomationVariable 'ExoAdminConnectionUri') { $connect.ConnectionUri = $uri }
if ($authority = Get-OptionalAutomationVariable 'ExoAdminAuthorityUri') { $connect.AzureADAuthorizationEndpointUri = $authority }

Connect-ExchangeOnline @connect
try {
    $rows = Get-EXOMailbox -ResultSize Unlimited -Properties ExternalDirectoryObjectId |
        ForEach-Object {
            $mailbox = $_
            # Statistics have no address of their own: read them per mailbox and keep the mailbox's.
            $statistics = Get-EXOMailboxStatistics -Identity $mailbox.ExternalDirectoryObjectId -Properties ItemCount, TotalItemSize -ErrorAction Continue
            if (-not $statistics) { return }
            # TotalItemSize prints like "1.234 GB (1,325,234,123 bytes)"; the byte count is what sorts and sums.
            $bytes = if ($statistics.TotalItemSize.IsUnlimited) { 0 } else { $statistics.TotalItemSize.Value.ToBytes() }
            [pscustomobject]@{
                DisplayName          = $mailbox.DisplayName
                PrimarySmtpAddress   = $mailbox.PrimarySmtpAddress
                RecipientTypeDetails = $mailbox.RecipientTypeDetails
                ItemCount            = $statistics.ItemCount
                TotalItemSizeBytes   = $bytes
            }
        }
    $rows | Sort-Object TotalItemSizeBytes -Descending | Export-Csv -Path $OutputPath -NoTypeInformation -Encoding utf8

    [pscustomobject]@{ Path = $OutputPath; Mailboxes = @($rows).Count; TotalBytes = ($rows | Measure-Object TotalItemSizeBytes -Sum).Sum }
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false
}
