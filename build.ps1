#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates ExoAdmin.
.DESCRIPTION
    Run as `dotnet pwsh ./build.ps1 <task>` after `dotnet tool restore`.
      build    compile everything; stage the module at out/ExoAdmin and the sandbox at out/sandbox
      test     build what the chosen tests need, run them; ends with one line "N passed, N failed, N skipped".
               -Tier Unit|Sandbox|E2E (any of them; default all): Unit is the engine's and the cmdlet assembly's
               xunit tests (no sandbox, no process), Sandbox the sandbox's xunit tests in-process, E2E the Pester
               tests through the cmdlets and the sandbox's process contract. -Path runs only the given test files or
               folders (Pester files, or xunit .cs files and projects); -Tag and -ExcludeTag filter Pester tags and
               xunit Category traits; -Workers sets how many Pester files run at once (default 2).
      demo     build, then run the admin's first job against a sandbox tenant
      sandbox  build, then start a sandbox and print how to connect to it (Enter stops it);
               -SeedFile seeds its tenant from Get-EXOMailbox -PropertySets All | ConvertTo-Json output;
               -Fault 'kind=429;path=/adminapi/*;rate=0.1' (repeatable) and -RateLimit 600/60 misbehave like the service;
               -CaDirectory keeps its CA in a folder across restarts
      package  build, then write out/packages/ExoAdmin.<version>.nupkg and ExoAdmin.Sandbox.<version>.nupkg
      bench    build, then benchmark against the baselines (build/Benchmark.ps1) and write
               docs/benchmarks.md; -Quick for small counts and one run (writes out/benchmarks.md),
               -LatencyMs for the sandbox's per-request latency (default 40)
      clean    remove out/ and the projects' bin/obj folders
    Steps are incremental: 'dotnet build' compiles only what changed, and staging, the sandbox's publish and the
    help are redone only when their inputs changed (build/Incremental.psm1). No task installs anything on the
    machine: a test that needs a missing tool (Chromium) says so and is skipped; CI's .ci/run installs it.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'sandbox', 'package', 'bench', 'clean')]
    [string] $Task = 'build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # test: the tiers to run (default all): Unit, Sandbox, E2E.
    [string[]] $Tier,
    # test: only these test files or folders.
    [string[]] $Path,
    # test: only tests with one of these Pester tags or xunit Category traits.
    [string[]] $Tag,
    # test: no test with one of these tags or traits.
    [string[]] $ExcludeTag,
    # test: Pester files run at once, each worker with its own shared sandbox.
    [ValidateRange(1, 16)]
    [int] $Workers = 2,
    # sandbox: mailboxes for its tenant from a JSON export of a real one.
    [string] $SeedFile,
    # sandbox: fault rules to inject from the start, each 'kind=429;path=/adminapi/*;rate=0.1'.
    [string[]] $Fault,
    # sandbox: every tenant's request budget, REQUESTS/SECONDS.
    [string] $RateLimit,
    # sandbox: keep its CA in this folder, so restarts keep the CA you trusted once.
    [string] $CaDirectory,
    # bench: small counts and one run, for a quick look (the report goes to out/benchmarks.md).
    [switch] $Quick,
    # bench: the sandbox's delay before every Exchange response.
    [int] $LatencyMs = 40
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# From a shell (dotnet pwsh ./build.ps1 test -Tier Unit,Sandbox) a list arrives as one comma-separated string.
$Tier, $Path, $Tag, $ExcludeTag = foreach ($list in $Tier, $Path, $Tag, $ExcludeTag) { , @($list -split ',' | ForEach-Object Trim | Where-Object { $_ }) }
$unknownTier = $Tier | Where-Object { $_ -notin 'Unit', 'Sandbox', 'E2E' }
if ($unknownTier) { throw "Unknown tier '$($unknownTier -join "', '")': the tiers are Unit, Sandbox and E2E." }
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out 'ExoAdmin'
$sandboxDir = Join-Path $out 'sandbox'
# The sandbox as a module of its own (its package): what Azure Automation imports, ExoAdmin, stays without it.
$sandboxModuleDir = Join-Path $out 'ExoAdmin.Sandbox'
$resultsDir = Join-Path $out 'test-results'
Import-Module (Join-Path $root 'build/Staging.psm1') -Force
Import-Module (Join-Path $root 'build/Tiers.psm1') -Force

$productProjects = Get-ProductProject

