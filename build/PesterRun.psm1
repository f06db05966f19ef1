# Runs Pester files on parallel workers (build/PesterWorker.ps1), each a child pwsh with its own shared sandbox, and
# merges what they report: one NUnit file (out/test-results/pester.xml) and one set of counts. Files are queued
# longest first by the last run's times (out/test-results/pester-times.json), by size on a first run; a worker takes
# the next file when it finishes one, so a slow file never waits behind a queue of quick ones.

Import-Module (Join-Path $PSScriptRoot 'Staging.psm1')

function Get-TestDependency {
    # Pester and the older MSAL the isolation test loads, from NuGet (build/TestDependencies.proj), restored only
    # when missing from the package cache. Returns the path of Pester.psd1.
    param([Parameter(Mandatory)] [string] $Root)
    $packages = $env:NUGET_PACKAGES ?? (Join-Path $HOME '.nuget/packages')
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $msal = Join-Path $packages 'microsoft.identity.client/4.61.3/lib/netstandard2.0/Microsoft.Identity.Client.dll'
    if (-not ((Test-Path $pester) -and (Test-Path $msal))) {
        Invoke-Native dotnet restore (Join-Path $Root 'build/TestDependencies.proj') --nologo -v quiet
    }
    $env:EXOADMIN_CONFLICTING_MSAL = $msal
    $pester
}

function Invoke-PesterRun {
    # Returns @{ Passed; Failed; Skipped }.
    param(
        [Parameter(Mandatory)] [string] $Root,
        [Parameter(Mandatory)] [string[]] $Path,
        [Parameter(Mandatory)] [string] $ResultsDirectory,
        [string[]] $Tag = @(),
        [string[]] $ExcludeTag = @(),
        [ValidateRange(1, 16)] [int] $Workers = 2
    )
    $files = @($Path | ForEach-Object { if (Test-Path -LiteralPath $_ -PathType Container) { Get-ChildItem -LiteralPath $_ -Filter '*.Tests.ps1' -Recurse } else { Get-Item -LiteralPath $_ } } |
            Select-Object -ExpandProperty FullName -Unique)
    if ($files.Count -eq 0) { Write-Warning 'No Pester test file in the given paths.'; return @{ Passed = 0; Failed = 0; Skipped = 0 } }
    $pester = Get-TestDependency -Root $Root

    $runDirectory = Join-Path $ResultsDirectory 'pester'
    Remove-Item -Recurse -Force $runDirectory -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $runDirectory | Out-Null
    $timesFile = Join-Path $ResultsDirectory 'pester-times.json'
    $times = if (Test-Path $timesFile) { Get-Content -Raw $timesFile | ConvertFrom-Json -AsHashtable } else { @{} }
    $queue = Join-Path $runDirectory 'queue.txt'
    $files | Sort-Object { if ($times.ContainsKey((Split-Path -Leaf $_))) { $times[(Split-Path -Leaf $_)] } else { (Get-Item $_).Length / 1000 } } -Descending |
        Set-Content -LiteralPath $queue

    # What the workers and the helpers find everything by. One CA for the run (out/test-results/ca, kept between runs;
    # the first sandbox started with it creates it), which ExoAdmin trusts for loopback hosts only through
    # EXOADMIN_SANDBOX_CA_FILE, in the workers and every pwsh a test starts: no process trusts it for anything else.
    $caDirectory = Join-Path $ResultsDirectory 'ca'
    $environment = @{
        EXOADMIN_MODULE_PATH     = Join-Path $Root 'out/ExoAdmin/ExoAdmin.psd1'
        EXOADMIN_SANDBOX_PATH    = Join-Path $Root 'out/sandbox/ExoAdmin.Sandbox.dll'
        EXOADMIN_SANDBOX_CA_DIR  = $caDirectory
        EXOADMIN_SANDBOX_CA_FILE = Join-Path $caDirectory 'ca.pem'
    }
    $saved = @{}
    foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
    $workerCount = [Math]::Min($Workers, $files.Count)
    $started = [Diagnostics.Stopwatch]::StartNew()
    try {
        $processes = foreach ($n in 1..$workerCount) {
            $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
            $arguments = @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'PesterWorker.ps1'), '-PesterPath', $pester,
                '-QueueFile', $queue, '-ResultsDirectory', $runDirectory, '-Name', "w$n")
            if ($Tag) { $arguments += '-Tag'; $arguments += ($Tag -join ',') }
            if ($ExcludeTag) { $arguments += '-ExcludeTag'; $arguments += ($ExcludeTag -join ',') }
            foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
            $start.UseShellExecute = $false
            [Diagnostics.Process]::Start($start)
        }
        $reported = @{}
        while ($true) {
            $running = @($processes | Where-Object { -not $_.HasExited })
            foreach ($summary in Get-ChildItem -LiteralPath $runDirectory -Filter '*.json' | Where-Object { $_.Name -notlike 'shared-sandbox-*' -and -not $reported[$_.Name] }) {
                $reported[$summary.Name] = $true
                Write-FileSummary (Get-Content -Raw -LiteralPath $summary.FullName | ConvertFrom-Json)
            }
            if ($running.Count -eq 0) { break }
            $null = $running[0].WaitForExit(500)
        }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }

    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($file in $files) {
        $leaf = [IO.Path]::GetFileNameWithoutExtension($file)
        $summaryPath = Join-Path $runDirectory "$leaf.json"
        if (-not (Test-Path $summaryPath)) {
            # A worker that died takes its file's results with it: that is a failure, never a silent gap.
            Write-Host "$(Split-Path -Leaf $file): no result (its worker stopped before it finished; see $runDirectory)" -ForegroundColor Red
            $counts.Failed++
            continue
        }
        $summary = Get-Content -Raw -LiteralPath $summaryPath | ConvertFrom-Json
        $counts.Passed += $summary.passed; $counts.Failed += $summary.failed; $counts.Skipped += $summary.skipped
        $times[(Split-Path -Leaf $file)] = $summary.seconds
    }
    $times | ConvertTo-Json | Set-Content -LiteralPath $timesFile
    Merge-NUnitResult -Path @(Get-ChildItem -LiteralPath $runDirectory -Filter '*.xml' | Select-Object -ExpandProperty FullName) -Destination (Join-Path $ResultsDirectory 'pester.xml')
    Write-Host ("Pester: {0} files on {1} workers in {2:N0} s (logs: {3})" -f $files.Count, $workerCount, $started.Elapsed.TotalSeconds, $runDirectory)
    $counts
}

