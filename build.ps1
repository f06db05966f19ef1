#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates ExoAdmin.
.DESCRIPTION
    Run as `dotnet pwsh ./build.ps1 <task>` after `dotnet tool restore`.
      build    compile; stage the module at out/ExoAdmin and the sandbox at out/sandbox
      test     build, then xunit and Pester; ends with one line "N passed, N failed"
      demo     build, then run the admin's first job against a sandbox tenant
      sandbox  build, then start a sandbox and print how to connect to it (Enter stops it);
               -SeedFile seeds its tenant from Get-EXOMailbox -PropertySets All | ConvertTo-Json output;
               -Fault 'kind=429;path=/adminapi/*;rate=0.1' (repeatable) and -RateLimit 600/60 misbehave like the service;
               -CaDirectory keeps its CA in a folder across restarts
      package  build, then write out/packages/ExoAdmin.<version>.nupkg
      bench    build, then benchmark against the baselines (build/Benchmark.ps1) and write
               docs/benchmarks.md; -Quick for small counts and one run (writes out/benchmarks.md),
               -LatencyMs for the sandbox's per-request latency (default 40)
      clean    remove out/ and the projects' bin/obj folders
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'sandbox', 'package', 'bench', 'clean')]
    [string] $Task = 'build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
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
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out 'ExoAdmin'
$sandboxDir = Join-Path $out 'sandbox'
$resultsDir = Join-Path $out 'test-results'

function Invoke-Native {
    # Runs a native command and stops the build when it fails. No param block, so arguments such
    # as -c pass through untouched instead of binding to this function's parameters.
    $command, $arguments = $args
    & $command @arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-Native dotnet build (Join-Path $root 'ExoAdmin.sln') -c $Configuration --nologo -v quiet
    Remove-Item -Recurse -Force $moduleDir, $sandboxDir -ErrorAction SilentlyContinue
    $engineDir = New-Item -ItemType Directory -Force -Path (Join-Path $moduleDir 'engine')

    # The cmdlet assembly and the loader sit at the module root; the engine and everything it
    # depends on go to engine/, where only the module's own resolver looks.
    Copy-Item (Join-Path $root 'ExoAdmin.psd1') $moduleDir
    Copy-Item (Join-Path $root 'ExoAdmin*.Format.ps1xml') $moduleDir
    Copy-Item (Join-Path $root "src/ExoAdmin.Commands/bin/$Configuration/netstandard2.0/ExoAdmin.dll") $moduleDir
    Copy-Item (Join-Path $root "src/ExoAdmin.Loader/bin/$Configuration/net8.0/ExoAdmin.Loader.dll") $moduleDir
    Copy-Item (Join-Path $root "src/ExoAdmin.Engine/bin/$Configuration/netstandard2.0/*.dll") $engineDir
    # PowerShell 7's transport (custom root trust for EXOADMIN_SANDBOX_CA_FILE); the engine finds it by name.
    Copy-Item (Join-Path $root "src/ExoAdmin.Engine.Transport/bin/$Configuration/net8.0/ExoAdmin.Engine.Transport.dll") $engineDir

    Invoke-Native dotnet publish (Join-Path $root 'src/ExoAdmin.Sandbox') -c $Configuration --no-build --nologo -v quiet -o $sandboxDir
    Copy-Item (Join-Path $root 'LICENSE') $moduleDir
    # The sandbox ships with the module, with the script that starts it (see about_ExoAdmin).
    $moduleSandbox = New-Item -ItemType Directory -Force -Path (Join-Path $moduleDir 'sandbox')
    # Only what 'dotnet ExoAdmin.Sandbox.dll' needs: no native app host, symbols or IIS file.
    Copy-Item (Join-Path $sandboxDir '*') $moduleSandbox -Include '*.dll', '*.json'
    Copy-Item (Join-Path $root 'build/SandboxHost.psm1'), (Join-Path $root 'build/Start-ExoAdminSandbox.ps1') $moduleSandbox
    Invoke-HelpBuild
    Write-Host "Module staged at $moduleDir/ExoAdmin.psd1; sandbox at $sandboxDir/ExoAdmin.Sandbox.dll"
}

