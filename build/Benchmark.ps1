<#
.SYNOPSIS
    ExoAdmin's benchmark against its baselines (issue 5): `dotnet pwsh ./build.ps1 bench [-Quick]`.
.DESCRIPTION
    Starts sandboxes with per-request latency through build/SandboxHost.psm1, runs every measurement in a fresh
    child pwsh (build/BenchmarkChild.ps1), and reports each figure next to a baseline measured in the same run,
    as an absolute value and a ratio, with its target. The machine is shared, so ratios are what to read;
    the 1-minute load average is recorded with every figure. Prints a markdown table and writes it, with the
    machine and the command, to -OutputPath. Not a test: nothing here fails on a missed target.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    [string] $OutputPath,
    [int] $LatencyMs = 40,
    # Start-up runs per variant (the median is reported).
    [int] $Runs = 5,
    [int] $BulkMailboxes = 100000,
    [int] $SmallBulkMailboxes = 10000,
    [int] $StatsMailboxes = 5000,
    [int] $SetCount = 1000,
    # Small counts and one run, for iterating on the benchmark itself.
    [switch] $Quick,
    # Every tenant's request budget for (4) and (5), as REQUESTS/SECONDS: the sandbox's rate limiter on, as the
    # service's is, so the concurrency the client finds (adaptive, up to -MaxConcurrency) is measured against it.
    [string] $RateLimit = '2000/10',
    # Only these figures (1-6); all when not given.
    [int[]] $Figure = @(1, 2, 3, 4, 5, 6),
    # What to write as "the command" in the report.
    [string] $CommandLine = 'dotnet pwsh ./build.ps1 bench'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
if ($Quick) {
    if (-not $PSBoundParameters.ContainsKey('Runs')) { $Runs = 1 }
    if (-not $PSBoundParameters.ContainsKey('BulkMailboxes')) { $BulkMailboxes = 5000 }
    if (-not $PSBoundParameters.ContainsKey('SmallBulkMailboxes')) { $SmallBulkMailboxes = 1000 }
    if (-not $PSBoundParameters.ContainsKey('StatsMailboxes')) { $StatsMailboxes = 200 }
    if (-not $PSBoundParameters.ContainsKey('SetCount')) { $SetCount = 100 }
}

Import-Module (Join-Path $PSScriptRoot 'SandboxHost.psm1') -Force
$childScript = Join-Path $PSScriptRoot 'BenchmarkChild.ps1'
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$work = New-Item -ItemType Directory -Force -Path (Join-Path ([IO.Path]::GetTempPath()) "exoadmin-bench-$PID")
$caDirectory = Join-Path $work 'ca'
$rows = [Collections.Generic.List[object]]::new()
$MiB = 1MB

function Get-LoadAverage { if (Test-Path /proc/loadavg) { [double]((Get-Content /proc/loadavg -Raw).Split(' ')[0]) } else { $null } }

