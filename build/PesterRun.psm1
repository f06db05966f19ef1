# Runs Pester files on parallel workers (build/PesterWorker.ps1), each a child pwsh with its own shared sandbox, and
# merges what they report: one NUnit file (out/test-results/pester.xml) and one set of counts. Files are queued
# longest first by the last run's times (out/test-results/pester-times.json), by size on a first run; a worker takes
# the next file when it finishes one, so a slow file never waits behind a queue of quick ones.

Import-Module (Join-Path $PSScriptRoot 'Staging.psm1')

function Get-TestDependency {
    # Pester and the older MSAL the isolation test loads, from NuGet (build/TestDependencies.proj), restored only
    # when missing from the package cache. Returns their paths (Pester.psd1 and the MSAL DLL).
    param([Parameter(Mandatory)] [string] $Root)
    $packages = $env:NUGET_PACKAGES ?? (Join-Path $HOME '.nuget/packages')
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $msal = Join-Path $packages 'microsoft.identity.client/4.61.3/lib/netstandard2.0/Microsoft.Identity.Client.dll'
    if (-not ((Test-Path $pester) -and (Test-Path $msal))) {
        Invoke-Native dotnet restore (Join-Path $Root 'build/TestDependencies.proj') --nologo -v quiet
    }
    [pscustomobject]@{ Pester = $pester; ConflictingMsal = $msal }
}

function Start-PesterRun {
    # Starts the workers on the files under -Path and returns the run, for Wait-PesterRun; the caller may do other
    # work meanwhile (the test task runs xunit: the workers spend much of their time waiting on sandboxes).
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
    $runDirectory = Join-Path $ResultsDirectory 'pester'
    Remove-Item -Recurse -Force $runDirectory -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $runDirectory | Out-Null
    $run = [pscustomobject]@{ Files = $files; Directory = $runDirectory; ResultsDirectory = $ResultsDirectory; Processes = @(); Clock = [Diagnostics.Stopwatch]::StartNew() }
    if ($files.Count -eq 0) { Write-Warning 'No Pester test file in the given paths.'; return $run }
    $dependencies = Get-TestDependency -Root $Root

    $times = Read-FileTime -ResultsDirectory $ResultsDirectory
    $queue = Join-Path $runDirectory 'queue.txt'
    $files | Sort-Object { if ($times.ContainsKey((Split-Path -Leaf $_))) { $times[(Split-Path -Leaf $_)] } else { (Get-Item $_).Length / 1000 } } -Descending |
        Set-Content -LiteralPath $queue

    # What the workers and the helpers find everything by. One CA for the run (out/test-results/ca, kept between runs;
    # the first sandbox started with it creates it), which ExoAdmin trusts for loopback hosts only through
    # EXOADMIN_SANDBOX_CA_FILE, in the workers and every pwsh a test starts: no process trusts it for anything else.
    $caDirectory = Join-Path $ResultsDirectory 'ca'
    $environment = @{
        EXOADMIN_MODULE_PATH      = Join-Path $Root 'out/ExoAdmin/ExoAdmin.psd1'
        EXOADMIN_SANDBOX_PATH     = Join-Path $Root 'out/sandbox/ExoAdmin.Sandbox.dll'
        EXOADMIN_SANDBOX_CA_DIR   = $caDirectory
        EXOADMIN_SANDBOX_CA_FILE  = Join-Path $caDirectory 'ca.pem'
        EXOADMIN_CONFLICTING_MSAL = $dependencies.ConflictingMsal
        # PowerShell compiles every script block and binder site it runs into a dynamic method, which the runtime
        # always JIT-compiles fully optimized, and pwsh's own assemblies are not precompiled in the tool: most of a
        # worker's CPU is the JIT. For everything the workers start, a JIT that does not optimize saves far more
        # than its slower code costs: see docs/architecture.md, "Build and tests". Not for xunit's hosts, whose long
        # reads run the engine's own hot loops.
        DOTNET_JITMinOpts         = '1'
    }
    $run.Processes = @(foreach ($n in 1..([Math]::Min($Workers, $files.Count))) {
            $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
            # This pwsh's own pwsh.dll rather than 'dotnet pwsh': the tool's command is a shim process that starts it.
            $arguments = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'PesterWorker.ps1'), '-PesterPath', $dependencies.Pester,
                '-QueueFile', $queue, '-ResultsDirectory', $runDirectory, '-Name', "w$n")
            if ($Tag) { $arguments += '-Tag'; $arguments += ($Tag -join ',') }
            if ($ExcludeTag) { $arguments += '-ExcludeTag'; $arguments += ($ExcludeTag -join ',') }
            foreach ($argument in $arguments) { $start.ArgumentList.Add($argument) }
            foreach ($name in $environment.Keys) { $start.Environment[$name] = $environment[$name] }
            $start.UseShellExecute = $false
            [Diagnostics.Process]::Start($start)
        })
    $run
}

function Wait-PesterRun {
    # Prints a line per file as the workers finish them, then merges their results. Returns @{ Passed; Failed; Skipped }.
    param([Parameter(Mandatory)] $Run)
    $reported = @{}
    while ($true) {
        $running = @($Run.Processes | Where-Object { -not $_.HasExited })
        foreach ($summary in Get-ChildItem -LiteralPath $Run.Directory -Filter '*.json' | Where-Object { $_.Name -notlike 'shared-sandbox-*' -and -not $reported[$_.Name] }) {
            $reported[$summary.Name] = $true
            Write-FileSummary (Get-Content -Raw -LiteralPath $summary.FullName | ConvertFrom-Json)
        }
        if ($running.Count -eq 0) { break }
        $null = $running[0].WaitForExit(500)
    }

    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $times = Read-FileTime -ResultsDirectory $Run.ResultsDirectory
    foreach ($file in $Run.Files) {
        $summaryPath = Join-Path $Run.Directory "$([IO.Path]::GetFileNameWithoutExtension($file)).json"
        if (-not (Test-Path $summaryPath)) {
            # A worker that died takes its file's results with it: that is a failure, never a silent gap.
            Write-Host "$(Split-Path -Leaf $file): no result (its worker stopped before it finished; see $($Run.Directory))" -ForegroundColor Red
            $counts.Failed++
            continue
        }
        $summary = Get-Content -Raw -LiteralPath $summaryPath | ConvertFrom-Json
        $counts.Passed += $summary.passed; $counts.Failed += $summary.failed; $counts.Skipped += $summary.skipped
        $times[(Split-Path -Leaf $file)] = $summary.seconds
    }
    $times | ConvertTo-Json | Set-Content -LiteralPath (Join-Path $Run.ResultsDirectory 'pester-times.json')
    Merge-NUnitResult -Path @(Get-ChildItem -LiteralPath $Run.Directory -Filter '*.xml' | Select-Object -ExpandProperty FullName) -Destination (Join-Path $Run.ResultsDirectory 'pester.xml')
    Write-Host ("Pester: {0} files on {1} workers in {2:N0} s (logs: {3})" -f $Run.Files.Count, $Run.Processes.Count, $Run.Clock.Elapsed.TotalSeconds, $Run.Directory)
    $counts
}

function Read-FileTime {
    # How long each file took in the last run, by file name (queue order: longest first).
    param([Parameter(Mandatory)] [string] $ResultsDirectory)
    $timesFile = Join-Path $ResultsDirectory 'pester-times.json'
    if (Test-Path $timesFile) { Get-Content -Raw $timesFile | ConvertFrom-Json -AsHashtable } else { @{} }
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

Export-ModuleMember -Function Get-TestDependency, Start-PesterRun, Wait-PesterRun