function Invoke-Compile {
    # 'dotnet build' of the whole solution, or of the given project folders (and what they reference) in one go.
    param([string[]] $Project)
    $target = if ($Project) { New-SolutionFilter -Root $root -Name 'build' -Project $Project } else { Join-Path $root 'ExoAdmin.sln' }
    # Through the compiler server, whatever the environment says (some build machines turn it off): every project
    # then shares one compiler the JIT has already warmed, where a compiler process of its own per project spends
    # about a third more CPU. The task stops the server when it ends (Stop-CompilerServer).
    $script:compilerServerUsed = $true
    Invoke-BuildTool { Invoke-Native dotnet build $target -c $Configuration --nologo -v quiet '-p:UseSharedCompilation=true' }
}

function Publish-Layout {
    # The staged module and sandbox (out/ExoAdmin, out/sandbox, out/ExoAdmin.Sandbox), from the compiled projects.
    Invoke-BuildTool { Publish-ExoAdminLayout -Root $root -Configuration $Configuration }
}

function Invoke-BuildTool {
    # Runs a build step with a JIT that does not optimize, for the tools it starts (MSBuild, the compiler server, the
    # staging pwsh): they spend most of their CPU recompiling their hot code optimized, which a build of this size
    # never wins back (the build task from a fresh clone: 53-62 core-seconds, 36-43 with it). Their output is the
    # same whichever way the JIT compiles them. An unsupported knob: a runtime without it ignores it.
    param([Parameter(Mandatory)] [scriptblock] $Step)
    $caller = $env:DOTNET_JITMinOpts
    $env:DOTNET_JITMinOpts = '1'
    try { & $Step }
    finally { $env:DOTNET_JITMinOpts = $caller }
}

function Stop-CompilerServer {
    # A compiler server outlives the build by minutes; a task leaves no process of its own behind.
    if ($script:compilerServerUsed) { & dotnet build-server shutdown --vbcscompiler | Out-Null }
}

function Invoke-BuildTask {
    param([string[]] $Project)
    Invoke-Compile -Project $Project
    Publish-Layout
    Write-Host "Module staged at $moduleDir/ExoAdmin.psd1; sandbox at $sandboxDir/ExoAdmin.Sandbox.dll, its module at $sandboxModuleDir/ExoAdmin.Sandbox.psd1"
}

