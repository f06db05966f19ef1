<#
.SYNOPSIS
    Azure Automation runbook: mailbox-size report to CSV, signed in with the account's managed identity.
.DESCRIPTION
    Signs in to Exchange Online with the Automation account's managed identity (no secret or certificate
    to rotate), pipes every mailbox into Get-EXOMailboxStatistics, writes name, address, type, item count
    and size (as Exchange prints it, "1.234 GB (1,325,234,123 bytes)") to a CSV file, largest first, and
    signs out. The job's output is the CSV's path, the number of mailboxes and their total size.

    Automation account:
      Identity     system-assigned (or a user-assigned one: set ExoAdminManagedIdentityAccountId)
      Variable     ExoAdminOrganization               the tenant's domain, e.g. contoso.onmicrosoft.com
      Variable     ExoAdminManagedIdentityAccountId   optional: the client id of a user-assigned identity
      Variable     ExoAdminConnectionUri              optional: another Exchange endpoint (a sandbox, to rehearse)
      Variable     ExoAdminAuthorityUri               optional: the matching Entra ID authority
    Runtime environment: PowerShell 7.4 with the ExoAdmin package (see README.md beside this runbook).

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
    # One pipeline: the mailboxes stream into Get-EXOMailboxStatistics, which reads several at once
    # (Connect-ExchangeOnline -MaxConcurrency) and writes them in input order. Statistics carry the mailbox's
    # ExchangeGuid as MailboxGuid, not its address: remember each mailbox by it as it passes.
    $mailboxes = @{}
    $rows = Get-EXOMailbox -ResultSize Unlimited -Properties ExchangeGuid |
        ForEach-Object { $mailboxes[$_.ExchangeGuid] = $_; $_ } |
        Get-EXOMailboxStatistics -Properties ItemCount, TotalItemSize -ErrorAction Continue |
        ForEach-Object {
            $mailbox = $mailboxes[$_.MailboxGuid]
            [pscustomobject]@{
                DisplayName          = $mailbox.DisplayName
                PrimarySmtpAddress   = $mailbox.PrimarySmtpAddress
                RecipientTypeDetails = $mailbox.RecipientTypeDetails
                ItemCount            = $_.ItemCount
                # A size, as Exchange prints it: "1.234 GB (1,325,234,123 bytes)", in the CSV too.
                TotalItemSize        = $_.TotalItemSize
            }
        } |
        Sort-Object { $_.TotalItemSize.Value.ToBytes() } -Descending
    $rows | Export-Csv -Path $OutputPath -NoTypeInformation -Encoding utf8

    # The total is a size too: the same type, built from the summed bytes.
    $bytes = [ulong]0
    foreach ($row in $rows) { $bytes += $row.TotalItemSize.Value.ToBytes() }
    $total = $null
    if ($rows) {
        $sizeType = $rows[0].TotalItemSize.Value.GetType()
        $total = $sizeType::new($bytes)
    }
    [pscustomobject]@{ Path = $OutputPath; Mailboxes = @($rows).Count; TotalSize = $total }
}
finally {
    Disconnect-ExchangeOnline -Confirm:$false
}