function Invoke-Child {
    # One measurement in a fresh `dotnet pwsh.dll -NoProfile` process; returns its figures plus the wall time
    # of the whole process (start-up included) and the load average when it finished.
    param([string] $Measurement, $Sandbox, [string] $OutputPath, [int] $Count)
    $arguments = @($pwshDll, '-NoProfile', '-NonInteractive', '-File', $childScript, '-Measurement', $Measurement, '-ModulePath', $ModulePath)
    if ($Sandbox) { $arguments += @('-SandboxJson', ($Sandbox.Info | ConvertTo-Json -Depth 6 -Compress)) }
    if ($OutputPath) { $arguments += @('-OutputPath', $OutputPath) }
    if ($Count) { $arguments += @('-Count', $Count) }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $output = & dotnet @arguments 2>&1
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "Measurement '$Measurement' failed (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    $figures = @($output)[-1] | ConvertFrom-Json
    $figures | Add-Member -NotePropertyName ProcessSeconds -NotePropertyValue $watch.Elapsed.TotalSeconds
    $figures | Add-Member -NotePropertyName Load -NotePropertyValue (Get-LoadAverage) -PassThru
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count % 2) { $sorted[[int][Math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

function Add-Row {
    # Ratio is "how many times better than the baseline" for the measurement's sense (lower-is-better
    # figures are inverted), so every ratio reads the same way; Met is decided by the caller's test.
    param([string] $Id, [string] $Figure, [string] $Value, [string] $Baseline, [string] $Ratio, [string] $Target, $Met, $Load)
    $row = [pscustomobject]@{
        '#' = $Id; Figure = $Figure; ExoAdmin = $Value; Baseline = $Baseline; Ratio = $Ratio; Target = $Target
        Met = if ($null -eq $Met) { '—' } elseif ($Met) { 'met' } else { 'not met' }
        Load = if ($null -eq $Load) { '' } else { '{0:0.00}' -f $Load }
    }
    $rows.Add($row)
    Write-Host ("{0,-3} {1,-58} {2,-22} {3,-40} {4,-10} {5}" -f $row.'#', $row.Figure, $row.ExoAdmin, $row.Baseline, $row.Ratio, $row.Met)
}

function Format-Seconds([double] $Seconds) { if ($Seconds -lt 1) { '{0:0} ms' -f ($Seconds * 1000) } else { '{0:0.00} s' -f $Seconds } }
function Format-MiB([double] $Bytes) { '{0:0} MiB' -f ($Bytes / $MiB) }
function Format-Rate([double] $PerSecond) { '{0:N0} obj/s' -f $PerSecond }

function Use-Sandbox {
    # Starts a sandbox with the run's latency (and request budget, when given), runs the block with it, and always stops it.
    param([int] $Mailboxes, [scriptblock] $Block, [string] $RateLimit)
    $sandbox = Start-ExoSandbox -SandboxPath $SandboxPath -Mailboxes $Mailboxes -LatencyMs $LatencyMs -CaDirectory $caDirectory -TimeoutSeconds 300 -RateLimit $RateLimit
    try {
        $env:SSL_CERT_FILE = $sandbox.CaCertificatePath
        & $Block $sandbox
    }
    finally { $sandbox | Stop-ExoSandbox }
}

$machine = [ordered]@{
    Cpu       = if (Test-Path /proc/cpuinfo) { ((Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -split ':\s*', 2)[1] } else { $env:PROCESSOR_IDENTIFIER }
    Cores     = [Environment]::ProcessorCount
    MemoryGiB = if (Test-Path /proc/meminfo) { '{0:0.0}' -f ([double](((Get-Content /proc/meminfo -TotalCount 1) -split '\s+')[1]) / 1MB) } else { '' }
    Os        = [Runtime.InteropServices.RuntimeInformation]::OSDescription
    DotNet    = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    PowerShell = $PSVersionTable.PSVersion.ToString()
    LoadStart = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { '' }
}
$started = [DateTime]::UtcNow
$oldCertFile = $env:SSL_CERT_FILE
Write-Host "Benchmark: latency $LatencyMs ms, bulk $BulkMailboxes / $SmallBulkMailboxes mailboxes, statistics over $StatsMailboxes, $SetCount Set-Mailbox, $Runs start-up runs"

try {
    # 1. Start-up, then 2, 3 and 6 (first half) on the big tenant.
    if ($Figure | Where-Object { $_ -in 1, 2, 3, 6 }) { Use-Sandbox -Mailboxes $BulkMailboxes {
        param($sandbox)
        $bare = [Collections.Generic.List[object]]::new(); $import = [Collections.Generic.List[object]]::new(); $connect = [Collections.Generic.List[object]]::new()
        $connectSmall = [Collections.Generic.List[object]]::new()
        # One warm-up of each (disk cache), then the variants interleaved in a rotating order, each after a pause:
        # whichever runs right after a connect otherwise pays for the sandbox's own background work (tiered JIT, GC).
        $null = Invoke-Child bare; $null = Invoke-Child import; $null = Invoke-Child connect -Sandbox $sandbox; $null = Invoke-Child connect-small -Sandbox $sandbox
        $variants = @(
            { $bare.Add((Invoke-Child bare)) }
            { $import.Add((Invoke-Child import)) }
            { $connect.Add((Invoke-Child connect -Sandbox $sandbox)) }
            { $connectSmall.Add((Invoke-Child connect-small -Sandbox $sandbox)) }
        )
        for ($i = 0; $i -lt $Runs * 4; $i++) {
            Start-Sleep -Milliseconds 500
            . $variants[($i + [Math]::Floor($i / 4)) % 4]
        }
        $bareTime = Get-Median $bare.ProcessSeconds; $bareRss = Get-Median $bare.PeakRss
        foreach ($variant in @(@{ Name = 'Import-Module ExoAdmin'; Runs = $import; Target = $false }, @{ Name = 'Import-Module + app-only connect'; Runs = $connect; Target = $true })) {
            $time = Get-Median $variant.Runs.ProcessSeconds; $rss = Get-Median $variant.Runs.PeakRss
            $load = Get-Median $variant.Runs.Load
            Add-Row '1' "$($variant.Name): wall time (median of $Runs)" (Format-Seconds $time) "pwsh -c 1: $(Format-Seconds $bareTime)" ('+{0} ({1:0.00}x)' -f (Format-Seconds ($time - $bareTime)), ($time / $bareTime)) `
                $(if ($variant.Target) { '≤ +0.5 s' } else { '' }) $(if ($variant.Target) { ($time - $bareTime) -le 0.5 } else { $null }) $load
            Add-Row '1' "$($variant.Name): peak RSS (median of $Runs)" (Format-MiB $rss) "pwsh -c 1: $(Format-MiB $bareRss)" ('+{0} ({1:0.00}x)' -f (Format-MiB ($rss - $bareRss)), ($rss / $bareRss)) `
                $(if ($variant.Target) { '≤ +40 MiB' } else { '' }) $(if ($variant.Target) { ($rss - $bareRss) -le 40 * $MiB } else { $null }) $load
        }

        # 1. What the full module file (Organization Management: every Exchange Online cmdlet) adds to connecting, against
        # the same connect asking for one cmdlet (-CommandName Get-Mailbox); each a same-run difference over bare pwsh.
        $fullTime = Get-Median $connect.ProcessSeconds; $smallTime = Get-Median $connectSmall.ProcessSeconds
        $fullRss = Get-Median $connect.PeakRss; $smallRss = Get-Median $connectSmall.PeakRss
        $load = Get-Median $connect.Load
        Add-Row '1' "Full module file: import + connect, beside -CommandName Get-Mailbox (median of $Runs)" (Format-Seconds $fullTime) "$(Format-Seconds $smallTime) (pwsh -c 1: $(Format-Seconds $bareTime))" `
            ('+{0} ({1:0.00}x of bare)' -f (Format-Seconds ($fullTime - $smallTime)), ($fullTime / $bareTime)) '≤ +0.3 s' (($fullTime - $smallTime) -le 0.3) $load
        Add-Row '1' "Full module file: peak RSS, beside -CommandName Get-Mailbox (median of $Runs)" (Format-MiB $fullRss) "$(Format-MiB $smallRss) (pwsh -c 1: $(Format-MiB $bareRss))" `
            ('+{0} ({1:0.00}x of bare)' -f (Format-MiB ($fullRss - $smallRss)), ($fullRss / $bareRss)) '≤ +30 MiB' (($fullRss - $smallRss) -le 30 * $MiB) $load

        # 2. Bulk read.
        $raw = Invoke-Child raw-bulk -Sandbox $sandbox
        $exo = Invoke-Child exo-bulk -Sandbox $sandbox
        $irm = Invoke-Child irm-bulk -Sandbox $sandbox
        if ($exo.Objects -ne $BulkMailboxes -or $irm.Objects -ne $BulkMailboxes) { throw "The bulk reads returned $($exo.Objects) and $($irm.Objects) objects, not $BulkMailboxes." }
        $exoRate = $exo.Objects / $exo.Seconds; $irmRate = $irm.Objects / $irm.Seconds; $rawRate = $raw.Objects / $raw.Seconds
        Add-Row '2' "Get-EXOMailbox -ResultSize Unlimited | Measure-Object ($('{0:N0}' -f $BulkMailboxes)): rate vs Invoke-RestMethod loop" (Format-Rate $exoRate) "$(Format-Rate $irmRate) ($(Format-Seconds $irm.Seconds))" ('{0:0.00}x' -f ($exoRate / $irmRate)) '≥ 3x' (($exoRate / $irmRate) -ge 3) $exo.Load
        Add-Row '2' "… rate vs raw serving rate (HttpClient, pages only)" "$(Format-Rate $exoRate) ($(Format-Seconds $exo.Seconds))" "$(Format-Rate $rawRate) ($(Format-Seconds $raw.Seconds), $($raw.Pages) pages, $(Format-MiB $raw.Bytes))" ('{0:0.00}x of raw' -f ($exoRate / $rawRate)) '≥ 0.5x of raw' (($exoRate / $rawRate) -ge 0.5) $raw.Load
        Add-Row '2' "… peak RSS of the process" (Format-MiB $exo.PeakRss) "Invoke-RestMethod loop: $(Format-MiB $irm.PeakRss)" ('{0:0.00}x' -f ($irm.PeakRss / $exo.PeakRss)) '' $null $irm.Load
        $script:bigBulk = $exo

        # 3. Time to first object and early stop.
        $first = Invoke-Child exo-first10 -Sandbox $sandbox
        $irmFirst = Invoke-Child irm-first10 -Sandbox $sandbox
        Add-Row '3' 'Get-EXOMailbox -ResultSize Unlimited | Select-Object -First 10: time' (Format-Seconds $first.Seconds) "Invoke-RestMethod first page: $(Format-Seconds $irmFirst.Seconds)" ('{0:0.00}x' -f ($irmFirst.Seconds / $first.Seconds)) '< 1 s' ($first.Seconds -lt 1 -and $first.Objects -eq 10) $first.Load
        Add-Row '3' '… requests made' "$($first.Requests)" "Invoke-RestMethod first page: $($irmFirst.Requests)" '' 'exactly 1' ($first.Requests -eq 1) $first.Load
    } }

    # 6. The same bulk read at a tenth of the count: peak RSS must not grow with the count.
    if ($Figure -contains 6) { Use-Sandbox -Mailboxes $SmallBulkMailboxes {
        param($sandbox)
        $small = Invoke-Child exo-bulk -Sandbox $sandbox
        $growth = $script:bigBulk.PeakRss / $small.PeakRss
        Add-Row '6' "Peak RSS of (2): $('{0:N0}' -f $BulkMailboxes) vs $('{0:N0}' -f $SmallBulkMailboxes) mailboxes" (Format-MiB $script:bigBulk.PeakRss) "$('{0:N0}' -f $SmallBulkMailboxes): $(Format-MiB $small.PeakRss)" ('{0:0.00}x' -f $growth) '≤ 1.10x' ($growth -le 1.10) $small.Load
    } }

    # 4. The statistics report, under the tenant's request budget.
    if ($Figure -contains 4) { Use-Sandbox -Mailboxes $StatsMailboxes -RateLimit $RateLimit {
        param($sandbox)
        $pipelineCsv = Join-Path $work 'stats-pipeline.csv'; $sequentialCsv = Join-Path $work 'stats-sequential.csv'
        $pipeline = Invoke-Child stats-pipeline -Sandbox $sandbox -OutputPath $pipelineCsv
        $sequential = Invoke-Child stats-sequential -Sandbox $sandbox -OutputPath $sequentialCsv
        $same = (Get-FileHash $pipelineCsv).Hash -eq (Get-FileHash $sequentialCsv).Hash
        $lines = @(Get-Content $pipelineCsv).Count - 1
        $ratio = $sequential.Seconds / $pipeline.Seconds
        Add-Row '4' "Get-EXOMailbox | Get-EXOMailboxStatistics | Select | Export-Csv ($('{0:N0}' -f $StatsMailboxes)): time" (Format-Seconds $pipeline.Seconds) "one at a time: $(Format-Seconds $sequential.Seconds)" ('{0:0.00}x' -f $ratio) '≥ 5x, same CSV' ($ratio -ge 5 -and $same) $pipeline.Load
        Add-Row '4' '… requests made (refused by the rate limiter); CSVs identical' "$($pipeline.Requests) ($($pipeline.Refused)); $(if ($same) { "identical ($lines rows)" } else { 'DIFFERENT' })" "one at a time: $($sequential.Requests) ($($sequential.Refused))" '' 'same CSV' $same $sequential.Load
    } }

    # 5. The bulk change, each side on its own fresh tenant (under the request budget) so the state read back is comparable.
    if ($Figure -contains 5) {
    $sides = @{}
    foreach ($side in 'pipeline', 'sequential') {
        Use-Sandbox -Mailboxes $SetCount -RateLimit $RateLimit {
            param($sandbox)
            $csv = Join-Path $work "set-$side.csv"
            $sides[$side] = Invoke-Child "set-$side" -Sandbox $sandbox -OutputPath $csv -Count $SetCount
            $sides[$side] | Add-Member -NotePropertyName Csv -NotePropertyValue $csv
        }
    }
    $pipeline = $sides.pipeline; $sequential = $sides.sequential
    $sameState = (Get-FileHash $pipeline.Csv).Hash -eq (Get-FileHash $sequential.Csv).Hash
    $changed = @(Import-Csv $pipeline.Csv | Where-Object HiddenFromAddressListsEnabled -eq 'True').Count
    $sameErrors = ($pipeline.Errors -join "`n") -eq ($sequential.Errors -join "`n")
    $ratio = $sequential.Seconds / $pipeline.Seconds
    Add-Row '5' "$('{0:N0}' -f $SetCount) Set-Mailbox through the pipeline (+1 unknown identity): time" (Format-Seconds $pipeline.Seconds) "one at a time: $(Format-Seconds $sequential.Seconds)" ('{0:0.00}x' -f $ratio) '≥ 5x, same changes and errors' ($ratio -ge 5 -and $sameState -and $sameErrors) $pipeline.Load
    Add-Row '5' '… requests made (refused by the rate limiter); state read back; errors' "$($pipeline.Requests) ($($pipeline.Refused)); $(if ($sameState) { "same ($changed changed)" } else { 'DIFFERENT' }); $(@($pipeline.Errors).Count) error(s) $(if ($sameErrors) { 'as sequential' } else { 'DIFFERENT' })" "one at a time: $($sequential.Requests) ($($sequential.Refused)); $(@($sequential.Errors).Count) error(s)" '' 'same state and errors' ($sameState -and $sameErrors -and $changed -eq $SetCount) $sequential.Load
    }
}
finally {
    $env:SSL_CERT_FILE = $oldCertFile
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

$elapsed = [DateTime]::UtcNow - $started
$table = [Text.StringBuilder]::new()
$null = $table.AppendLine('| # | Figure | ExoAdmin | Baseline (same run) | Ratio | Target | Met | Load (1 min) |')
$null = $table.AppendLine('|---|---|---|---|---|---|---|---|')
foreach ($row in $rows) {
    $cells = @($row.'#', $row.Figure, $row.ExoAdmin, $row.Baseline, $row.Ratio, $row.Target, $row.Met, $row.Load) | ForEach-Object { "$_".Replace('|', '\|') }
    $null = $table.AppendLine('| ' + ($cells -join ' | ') + ' |')
}
$loadEnd = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { '' }

# Why a target can be missed on this machine, written under the table for each figure this run did not meet.
$reasons = [ordered]@{
    '1' = 'Start-up: what is left after import is signing in (MSAL''s confidential client, JIT-compiled on first use: the largest part, see `Connect-ExchangeOnline -Debug`), one TLS handshake and one round trip (the ping, EXOModuleFile and the banner now go together), and turning the module file into commands. ReadyToRun images of the engine and MSAL would cut the JIT part, but the staged module is one platform-neutral set of assemblies that Windows PowerShell 5.1 also loads, so it is not done here.'
    '2' = 'Bulk read: pages are read one ahead, so the time per page is the sandbox''s latency and serving time, not the parsing; what separates it from the raw reader is CPU: ExoAdmin parses every object into a typed PSObject and writes it through the pipeline, on the same two cores as the sandbox serving the next page (and the other work on the machine, see the load). The Invoke-RestMethod baseline pays the same latency per page, so the ratio to it moves with the load; on a quiet machine the loop itself reaches about 40% of the raw serving rate, and 3x of it would then be beyond the raw rate, the limit of any client that follows next links one page after another (ExoAdmin reaches about 0.8x of raw).'
    '6' = 'Peak RSS: what the read keeps alive does not depend on the count (at most one page of bytes ahead, a bounded queue of objects); what grows between a 10,000 and a 100,000 read is how far the .NET garbage collector lets the heap grow before collecting over a longer run, which a module cannot set for the process.'
    '3' = 'First 10: one request by design (the next page is asked for only once a quarter of the current one has been taken); a miss here is a bug.'
    '4' = 'Statistics report: at most eight requests in flight (Connect-ExchangeOnline -MaxConcurrency), fewer while the adaptive limit grows from 2 or after the request budget ran low, give up to 8x on the latency; under load the client''s CPU per item decides the rest.'
    '5' = 'Bulk change: as (4), changes in flight under the same adaptive limit, each its own request. Once the latency is overlapped, the pipelined side is bounded by the client''s CPU per change (the request, the answer''s object, output in order), the one-at-a-time side by the latency alone: on two cores shared with other work (see the load column) the ratio falls towards what the CPU left allows (7.54x at a load of 0.6 on 2026-11-27).'
}
$missed = @($rows | Where-Object Met -eq 'not met' | ForEach-Object '#' | Select-Object -Unique)
$notes = if ($missed.Count -eq 0) { 'Every target was met in this run.' } else {
    ($missed | ForEach-Object { "- ($_) $($reasons[$_])" }) -join [Environment]::NewLine
}
Write-Host ''
Write-Host $table.ToString()

if ($OutputPath) {
    $report = @"
# Benchmarks

Generated by ``build/Benchmark.ps1`` on $($started.ToString('yyyy-MM-dd HH:mm')) UTC in $([int]$elapsed.TotalMinutes) min $($elapsed.Seconds) s. Every figure is measured in the
same run as its baseline, each measurement in a fresh ``dotnet pwsh.dll -NoProfile`` process, against a local
sandbox answering every Exchange request after $LatencyMs ms. The machine is shared with other builds, so absolute
numbers are noisy: read the ratios, and the load average next to each figure.

Command: ``$CommandLine``$(if ($Quick) { ' (quick run: small counts, one run; not the figures to quote)' })

| machine | |
|---|---|
| CPU | $($machine.Cpu) |
| cores (nproc) | $($machine.Cores) |
| memory | $($machine.MemoryGiB) GiB |
| OS | $($machine.Os) |
| .NET / PowerShell | $($machine.DotNet) / $($machine.PowerShell) |
| load average at start / end | $($machine.LoadStart) / $loadEnd |

Counts: bulk read $('{0:N0}' -f $BulkMailboxes) and $('{0:N0}' -f $SmallBulkMailboxes) mailboxes; statistics report over $('{0:N0}' -f $StatsMailboxes); $('{0:N0}' -f $SetCount) Set-Mailbox calls, both under a request budget of $RateLimit (requests/seconds) per tenant; start-up median of $Runs runs (after one warm-up).
Wall time of (1) is the whole child process, from start to exit; the other times are the measured command only (after
import and connect). Requests are counted by the sandbox itself (``GET /_sandbox/stats``). Ratios read "times better
than the baseline", except (1), which shows what import adds to a bare start.

$($table.ToString())
## Targets not met in this run, and why

$notes

## What the engine does for them

- Bulk read (2, 3, 6): each page's body is downloaded at network speed while its objects are parsed and written; once it
  is all in and a quarter of it has been taken, the next page is requested (one page ahead at most, so
  ``Select-Object -First 10`` is still one request). Objects are parsed from the response bytes as they arrive
  (``Utf8JsonReader``), typed by the schema, and handed to the pipeline through a bounded queue that the pipeline thread
  drains in batches.
- Statistics report and bulk change (4, 5): pipelined per-identity items run up to ``-MaxConcurrency`` (8) at once, each
  its own request, and their output (objects, errors, warnings, verbose lines) is written in input order on the pipeline
  thread, so the CSV and the error records are those of the sequential run. How many requests are really on the wire is
  the connection's adaptive limit: it starts at 2, grows by one per window of clean answers, and halves on throttling or
  when the tenant's request budget (here $RateLimit per tenant, the sandbox's rate limiter on) is nearly spent.
- Start-up (1): the module file is read alongside the connect's ping; import registers argument completers with one
  script block (``EXOADMIN_TRACE_STARTUP=1`` times the import's steps, ``Connect-ExchangeOnline -Debug`` the connect's).

## How each figure is measured

1. Start-up: ``pwsh -NoProfile -c 1`` (bare), ``Import-Module ExoAdmin``, and import + ``Connect-ExchangeOnline`` with the
   tenant's certificate file (app-only); wall time of the process and its ``PeakWorkingSet64``.
2. Bulk read: ``Get-EXOMailbox -ResultSize Unlimited | Measure-Object``; the baseline is the loop independent scripts
   write (a client assertion signed in PowerShell with the tenant's pfx, posted to the token endpoint, then
   ``Invoke-RestMethod`` following ``@odata.nextLink``), and the raw serving rate an ``HttpClient`` that only downloads each
   page and finds the next link in its bytes.
3. ``Get-EXOMailbox -ResultSize Unlimited | Select-Object -First 10``: time and the requests the sandbox answered.
4. ``Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxStatistics | Select DisplayName, TotalItemSize | Export-Csv``
   against ``foreach`` calling ``Get-EXOMailboxStatistics -Identity`` per mailbox; the two CSV files are compared byte for byte.
5. ``Set-Mailbox -HiddenFromAddressListsEnabled `$true`` on every mailbox plus one unknown identity in the middle, fed through
   the pipeline against one call per mailbox, each on a fresh tenant; then ``Get-EXOMailbox -Properties
   HiddenFromAddressListsEnabled`` of both tenants is compared, and the error records.
6. Peak RSS of (2) at both counts.
"@
    Set-Content -Path $OutputPath -Value $report -Encoding utf8NoBOM
    Write-Host "Written to $OutputPath"
}