function Invoke-TestTask {
    $selection = Resolve-TestSelection -Root $root -Tier $Tier -Path $Path -Tag $Tag -ExcludeTag $ExcludeTag
    Write-Host "Tiers: $($selection.Tiers -join ', ')"
    # Every tier: the whole solution, as CI builds it; fewer: only their projects.
    $allTiers = -not (Compare-Object @($selection.Tiers) @(Get-TestTierName))
    $compile = if ($allTiers) { $null } else { $selection.BuildProjects }
    New-Item -ItemType Directory -Force -Path $resultsDir | Out-Null
    # Every process the run starts (compilers, test hosts, Pester workers, sandboxes, child pwsh) lives seconds, and
    # most of its CPU goes to the JIT: dynamic PGO's extra instrumented tier costs more JIT than it ever wins back in a
    # process that short. Without it a whole run takes about a seventh less time (docs/architecture.md, "Build and tests").
    $env:DOTNET_TieredPGO = '0'
    # W^X (code pages never writable and executable at once) remaps every page the JIT writes: 7-13 % of the CPU of a
    # test's pwsh. A hardening against code injection that test processes on loopback do not need; the module, the
    # demo and the sandbox an admin starts keep it.
    $env:DOTNET_EnableWriteXorExecute = '0'
    # A method is recompiled optimized after 512 calls instead of 30 (the runtime reads the number as hexadecimal):
    # most methods of a process that lives seconds are called dozens of times, and optimizing them costs more than
    # they run: 8-15 % less CPU for a Pester file, 7 % for the E2E tier; hot loops (JSON, TLS) still get optimized.
    # An unsupported knob: a runtime without it ignores it, and the run is only slower.
    $env:DOTNET_TC_CallCountThreshold = '200'
    # The Pester workers start first, as soon as the products are built and staged (Pester is the run's longest
    # part); the test projects compile and xunit runs while they work.
    $pesterRun = $null
    if ($selection.Stage) {
        Invoke-Compile -Project $productProjects
        Publish-Layout
        # The sandbox's process-contract tests start the staged one too (Sandbox.Tests' SandboxProcess).
        $env:EXOADMIN_SANDBOX_PATH = Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll'
    }
    if ($selection.PesterPaths) {
        Import-Module (Join-Path $root 'build/PesterRun.psm1') -Force
        $pesterRun = Start-PesterRun -Root $root -Path $selection.PesterPaths -ResultsDirectory $resultsDir -Tag $Tag -ExcludeTag $ExcludeTag -Workers $Workers
    }
    if ($selection.XunitRuns) {
        try { Invoke-Compile -Project $compile }
        catch { if ($pesterRun) { $pesterRun.Processes | ForEach-Object { $_.Kill($true) } }; throw }
    }
    $xunit = Invoke-XunitRun -Root $root -Run $selection.XunitRuns -Configuration $Configuration -ResultsDirectory (Join-Path $resultsDir 'xunit')
    $pester = if ($pesterRun) { Wait-PesterRun -Run $pesterRun } else { @{ Passed = 0; Failed = 0; Skipped = 0 } }
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    if ($passed + $failed + $skipped -eq 0) { Write-Warning 'No test matched the selection.' }
    # The run's one closing line, read by CI.
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-DemoTask {
    Invoke-BuildTask -Project $productProjects
    $env:EXOADMIN_SANDBOX_PATH = Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll'
    Import-Module (Join-Path $root 'build/SandboxHost.psm1') -Force
    $sandbox = Start-ExoSandbox -Mailboxes 2000
    try {
        $env:SSL_CERT_FILE = $sandbox.CaCertificatePath
        $csv = Join-Path $out 'demo/mailboxes.csv'
        New-Item -ItemType Directory -Force -Path (Split-Path $csv) | Out-Null
        # The demo runs in a fresh pwsh, as an admin's session would, trusting the sandbox CA.
        Invoke-Native dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build/demo.ps1') `
            -ModulePath (Join-Path $moduleDir 'ExoAdmin.psd1') -SandboxInfo ($sandbox.Info | ConvertTo-Json -Depth 5 -Compress) -CsvPath $csv
    }
    finally {
        Remove-Item Env:SSL_CERT_FILE -ErrorAction SilentlyContinue
        $sandbox | Stop-ExoSandbox
    }
}

function Invoke-SandboxTask {
    Invoke-BuildTask -Project $productProjects
    # The same script the sandbox's package ships (Start-ExoAdminSandbox): prints the connect lines, never a secret.
    $arguments = @{ Mailboxes = 500 }
    if ($SeedFile) { $arguments.SeedFile = $SeedFile }
    if ($Fault) { $arguments.Fault = $Fault }
    if ($RateLimit) { $arguments.RateLimit = $RateLimit }
    if ($CaDirectory) { $arguments.CaDirectory = $CaDirectory }
    & (Join-Path $sandboxModuleDir 'Start-ExoAdminSandbox.ps1') @arguments
}

function Invoke-PackageTask {
    Invoke-BuildTask -Project $productProjects
    $packages = Join-Path $out 'packages'
    Remove-Item -Recurse -Force $packages -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    # Two packages: the module, and the sandbox on its own. A child pwsh, so the module's DLLs never load into this process.
    $script = {
        param($Root, $Packages, [string[]] $ModuleDirs)
        Import-Module (Join-Path $Root 'build/Package.psm1')
        foreach ($dir in $ModuleDirs) { (New-ExoAdminPackage -ModuleDirectory $dir -DestinationPath $Packages).FullName }
    }
    $written = & dotnet pwsh -NoProfile -NonInteractive -Command $script -args $root, $packages, @($moduleDir, $sandboxModuleDir)
    if ($LASTEXITCODE -ne 0 -or @($written).Count -ne 2) { throw "Packing failed with exit code $LASTEXITCODE." }
    foreach ($package in $written) { Write-Host "Package: $((Get-Item $package).FullName)" }
}

function Invoke-BenchTask {
    Invoke-BuildTask -Project $productProjects
    $command = "dotnet pwsh ./build.ps1 bench$(if ($Quick) { ' -Quick' })$(if ($LatencyMs -ne 40) { " -LatencyMs $LatencyMs" })"
    $report = if ($Quick) { Join-Path $out 'benchmarks.md' } else { Join-Path $root 'docs/benchmarks.md' }
    & (Join-Path $root 'build/Benchmark.ps1') -ModulePath (Join-Path $moduleDir 'ExoAdmin.psd1') -SandboxPath (Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll') `
        -OutputPath $report -LatencyMs $LatencyMs -Quick:$Quick -CommandLine $command
}

$compilerServerUsed = $false
try {
    switch ($Task) {
        'build' { Invoke-BuildTask }
        'test' { Invoke-TestTask }
        'demo' { Invoke-DemoTask }
        'sandbox' { Invoke-SandboxTask }
        'package' { Invoke-PackageTask }
        'bench' { Invoke-BenchTask }
        'clean' {
            Remove-Item -Recurse -Force $out -ErrorAction SilentlyContinue
            Get-ChildItem -Path (Join-Path $root 'src'), (Join-Path $root 'tests') -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
        }
    }
}
finally {
    Stop-CompilerServer
}
