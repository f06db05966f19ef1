# The test tiers and what each one builds and runs (see docs/architecture.md, "Build and tests"):
#   Unit     xunit of the engine and the cmdlet assembly: no sandbox, no process, seconds (all but the Hostile trait).
#   Sandbox  xunit against in-process servers: the sandbox (everything in tests/ExoAdmin.Sandbox.Tests but the
#            Process trait) and the hostile HTTPS server the request path is tested against (the Hostile trait).
#   E2E      the products as processes: Pester through the cmdlets against the staged module and sandbox,
#            and the sandbox's process contract (xunit tests with [Trait("Category", "Process")]).
# -Path narrows a run to test files or folders (a .cs file selects the test classes it declares, a Pester
# file or folder the Pester tests in it); -Tag and -ExcludeTag become Pester tag filters and xunit
# Category trait filters.

Import-Module (Join-Path $PSScriptRoot 'Staging.psm1')

$Tiers = [ordered]@{
    # Unit is all but the Hostile trait in both projects (the cmdlet tests have none today).
    Unit    = @{ Xunit = @(@{ Project = 'tests/ExoAdmin.Engine.Tests'; Filter = 'Category!=Hostile' }, @{ Project = 'tests/ExoAdmin.Commands.Tests'; Filter = 'Category!=Hostile' }); Build = @(); Pester = $false }
    Sandbox = @{ Xunit = @(@{ Project = 'tests/ExoAdmin.Sandbox.Tests'; Filter = 'Category!=Process' }, @{ Project = 'tests/ExoAdmin.Engine.Tests'; Filter = 'Category=Hostile' }); Build = @(); Pester = $false }
    E2E     = @{
        Xunit  = @(@{ Project = 'tests/ExoAdmin.Sandbox.Tests'; Filter = 'Category=Process' })
        # What the staged module and sandbox are made from.
        Build  = @(Get-ProductProject)
        Pester = $true
    }
}

function Get-TestTierName { $Tiers.Keys }

function Resolve-TestSelection {
    # What to build and run for the given tiers, paths and tags. Returns XunitRuns (project + filter), PesterPaths,
    # BuildProjects (folders relative to the root) and Stage (whether the module and sandbox must be staged).
    param([Parameter(Mandatory)] [string] $Root, [string[]] $Tier, [string[]] $Path, [string[]] $Tag, [string[]] $ExcludeTag)
    $pesterRoot = [IO.Path]::GetFullPath((Join-Path $Root 'tests/pester'))
    $xunitPaths = @{}   # project -> list of class-name filters (empty list: the whole project)
    $pesterPaths = [Collections.Generic.List[string]]::new()
    foreach ($item in $Path) {
        $full = [IO.Path]::GetFullPath($item, (Get-Location).Path)
        if (-not (Test-Path -LiteralPath $full)) { throw "-Path '$item' does not exist." }
        if ($full -eq $pesterRoot -or $full.StartsWith($pesterRoot + [IO.Path]::DirectorySeparatorChar)) { $pesterPaths.Add($full); continue }
        $project = Get-TestProjectOf -Root $Root -Path $full
        if (-not $project) { throw "-Path '$item' is neither in tests/pester nor in a test project under tests/." }
        if (-not $xunitPaths.ContainsKey($project)) { $xunitPaths[$project] = [Collections.Generic.List[string]]::new() }
        if ($full.EndsWith('.cs')) {
            $classes = [regex]::Matches((Get-Content -Raw -LiteralPath $full), '\bclass\s+(\w+)') | ForEach-Object { $_.Groups[1].Value }
            foreach ($class in $classes) { $xunitPaths[$project].Add("FullyQualifiedName~.$class.") }
        }
        elseif ($xunitPaths[$project].Count -eq 0) { $xunitPaths[$project] = $null }   # a folder or the project: all of it
    }

    if (-not $Tier) {
        # Without -Tier, every tier that the paths reach (or all of them when no path is given).
        $Tier = if (-not $Path) { @($Tiers.Keys) } else {
            @($Tiers.Keys | Where-Object {
                    $definition = $Tiers[$_]
                    ($definition.Pester -and $pesterPaths.Count) -or ($definition.Xunit | Where-Object { $xunitPaths.ContainsKey($_.Project) })
                })
        }
    }

    $runs = [Collections.Generic.List[object]]::new()
    $build = [Collections.Generic.List[string]]::new()
    $pester = [Collections.Generic.List[string]]::new()
    foreach ($name in $Tier) {
        $definition = $Tiers[$name]
        foreach ($run in $definition.Xunit) {
            if ($Path -and -not $xunitPaths.ContainsKey($run.Project)) { continue }
            $filters = @($run.Filter) + @(Join-Filter -Operator '|' -Term ($xunitPaths[$run.Project])) +
                @(Join-Filter -Operator '|' -Term @(foreach ($t in $Tag) { "Category=$t" })) +
                @(foreach ($t in $ExcludeTag) { "Category!=$t" })
            $runs.Add([pscustomobject]@{ Tier = $name; Project = $run.Project; Filter = (Join-Filter -Operator '&' -Term $filters) })
            $build.Add($run.Project)
        }
        $build.AddRange([string[]]$definition.Build)
        if ($definition.Pester -and (-not $Path -or $pesterPaths.Count)) {
            if ($pesterPaths.Count) { $pester.AddRange($pesterPaths) } else { $pester.Add($pesterRoot) }
        }
    }
    [pscustomobject]@{
        Tiers         = @($Tier)
        XunitRuns     = $runs.ToArray()
        PesterPaths   = @($pester | Select-Object -Unique)
        BuildProjects = @($build | Select-Object -Unique)
        Stage         = [bool]($Tier | Where-Object { $Tiers[$_].Pester })
    }
}

