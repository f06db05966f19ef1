# Up-to-date checks for the build steps MSBuild does not track: staging the module, publishing the sandbox and
# building help. A step records a fingerprint of its inputs (path, size and write time of each file, as make
# compares times) in out/.stamps/<step>.json once it has succeeded; the next run skips the step while the
# fingerprint is the same and its outputs are still there. 'clean' removes out/ and so every stamp.

function Get-InputFingerprint {
    # One string that changes when any input file is added, removed, resized or rewritten.
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Path)
    $files = foreach ($item in $Path) {
        if (Test-Path -LiteralPath $item -PathType Container) { Get-ChildItem -LiteralPath $item -File -Recurse }
        elseif (Test-Path -LiteralPath $item) { Get-Item -LiteralPath $item }
        else { "missing:$item" }
    }
    $lines = foreach ($file in $files) {
        if ($file -is [string]) { $file } else { '{0}|{1}|{2}' -f $file.FullName, $file.Length, $file.LastWriteTimeUtc.Ticks }
    }
    $bytes = [Text.Encoding]::UTF8.GetBytes((@($lines | Sort-Object) -join "`n"))
    [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes))
}

function Invoke-IfChanged {
    # Runs $Action unless the inputs' fingerprint equals the one recorded when it last succeeded and every
    # output exists. Returns $true when it ran. The stamp is written only after $Action returns, so a failed
    # or interrupted step runs again next time.
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $StampDirectory,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Inputs,
        [Parameter(Mandatory)] [string[]] $Outputs,
        [Parameter(Mandatory)] [scriptblock] $Action
    )
    $stamp = Join-Path $StampDirectory "$Name.json"
    $fingerprint = Get-InputFingerprint -Path $Inputs
    $outputsExist = -not ($Outputs | Where-Object { -not (Test-Path -LiteralPath $_) })
    if ($outputsExist -and (Test-Path -LiteralPath $stamp) -and (Get-Content -Raw -LiteralPath $stamp | ConvertFrom-Json).fingerprint -eq $fingerprint) {
        Write-Host "${Name}: up to date"
        return $false
    }
    Remove-Item -LiteralPath $stamp -ErrorAction SilentlyContinue
    & $Action
    New-Item -ItemType Directory -Force -Path $StampDirectory | Out-Null
    # The fingerprint taken before the step: an input changed while it ran makes the next run do it again.
    @{ fingerprint = $fingerprint } | ConvertTo-Json | Set-Content -LiteralPath $stamp
    return $true
}

Export-ModuleMember -Function Get-InputFingerprint, Invoke-IfChanged
