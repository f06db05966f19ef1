# One Pester worker of a test run (started by build/PesterRun.psm1 in its own pwsh, so the module's DLLs never load
# into the build's process): starts the worker's shared sandbox, then takes test files from the run's queue one at a
# time until none is left, running each with Invoke-Pester. For each file it writes <name>.log (Pester's detailed
# output), <name>.xml (NUnit) and <name>.json (counts, time, failures) to the results folder; the runner reads the
# summaries as they appear and prints one line per file, so two workers' output never interleaves.
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $QueueFile,
    [Parameter(Mandatory)] [string] $ResultsDirectory,
    [Parameter(Mandatory)] [string] $Name,
    [string[]] $Tag = @(),
    [string[]] $ExcludeTag = @()
)
$ErrorActionPreference = 'Stop'
# A pwsh -File argument is one string: the runner joins several tags with commas.
$Tag = @($Tag -split ',' | Where-Object { $_ })
$ExcludeTag = @($ExcludeTag -split ',' | Where-Object { $_ })
Import-Module $PesterPath
Import-Module (Join-Path $PSScriptRoot '../tests/pester/TestHelpers.psm1')

$files = @(Get-Content -LiteralPath $QueueFile)
$claims = New-Item -ItemType Directory -Force -Path (Join-Path $ResultsDirectory 'claims')
# Without a shared sandbox (it failed to start) every file starts its own, as from a clone: slower, still right.
$shared = try { Start-SharedTestSandbox -InfoPath (Join-Path $ResultsDirectory "shared-sandbox-$Name.json") }
catch { Write-Warning "[$Name] no shared sandbox, each file starts its own: $_"; $null }
try {
    for ($i = 0; $i -lt $files.Count; $i++) {
        # Claiming a file is creating its marker: exactly one worker succeeds, whichever asks first.
        try { [IO.File]::Open((Join-Path $claims $i), [IO.FileMode]::CreateNew).Dispose() }
        catch [IO.IOException] { continue }

        $file = $files[$i]
        $base = Join-Path $ResultsDirectory ([IO.Path]::GetFileNameWithoutExtension($file))
        $config = New-PesterConfiguration
        $config.Run.Path = $file
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $config.Output.RenderMode = 'Plaintext'
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputFormat = 'NUnitXml'
        $config.TestResult.OutputPath = "$base.xml"
        if ($Tag) { $config.Filter.Tag = $Tag }
        if ($ExcludeTag) { $config.Filter.ExcludeTag = $ExcludeTag }
        # Pester writes its report to the information stream; the result object stays in the output stream.
        try {
            $result = Invoke-Pester -Configuration $config 6> "$base.log"
            if ($null -eq $result) { throw "Invoke-Pester returned no result; its output is in $base.log." }
            $failures = @($result.Failed | ForEach-Object { [ordered]@{ name = $_.ExpandedPath; message = "$($_.ErrorRecord | Select-Object -First 1)" } }) +
                @($result.FailedBlocks + $result.FailedContainers | ForEach-Object { [ordered]@{ name = "$($_.Name) (set-up or tear-down)"; message = "$($_.ErrorRecord | Select-Object -First 1)" } })
            $summary = [ordered]@{
                passed  = $result.PassedCount
                failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
                # Tests a filter left out are not skipped tests; without a filter, a test not run is one its set-up stopped.
                skipped = $result.SkippedCount + $(if ($Tag -or $ExcludeTag) { 0 } else { $result.NotRunCount })
                seconds = [math]::Round($result.Duration.TotalSeconds, 1)
                failures = $failures
            }
        }
        catch {
            # Pester itself failed (e.g. writing the NUnit report): the file counts as failed, with the reason.
            $summary = [ordered]@{ passed = 0; failed = 1; skipped = 0; seconds = 0; failures = @(@{ name = 'Invoke-Pester'; message = "$_" }) }
            Remove-Item -LiteralPath "$base.xml" -ErrorAction SilentlyContinue
        }
        # Written whole, then renamed: the runner never reads half a summary.
        ([ordered]@{ file = $file; worker = $Name } + $summary) | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath "$base.json.tmp"
        Move-Item -LiteralPath "$base.json.tmp" -Destination "$base.json" -Force
    }
}
finally {
    if ($shared) { $shared | Stop-ExoSandbox }   # TestHelpers' (the last file re-imported it): stops a sandbox with a process
}