function Write-FileSummary {
    param([Parameter(Mandatory)] $Summary)
    $line = '[{0}] {1}: {2} passed, {3} failed, {4} skipped in {5} s' -f $Summary.worker, (Split-Path -Leaf $Summary.file), $Summary.passed, $Summary.failed, $Summary.skipped, $Summary.seconds
    Write-Host $line -ForegroundColor $(if ($Summary.failed) { 'Red' } else { 'Green' })
    foreach ($failure in $Summary.failures) {
        Write-Host "    [-] $($failure.name)" -ForegroundColor Red
        Write-Host (($failure.message -split "`n" | ForEach-Object { "        $_" }) -join "`n")
    }
}

function Merge-NUnitResult {
    # One NUnit 2.5 document from the workers' per-file ones: every file's test-suite under one root, totals summed.
    param([Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Path, [Parameter(Mandatory)] [string] $Destination)
    if ($Path.Count -eq 0) { return }
    $documents = @($Path | Sort-Object | ForEach-Object { [xml](Get-Content -Raw -LiteralPath $_) })
    $merged = $documents[0].Clone()
    $root = $merged.DocumentElement
    $results = $root.SelectSingleNode('test-suite/results')
    foreach ($document in $documents | Select-Object -Skip 1) {
        foreach ($suite in $document.DocumentElement.SelectNodes('test-suite/results/test-suite')) { $null = $results.AppendChild($merged.ImportNode($suite, $true)) }
    }
    foreach ($attribute in 'total', 'errors', 'failures', 'not-run', 'inconclusive', 'ignored', 'skipped', 'invalid') {
        $root.SetAttribute($attribute, [string](($documents | ForEach-Object { [int]$_.DocumentElement.GetAttribute($attribute) } | Measure-Object -Sum).Sum))
    }
    $suiteNode = $root.SelectSingleNode('test-suite')
    $suiteNode.SetAttribute('time', [string](($documents | ForEach-Object { [double]$_.DocumentElement.SelectSingleNode('test-suite').GetAttribute('time') } | Measure-Object -Sum).Sum))
    $failed = [int]$root.GetAttribute('failures') + [int]$root.GetAttribute('errors')
    $suiteNode.SetAttribute('result', $(if ($failed) { 'Failure' } else { 'Success' }))
    $suiteNode.SetAttribute('success', $(if ($failed) { 'False' } else { 'True' }))
    $merged.Save($Destination)
}

Export-ModuleMember -Function Get-TestDependency, Invoke-PesterRun