function Get-TestProjectOf {
    # The test project folder (relative, forward slashes) that a path lies in, or $null.
    param([string] $Root, [string] $Path)
    foreach ($project in Get-ChildItem -Path (Join-Path $Root 'tests') -Filter '*.csproj' -Recurse -Depth 1) {
        $folder = $project.Directory.FullName
        if ($Path -eq $folder -or $Path -eq $project.FullName -or $Path.StartsWith($folder + [IO.Path]::DirectorySeparatorChar)) {
            return [IO.Path]::GetRelativePath($Root, $folder).Replace('\', '/')
        }
    }
}

function Join-Filter {
    # Joins VSTest filter terms with & or |, parenthesising each; nothing for no terms.
    param([string] $Operator, [string[]] $Term)
    $Term = @($Term | Where-Object { $_ })
    if ($Term.Count -eq 0) { return }
    if ($Term.Count -eq 1) { return $Term[0] }
    ($Term | ForEach-Object { "($_)" }) -join $Operator
}

function New-SolutionFilter {
    # A solution filter (.slnf) of the given project folders, so one 'dotnet build' or 'dotnet test' handles them
    # all, in parallel, and their references. Written under out/ and returned.
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [string[]] $Project)
    $folder = New-Item -ItemType Directory -Force -Path (Join-Path $Root 'out/build')
    $projects = foreach ($p in $Project) {
        $file = Get-ChildItem -Path (Join-Path $Root $p) -Filter '*.csproj' | Select-Object -First 1
        [IO.Path]::GetRelativePath($Root, $file.FullName).Replace('\', '/')
    }
    $filterPath = Join-Path $folder "$Name.slnf"
    @{ solution = @{ path = [IO.Path]::GetRelativePath($folder.FullName, (Join-Path $Root 'ExoAdmin.sln')).Replace('\', '/'); projects = @($projects) } } |
        ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $filterPath
    $filterPath
}

function Invoke-XunitRun {
    # Runs xunit with one 'dotnet test' on the built test assemblies of the whole selection (no MSBuild evaluation),
    # each test host started once and the assemblies side by side. Runs with different filters share it, each filter
    # narrowed to its own project's tests by namespace: every test lives in the namespace named after its project
    # (TierTests holds that). Returns @{ Passed; Failed; Skipped } from the TRX files.
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Run,
        [Parameter(Mandatory)] [string] $Configuration, [Parameter(Mandatory)] [string] $ResultsDirectory)
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    if ($Run.Count -eq 0) { return $counts }
    Remove-Item -Recurse -Force $ResultsDirectory -ErrorAction SilentlyContinue
    $assemblies = foreach ($project in @($Run.Project | Select-Object -Unique)) {
        $name = Split-Path -Leaf $project
        $built = @(Get-ChildItem -Path (Join-Path $Root "$project/bin/$Configuration") -Filter "$name.dll" -Recurse -Depth 1 -ErrorAction SilentlyContinue)
        if ($built.Count -ne 1) { throw "$project is not built for $Configuration (expected one $name.dll under its bin/$Configuration)." }
        $built[0].FullName
    }
    $filter = if (@($Run | ForEach-Object { "$($_.Filter)" } | Select-Object -Unique).Count -eq 1) { $Run[0].Filter } else {
        Join-Filter -Operator '|' -Term @(foreach ($r in $Run) { Join-Filter -Operator '&' -Term @("FullyQualifiedName~$(Split-Path -Leaf $r.Project).", $r.Filter) })
    }

    $arguments = @('test') + $assemblies + @('--nologo', '--logger', 'trx', '--logger', 'console;verbosity=minimal', '--results-directory', $ResultsDirectory)
    if ($filter) { $arguments += '--filter', $filter }
    # Every assembly at once, each in its own test host.
    $arguments += '--', 'RunConfiguration.MaxCpuCount=0'
    Write-Host "xunit ($(($Run.Tier | Select-Object -Unique) -join ', '))$(if ($filter) { ": $filter" })"
    & dotnet @arguments | Out-Host
    # 'dotnet test' fails when a test fails (counted below from the TRX) or when the runner itself fails.
    $runnerFailed = $LASTEXITCODE -ne 0
    # No TRX at all with a clean exit: the filters matched no test (e.g. -Tag Browser, a Pester-only tag).
    $trxFiles = @(Get-ChildItem -Path $ResultsDirectory -Filter *.trx -ErrorAction SilentlyContinue)
    foreach ($file in $trxFiles) {
        $summary = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun.ResultSummary.Counters
        $counts.Passed += [int]$summary.passed
        $counts.Failed += [int]$summary.failed + [int]$summary.error + [int]$summary.timeout + [int]$summary.aborted
        $counts.Skipped += [int]$summary.notExecuted
    }
    if ($runnerFailed -and $counts.Failed -eq 0) { $counts.Failed = 1 }   # the runner failed without a failed test
    return $counts
}

Export-ModuleMember -Function Get-TestTierName, Resolve-TestSelection, New-SolutionFilter, Invoke-XunitRun
