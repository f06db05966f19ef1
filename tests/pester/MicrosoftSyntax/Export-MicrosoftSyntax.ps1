<#
.SYNOPSIS
    Writes microsoft-syntax.json: the syntax of Microsoft's compiled cmdlets ExoAdmin implements (Connect-ExchangeOnline,
    Connect-IPPSSession, Disconnect-ExchangeOnline, Get-ConnectionInformation and the nine Get-EXO* cmdlets), taken from
    the cmdlet catalogue (src/Schema/cmdlet-catalogue.json, the facts of Microsoft's public cmdlet reference).
.DESCRIPTION
    Run once when the catalogue changes, and commit the result: MicrosoftSyntax.Tests.ps1 compares ExoAdmin's cmdlets
    with this file, so a difference shows up as a test failure, not as a drift nobody notices. For each cmdlet: its
    parameter sets (the default first) and each parameter's name, type, position (only their order matters: Microsoft's
    reference counts from 0 on some pages and from 1 on others), sets, whether it is required, and its pipeline input.
#>
[CmdletBinding()]
param(
    [string] $Catalogue = (Join-Path $PSScriptRoot '../../../src/Schema/cmdlet-catalogue.json'),
    [string] $OutFile = (Join-Path $PSScriptRoot 'microsoft-syntax.json')
)

$ErrorActionPreference = 'Stop'
$wanted = @(
    'Connect-ExchangeOnline', 'Connect-IPPSSession', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation',
    'Get-EXOMailbox', 'Get-EXOCasMailbox', 'Get-EXORecipient', 'Get-EXOMailboxStatistics', 'Get-EXOMailboxPermission',
    'Get-EXORecipientPermission', 'Get-EXOMailboxFolderStatistics', 'Get-EXOMailboxFolderPermission', 'Get-EXOMobileDeviceStatistics')
$reference = Get-Content -Raw $Catalogue | ConvertFrom-Json
$cmdlets = [ordered]@{}
foreach ($name in $wanted) {
    $entry = $reference.cmdlets | Where-Object { $_.name -ceq $name }
    if (-not $entry) { throw "The catalogue has no $name." }
    $cmdlets[$name] = [ordered]@{
        defaultSet = ($entry.parameterSets | Where-Object default | Select-Object -First 1).name
        sets       = @($entry.parameterSets.name)
        parameters = @($entry.parameters | ForEach-Object {
                [ordered]@{
                    name                  = $_.name
                    type                  = $_.type
                    position              = $_.position
                    sets                  = @($_.sets)
                    required              = [bool]$_.required
                    valueFromPipeline     = [bool]$_.pipeline.byValue
                    valueFromPipelineByPropertyName = [bool]$_.pipeline.byPropertyName
                }
            })
    }
}

# One line per parameter, so a change to Microsoft's reference is a one-line diff.
$text = [System.Text.StringBuilder]::new()
[void]$text.Append("{`n  `"source`": $($reference.source | ConvertTo-Json),`n  `"cmdlets`": {")
$first = $true
foreach ($name in $cmdlets.Keys) {
    $cmdlet = $cmdlets[$name]
    [void]$text.Append($(if ($first) { "`n" } else { ",`n" })).Append("    `"$name`": {`n")
    [void]$text.Append("      `"defaultSet`": $($cmdlet.defaultSet | ConvertTo-Json), `"sets`": $(ConvertTo-Json -Compress -InputObject $cmdlet.sets),`n")
    [void]$text.Append("      `"parameters`": [`n        ")
    [void]$text.Append((($cmdlet.parameters | ForEach-Object { ConvertTo-Json -Compress -InputObject $_ }) -join ",`n        "))
    [void]$text.Append("`n      ]`n    }")
    $first = $false
}
[void]$text.Append("`n  }`n}`n")
Set-Content -Path $OutFile -Value $text.ToString() -Encoding utf8 -NoNewline
Write-Verbose "Wrote $($cmdlets.Count) cmdlets to $OutFile."
