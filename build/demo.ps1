# The admin's first job, run against a sandbox tenant exactly as against production: sign in
# app-only with a certificate, look at the mailboxes by type, export them to CSV, report mailbox sizes,
# sign out.
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxInfo,
    [Parameter(Mandatory)] [string] $CsvPath
)
$ErrorActionPreference = 'Stop'
$sandbox = $SandboxInfo | ConvertFrom-Json
$tenant = $sandbox.tenants[0]

Import-Module $ModulePath
$started = [System.Diagnostics.Stopwatch]::StartNew()

$password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization `
    -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
    -ConnectionUri $sandbox.connectionUri -AzureADAuthorizationEndpointUri $sandbox.azureADAuthorizationEndpointUri `
    -ShowBanner:$false
$connectedAfter = $started.Elapsed

Get-ConnectionInformation | Format-List Name, State, Organization, TenantID, AppId, TokenStatus, TokenExpiryTimeUTC

Write-Host 'Mailboxes by type:'
Get-EXOMailbox -ResultSize Unlimited | Group-Object RecipientTypeDetails -NoElement | Sort-Object Count -Descending | Format-Table Count, Name -AutoSize

Get-EXOMailbox -ResultSize Unlimited | Select-Object DisplayName, PrimarySmtpAddress | Export-Csv -Path $CsvPath -NoTypeInformation
$rows = @(Import-Csv $CsvPath).Count

# The mailbox-size report, as admins write it: statistics per mailbox, sizes exported as Exchange prints them.
$sizesCsv = Join-Path (Split-Path $CsvPath) 'mailbox-sizes.csv'
$sizeStarted = $started.Elapsed
Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxStatistics | Select DisplayName, TotalItemSize | Export-Csv $sizesCsv -NoTypeInformation
$sizeTook = $started.Elapsed - $sizeStarted
Write-Host 'Largest mailboxes:'
Get-EXOMailbox -ResultSize 200 | Get-EXOMailboxStatistics |
    Sort-Object { $_.TotalItemSize.Value.ToBytes() } -Descending | Select-Object -First 5 |
    Format-Table DisplayName, ItemCount, TotalItemSize -AutoSize

Disconnect-ExchangeOnline -Confirm:$false
Write-Host ("Exported {0} mailboxes of {1} to {2}" -f $rows, $tenant.organization, $CsvPath)
Write-Host ("Exported {0} mailbox sizes to {1} in {2:N2} s" -f @(Import-Csv $sizesCsv).Count, $sizesCsv, $sizeTook.TotalSeconds)
Write-Host ("Connected in {0:N2} s; whole job {1:N2} s. Disconnected." -f $connectedAfter.TotalSeconds, $started.Elapsed.TotalSeconds)
