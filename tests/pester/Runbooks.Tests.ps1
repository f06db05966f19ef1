# The example runbooks as Azure Automation runs them: a non-interactive pwsh with the Automation
# environment variables set, the asset cmdlets available, ExoAdmin found through PSModulePath, and the
# assets pointing at a sandbox tenant.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 30
    $script:tenant = $sandbox.Tenants[0]
    $script:seed = Get-SeededMailboxes -Tenant $tenant.organization -Mailboxes 30 -Sandbox $sandbox
    $script:runbooks = Join-Path $PSScriptRoot '../../examples/runbooks'

    function Invoke-Runbook([string] $Runbook, [hashtable] $Assets, [string[]] $Arguments, [hashtable] $ExtraEnvironment = @{}) {
        $assetFile = Join-Path $TestDrive "assets-$([guid]::NewGuid()).json"
        $Assets | ConvertTo-Json -Depth 5 | Set-Content $assetFile
        $saved = @{}
        $environment = @{
            AUTOMATION_ASSET_ACCOUNTID       = [guid]::NewGuid().ToString()
            AUTOMATION_ASSET_SANDBOX_ID      = [guid]::NewGuid().ToString()
            EXOADMIN_TEST_AUTOMATION_ASSETS  = $assetFile
            PSModulePath                     = @((Join-Path $PSScriptRoot 'AutomationAssets'), (Split-Path (Split-Path $env:EXOADMIN_MODULE_PATH)), $env:PSModulePath) -join [System.IO.Path]::PathSeparator
        }
        foreach ($name in $ExtraEnvironment.Keys) { $environment[$name] = $ExtraEnvironment[$name] }
        foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        try {
            # Every stream of the job, as Automation would record it.
            $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $runbooks $Runbook) @Arguments -Verbose *>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

AfterAll { $sandbox | Stop-ExoSandbox }

Describe 'MailboxInventory-Certificate.ps1' {
    BeforeAll {
        $script:csv = Join-Path $TestDrive 'inventory.csv'
        $script:job = Invoke-Runbook 'MailboxInventory-Certificate.ps1' -Arguments '-OutputPath', $csv -Assets @{
            variables    = @{
                ExoAdminAppId         = $tenant.appId
                ExoAdminOrganization  = $tenant.organization
                ExoAdminConnectionUri = $sandbox.ConnectionUri
                ExoAdminAuthorityUri  = $sandbox.AuthorityUri
            }
            certificates = @{ ExoAdminApp = @{ path = $tenant.certificatePath; password = $tenant.certificatePassword } }
        }
    }

    It 'completes and writes every mailbox to the CSV' {
        $job.ExitCode | Should -Be 0 -Because $job.Output
        $rows = @(Import-Csv $csv)
        $rows | Should -HaveCount 30
        $rows.PrimarySmtpAddress | Sort-Object | Should -Be ($seed.PrimarySmtpAddress | Sort-Object)
        ($rows | Where-Object PrimarySmtpAddress -EQ $seed[1].PrimarySmtpAddress).ArchiveStatus | Should -Be $seed[1].ArchiveStatus
        $job.Output | Should -Match "Wrote 30 mailboxes to $([regex]::Escape($csv))"
    }

    It 'leaves a job log with request traces and without secrets' {
        $job.Output | Should -Match 'GET /adminapi/beta/\S+/Mailbox\S* 200 in \d+ ms'
        $job.Output | Should -Not -Match ([regex]::Escape($tenant.certificatePassword))
        $job.Output | Should -Not -Match 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.'
    }

    It 'fails the job with a clear error when an asset is missing' {
        $failed = Invoke-Runbook 'MailboxInventory-Certificate.ps1' -Arguments '-OutputPath', (Join-Path $TestDrive 'none.csv') -Assets @{
            variables = @{ ExoAdminAppId = $tenant.appId }; certificates = @{}
        }
        $failed.ExitCode | Should -Not -Be 0
        $failed.Output | Should -Match 'ExoAdminOrganization'
    }
}

Describe 'MailboxSizeReport-ManagedIdentity.ps1' {
    BeforeAll {
        $script:report = Join-Path $TestDrive 'sizes.csv'
        # Azure Automation gives a job its identity through these two variables; here they name the sandbox.
        $identity = @{
            IDENTITY_ENDPOINT = $sandbox.Info.managedIdentity.identityEndpoint
            IDENTITY_HEADER   = $sandbox.Info.managedIdentity.identityHeader
        }
        $script:job = Invoke-Runbook 'MailboxSizeReport-ManagedIdentity.ps1' -Arguments '-OutputPath', $report -ExtraEnvironment $identity -Assets @{
            variables = @{
                ExoAdminOrganization  = $tenant.organization
                ExoAdminConnectionUri = $sandbox.ConnectionUri
                ExoAdminAuthorityUri  = $sandbox.AuthorityUri
            }
        }
    }

    It 'signs in with the managed identity and writes every mailbox''s size, as Exchange prints it, largest first' {
        $job.ExitCode | Should -Be 0 -Because $job.Output
        $rows = @(Import-Csv $report)
        $rows | Should -HaveCount 30
        $rows.PrimarySmtpAddress | Sort-Object | Should -Be ($seed.PrimarySmtpAddress | Sort-Object)
        $rows | ForEach-Object { $_.TotalItemSize | Should -Match '^\d+(\.\d+)? (B|KB|MB|GB|TB) \([\d,]+ bytes\)$' }
        $sizes = @($rows | ForEach-Object { [long]($_.TotalItemSize -replace '^.*\(([\d,]+) bytes\)$', '$1' -replace ',', '') })
        $sizes | Where-Object { $_ -le 0 } | Should -BeNullOrEmpty
        $sizes | Should -Be ($sizes | Sort-Object -Descending)
    }

    It 'reports the total as a size, not a raw byte count' {
        # The job's output stream shows the result object as a table: Path, Mailboxes, TotalSize.
        $job.Output | Should -Match 'TotalSize'
        $job.Output | Should -Match '\s30 \d+(\.\d+)? (MB|GB|TB) \([\d,]+'
        $job.Output | Should -Not -Match '\d{9,}\.\d\d'
    }

    It 'reads the statistics through the pipeline, one request per mailbox, not one command per mailbox' {
        # Mailboxes piped into one Get-EXOMailboxStatistics, which fans them out (-MaxConcurrency), rather than a
        # Get-EXOMailboxStatistics -Identity per mailbox inside ForEach-Object, which reads them one at a time.
        $ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $runbooks 'MailboxSizeReport-ManagedIdentity.ps1'), [ref]$null, [ref]$null)
        $pipelines = $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.PipelineAst] }, $true)
        $piped = $pipelines | Where-Object {
            $names = @($_.PipelineElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandAst] } | ForEach-Object { $_.GetCommandName() })
            $names.IndexOf('Get-EXOMailbox') -ge 0 -and $names.IndexOf('Get-EXOMailboxStatistics') -gt $names.IndexOf('Get-EXOMailbox')
        }
        $piped | Should -HaveCount 1
        @($job.Output -split "`n" | Where-Object { $_ -match 'GET /adminapi/beta/\S+/Exchange\.GetMailboxStatistics\(\)' }) | Should -HaveCount 30
    }

    It 'leaves no token in the job log' {
        $job.Output | Should -Not -Match 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.'
        $job.Output | Should -Not -Match ([regex]::Escape($sandbox.Info.managedIdentity.identityHeader))
    }
}