function Invoke-HelpBuild {
    # docs/en-US/*.md -> out/ExoAdmin/en-US/ExoAdmin.dll-Help.xml (+ about_*.help.txt). A child pwsh
    # imports the staged module to read each cmdlet's parameters, so no DLL stays loaded here.
    # Missing pages or parameter descriptions are warnings here; Help.Tests.ps1 fails on them.
    $script = {
        param($Root, $ModuleDir)
        $ErrorActionPreference = 'Stop'
        Import-Module (Join-Path $Root 'build/MarkdownHelp.psm1')
        $module = Import-Module (Join-Path $ModuleDir 'ExoAdmin.psd1') -PassThru
        $commands = @($module.ExportedCmdlets.Values)
        Export-ModuleHelp -Command $commands -MarkdownFolder (Join-Path $Root 'docs/en-US') -OutputFolder (Join-Path $ModuleDir 'en-US') -HelpFileName 'ExoAdmin.dll-Help.xml'
    }
    $problems = & dotnet pwsh -NoProfile -NonInteractive -Command $script -args $root, $moduleDir
    if ($LASTEXITCODE -ne 0) { throw "Building the help failed with exit code $LASTEXITCODE." }
    foreach ($problem in $problems) { Write-Warning "Help: $problem" }
}

function Get-NuGetPackagesFolder {
    $line = (& dotnet nuget locals global-packages --list) -join ''
    return ($line -replace '^\s*global-packages:\s*', '').Trim()
}

function Invoke-XunitTests {
    # Returns @{ Passed; Failed; Skipped } read from the TRX files of every test project.
    $trxDir = Join-Path $resultsDir 'xunit'
    Remove-Item -Recurse -Force $trxDir -ErrorAction SilentlyContinue
    & dotnet test (Join-Path $root 'ExoAdmin.sln') -c $Configuration --no-build --nologo `
        --logger 'trx' --logger 'console;verbosity=minimal' --results-directory $trxDir | Out-Host
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $trxFiles = @(Get-ChildItem -Path $trxDir -Filter *.trx -ErrorAction SilentlyContinue)
    if ($trxFiles.Count -eq 0) { $counts.Failed = 1; Write-Warning 'xunit produced no results.'; return $counts }
    foreach ($file in $trxFiles) {
        $summary = ([xml](Get-Content -Raw -LiteralPath $file.FullName)).TestRun.ResultSummary.Counters
        $counts.Passed += [int]$summary.passed
        $counts.Failed += [int]$summary.failed + [int]$summary.error + [int]$summary.timeout + [int]$summary.aborted
        $counts.Skipped += [int]$summary.notExecuted
    }
    if ($LASTEXITCODE -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }   # the runner itself failed
    return $counts
}

function Invoke-PesterTests {
    Invoke-Native dotnet restore (Join-Path $root 'build/TestDependencies.proj') --nologo -v quiet
    $packages = Get-NuGetPackagesFolder
    $pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'

    # One CA for the whole run, trusted through SSL_CERT_FILE by the child pwsh; each test file
    # still starts its own sandbox (with its own server certificate) signed by it.
    $env:EXOADMIN_SANDBOX_PATH = Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll'
    $env:EXOADMIN_SANDBOX_CA_DIR = Join-Path $resultsDir 'ca'
    Import-Module (Join-Path $root 'build/SandboxHost.psm1') -Force
    $caPath = New-ExoSandboxCertificateAuthority -CaDirectory $env:EXOADMIN_SANDBOX_CA_DIR

    $countsFile = Join-Path $resultsDir 'pester-counts.json'
    Remove-Item $countsFile -ErrorAction SilentlyContinue
    $env:EXOADMIN_MODULE_PATH = Join-Path $moduleDir 'ExoAdmin.psd1'
    $env:EXOADMIN_CONFLICTING_MSAL = Join-Path $packages 'microsoft.identity.client/4.61.3/lib/netstandard2.0/Microsoft.Identity.Client.dll'
    $env:SSL_CERT_FILE = $caPath
    try {
        # A child pwsh: the module's DLLs never load into this process, so rebuilding is never blocked.
        $script = @'
param($PesterPath, $TestsPath, $ResultsPath, $CountsFile)
Import-Module $PesterPath
$config = New-PesterConfiguration
$config.Run.Path = $TestsPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultsPath
$result = Invoke-Pester -Configuration $config
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $CountsFile
'@
        $scriptFile = Join-Path $resultsDir 'run-pester.ps1'
        Set-Content -Path $scriptFile -Value $script
        & dotnet pwsh -NoProfile -NonInteractive -File $scriptFile -PesterPath $pester -TestsPath (Join-Path $root 'tests/pester') `
            -ResultsPath (Join-Path $resultsDir 'pester.xml') -CountsFile $countsFile | Out-Host
    }
    finally {
        Remove-Item Env:SSL_CERT_FILE -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path $countsFile)) { Write-Warning 'Pester did not report results.'; return @{ Passed = 0; Failed = 1; Skipped = 0 } }
    $counts = Get-Content -Raw $countsFile | ConvertFrom-Json
    return @{ Passed = [int]$counts.Passed; Failed = [int]$counts.Failed; Skipped = [int]$counts.Skipped }
}

