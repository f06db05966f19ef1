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

function Get-StepState {
    # Whether a step is up to date: the inputs' fingerprint equals the one recorded when it last succeeded and every
    # output exists. The state carries the fingerprint taken now, for Complete-Step once the step has succeeded.
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $StampDirectory,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Inputs,
        [Parameter(Mandatory)] [string[]] $Outputs
    )
    $stamp = Join-Path $StampDirectory "$Name.json"
    $fingerprint = Get-InputFingerprint -Path $Inputs
    $outputsExist = -not ($Outputs | Where-Object { -not (Test-Path -LiteralPath $_) })
    $current = $outputsExist -and (Test-Path -LiteralPath $stamp) -and (Get-Content -Raw -LiteralPath $stamp | ConvertFrom-Json).fingerprint -eq $fingerprint
    # A step about to run loses its stamp first, so a failed or interrupted one runs again next time.
    if (-not $current) { Remove-Item -LiteralPath $stamp -ErrorAction SilentlyContinue }
    [pscustomobject]@{ Name = $Name; Current = $current; Stamp = $stamp; Fingerprint = $fingerprint }
}

function Complete-Step {
    # Records that the step succeeded. The fingerprint is the one taken before it ran: an input changed while it ran
    # makes the next run do it again.
    param([Parameter(Mandatory)] $State)
    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $State.Stamp) | Out-Null
    @{ fingerprint = $State.Fingerprint } | ConvertTo-Json | Set-Content -LiteralPath $State.Stamp
}

function Invoke-IfChanged {
    # Runs $Action unless the step is up to date (Get-StepState). Returns $true when it ran.
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $StampDirectory,
        [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Inputs,
        [Parameter(Mandatory)] [string[]] $Outputs,
        [Parameter(Mandatory)] [scriptblock] $Action
    )
    $state = Get-StepState -Name $Name -StampDirectory $StampDirectory -Inputs $Inputs -Outputs $Outputs
    if ($state.Current) {
        Write-Host "${Name}: up to date"
        return $false
    }
    & $Action
    Complete-Step -State $state
    return $true
}

Export-ModuleMember -Function Get-InputFingerprint, Get-StepState, Complete-Step, Invoke-IfChanged
