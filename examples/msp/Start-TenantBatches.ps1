<#
.SYNOPSIS
    Runs a report over many tenants: the list split into batches, each batch a separate job that works through its
    tenants in parallel (Invoke-TenantBatch.ps1), every result collected in one place.
.DESCRIPTION
    The orchestrator of the batching pattern in README.md beside this script, for a managed-service provider who has
    outgrown one loop on one machine. It splits -Tenant into batches of -BatchSize and starts one job per batch:
      -Engine Local            a separate pwsh process per batch on this machine (Start-Job), -MaxBatches at once; the
                               results are read back from -ResultFolder.
      -Engine AzureAutomation  a separate Azure Automation job per batch, of Invoke-TenantBatch.ps1 imported as a runbook
                               (Az.Automation's Start-AzAutomationRunbook, signed in with Connect-AzAccount); each job
                               writes its results to -ResultContainerUri, from which they are read back.
    Its output is every tenant's result, whatever batch ran it: the tenant, its batch, Succeeded or Failed (with the
    error), and the report's figures. A batch that failed as a whole (its job, not one tenant) is one Failed result per
    tenant it held, so no tenant goes missing from the output.
.PARAMETER Tenant
    The tenants, one object each with the fields Invoke-TenantBatch.ps1 describes (Organization, AppId and a
    certificate), for example from Import-Csv tenants.csv.
.EXAMPLE
    ./Start-TenantBatches.ps1 -Tenant (Import-Csv ./tenants.csv) -BatchSize 50 -ThrottleLimit 8 -ResultFolder ./results |
        Export-Csv ./mailboxes-by-tenant.csv -NoTypeInformation