function Install-TestPrerequisites {
    # The interactive sign-in test drives real headless Chromium, whose profile trusts the sandbox CA
    # through certutil. Both come from Debian's packages; install them when missing and allowed to.
    if (-not $IsLinux -or ((Get-Command chromium -ErrorAction SilentlyContinue) -and (Get-Command certutil -ErrorAction SilentlyContinue))) { return }
    if ((& id -u) -ne '0' -or -not (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        throw 'The tests need chromium and certutil: install them (Debian: apt-get install chromium libnss3-tools) and run again.'
    }
    Write-Host 'Installing chromium and libnss3-tools for the interactive sign-in test...'
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get update -qq
    Invoke-Native apt-get install -y -qq chromium libnss3-tools
}

function Invoke-TestTask {
    Install-TestPrerequisites
    Invoke-BuildTask
    New-Item -ItemType Directory -Force -Path $resultsDir | Out-Null
    $xunit = Invoke-XunitTests
    $pester = Invoke-PesterTests
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    # The run's one closing line, read by CI.
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-DemoTask {
    Invoke-BuildTask
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
    Invoke-BuildTask
    # The same script an installed module ships: prints the connect line, never a secret.
    $arguments = @{ Mailboxes = 500 }
    if ($SeedFile) { $arguments.SeedFile = $SeedFile }
    if ($Fault) { $arguments.Fault = $Fault }
    if ($RateLimit) { $arguments.RateLimit = $RateLimit }
    if ($CaDirectory) { $arguments.CaDirectory = $CaDirectory }
    & (Join-Path $moduleDir 'sandbox/Start-ExoAdminSandbox.ps1') @arguments
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $packages = Join-Path $out 'packages'
    Remove-Item -Recurse -Force $packages -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    # A child pwsh, so the module's DLLs never load into this process.
    $script = {
        param($Root, $ModuleDir, $Packages)
        Import-Module (Join-Path $Root 'build/Package.psm1')
        (New-ExoAdminPackage -ModuleDirectory $ModuleDir -DestinationPath $Packages).FullName
    }
    $package = & dotnet pwsh -NoProfile -NonInteractive -Command $script -args $root, $moduleDir, $packages
    if ($LASTEXITCODE -ne 0 -or -not $package) { throw "Packing failed with exit code $LASTEXITCODE." }
    $package = Get-Item $package
    Write-Host "Package: $($package.FullName)"
}

function Invoke-BenchTask {
    Invoke-BuildTask
    $command = "dotnet pwsh ./build.ps1 bench$(if ($Quick) { ' -Quick' })$(if ($LatencyMs -ne 40) { " -LatencyMs $LatencyMs" })"
    $report = if ($Quick) { Join-Path $out 'benchmarks.md' } else { Join-Path $root 'docs/benchmarks.md' }
    & (Join-Path $root 'build/Benchmark.ps1') -ModulePath (Join-Path $moduleDir 'ExoAdmin.psd1') -SandboxPath (Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll') `
        -OutputPath $report -LatencyMs $LatencyMs -Quick:$Quick -CommandLine $command
}

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