.EXAMPLE
    Connect-AzAccount -Identity
    ./Start-TenantBatches.ps1 -Tenant (Import-Csv ./tenants.csv) -Engine AzureAutomation -ResourceGroupName msp-ops `
        -AutomationAccountName msp-exo -ResultContainerUri (Get-AutomationVariable ResultContainerSas)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [object[]] $Tenant,
    [ValidateRange(1, 10000)] [int] $BatchSize = 50,
    [ValidateSet('Local', 'AzureAutomation')] [string] $Engine = 'Local',
    [ValidateRange(1, 32)] [int] $ThrottleLimit = 5,
    [ValidateRange(1, 64)] [int] $MaxBatches = 4,
    [string] $ResultFolder,
    [string] $ResultContainerUri,
    [string] $ReportScript,
    [string] $ModulePath = 'ExoAdmin',
    [string] $ResourceGroupName,
    [string] $AutomationAccountName,
    [string] $RunbookName = 'Invoke-TenantBatch'
)

$ErrorActionPreference = 'Stop'
$worker = Join-Path $PSScriptRoot 'Invoke-TenantBatch.ps1'
$runId = [datetime]::UtcNow.ToString('yyyyMMdd-HHmmss')
$batches = for ($i = 0; $i -lt $Tenant.Count; $i += $BatchSize) {
    [pscustomobject]@{
        Name    = '{0}-batch{1:D4}' -f $runId, ($i / $BatchSize + 1)
        Tenants = @($Tenant[$i..([math]::Min($i + $BatchSize, $Tenant.Count) - 1)] |
                Select-Object Organization, AppId, CertificateName, CertificateThumbprint, CertificatePath, ConnectionUri, AzureADAuthorizationEndpointUri)
    }
}
Write-Verbose "$($Tenant.Count) tenants in $(@($batches).Count) batches of up to $BatchSize."

function Get-BatchFailure($Batch, [string] $Reason) {
    # A batch that failed as a whole still accounts for each of its tenants.
    foreach ($t in $Batch.Tenants) { [pscustomobject]@{ Tenant = $t.Organization; Batch = $Batch.Name; Status = 'Failed'; Error = $Reason } }
}

switch ($Engine) {
    'Local' {
        if (-not $ResultFolder) { throw '-Engine Local writes each batch''s results to -ResultFolder: give one.' }
        $ResultFolder = [System.IO.Path]::GetFullPath($ResultFolder, (Get-Location).ProviderPath)
        $running = [System.Collections.Generic.List[object]]::new()
        $pending = [System.Collections.Generic.Queue[object]]::new([object[]]@($batches))
        while ($pending.Count -gt 0 -or $running.Count -gt 0) {
            while ($pending.Count -gt 0 -and $running.Count -lt $MaxBatches) {
                $batch = $pending.Dequeue()
                $arguments = @{ TenantsJson = (ConvertTo-Json -InputObject $batch.Tenants -Depth 3 -Compress); BatchName = $batch.Name; ResultFolder = $ResultFolder
                    ThrottleLimit = $ThrottleLimit; ModulePath = $ModulePath }
                if ($ReportScript) { $arguments.ReportScript = (Resolve-Path $ReportScript).Path }
                # Start-Job runs each batch in a process of its own, as Automation runs each job in a sandbox of its own.
                $job = Start-Job -Name $batch.Name -ScriptBlock { param($Script, $Arguments) & $Script @Arguments | Out-Null } -ArgumentList $worker, $arguments
                $running.Add([pscustomobject]@{ Job = $job; Batch = $batch })
            }
            $done = Wait-Job -Job @($running.Job) -Any
            $entry = $running | Where-Object { $_.Job.Id -eq $done.Id }
            $null = $running.Remove($entry)
            $file = Join-Path $ResultFolder "$($entry.Batch.Name).json"
            if ($done.State -eq 'Completed' -and (Test-Path $file)) { Get-Content -Raw $file | ConvertFrom-Json | ForEach-Object { $_ } }
            else { Get-BatchFailure $entry.Batch "The batch's job ended $($done.State): $($done.ChildJobs[0].JobStateInfo.Reason.Message)" }
            Remove-Job -Job $done -Force
        }
    }
    'AzureAutomation' {
        if (-not ($ResourceGroupName -and $AutomationAccountName -and $ResultContainerUri)) {
            throw '-Engine AzureAutomation needs -ResourceGroupName, -AutomationAccountName and -ResultContainerUri.'
        }
        if (-not (Get-Command Start-AzAutomationRunbook -ErrorAction SilentlyContinue)) { throw '-Engine AzureAutomation needs the Az.Automation module (Install-PSResource Az.Automation) and Connect-AzAccount.' }
        $account = @{ ResourceGroupName = $ResourceGroupName; AutomationAccountName = $AutomationAccountName }
        $jobs = foreach ($batch in $batches) {
            $parameters = @{ TenantsJson = (ConvertTo-Json -InputObject $batch.Tenants -Depth 3 -Compress); BatchName = $batch.Name
                ResultContainerUri = $ResultContainerUri; ThrottleLimit = $ThrottleLimit }
            [pscustomobject]@{ Batch = $batch; Job = Start-AzAutomationRunbook @account -Name $RunbookName -Parameters $parameters }
        }
        $container = [uri]$ResultContainerUri
        foreach ($entry in $jobs) {
            # Automation runs the jobs in parallel on its own workers; wait for each in turn.
            do { $job = Get-AzAutomationJob @account -Id $entry.Job.JobId; if ($job.Status -notin 'Completed', 'Failed', 'Stopped', 'Suspended') { Start-Sleep -Seconds 15 } }
            while ($job.Status -notin 'Completed', 'Failed', 'Stopped', 'Suspended')
            if ($job.Status -ne 'Completed') { Get-BatchFailure $entry.Batch "The batch's Automation job $($job.JobId) ended $($job.Status): $($job.Exception)"; continue }
            $blob = '{0}/{1}.json{2}' -f $container.GetLeftPart([System.UriPartial]::Path).TrimEnd('/'), $entry.Batch.Name, $container.Query
            Invoke-RestMethod -Uri $blob | ForEach-Object { $_ }
        }
    }
}
