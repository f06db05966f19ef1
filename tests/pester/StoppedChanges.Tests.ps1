# Issue 13, finding 5: Ctrl+C during fanned-out changes lost their outcome (16 changes applied, 8 unanswered at the stop,
# and no warning, no error). Now every change the sandbox's audit log says was applied reaches the admin: as its output
# (written before the stop), as an ExoChangeOutcomeUnknown error (sent, no answer before the stop; in $Error too), or
# named in the one warning the stop writes (answered, its output not written).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 60
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox
    $script:names = @((Get-EXOMailbox -ResultSize 41).Name)
    Disconnect-ExchangeOnline -Confirm:$false
}

AfterAll {
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Ctrl+C during fanned-out changes' {
    It 'reports every applied change as written, unknown or answered, naming each identity' {
        # Each change is applied, then its answer takes 700 ms: at any moment several are applied and unanswered.
        $null = Add-SandboxFault -Sandbox $sandbox -Kind latency -Path '/adminapi/beta/*/InvokeCommand' -Method POST -LatencyMs 700 -Phase after
        Clear-SandboxAudit -Sandbox $sandbox
        $user = $names[0]
        $targets = $names[1..40]
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                    param($ModulePath, $Sandbox, $Tenant, $User, $Targets)
                    Import-Module $ModulePath
                    $password = ConvertTo-SecureString $Tenant.certificatePassword -AsPlainText -Force
                    Connect-ExchangeOnline -AppId $Tenant.appId -Organization $Tenant.organization -CertificateFilePath $Tenant.certificatePath `
                        -CertificatePassword $password -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri -ShowBanner:$false -MaxConcurrency 8
                    $Targets | Add-MailboxPermission -User $User -AccessRights FullAccess
                }).AddArgument($env:EXOADMIN_MODULE_PATH).AddArgument($sandbox).AddArgument($tenant).AddArgument($user).AddArgument($targets)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)

            # Stop once some changes were applied (the audit log says so) and more are in flight.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (@(Get-SandboxAudit -Sandbox $sandbox -Cmdlet 'Add-MailboxPermission').Count -lt 6 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'

            # The changes the client gave up on are still answered by the sandbox: it says when they are in the audit log.
            Wait-SandboxIdle -Sandbox $sandbox
            $applied = @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet 'Add-MailboxPermission').identity | Sort-Object -Unique
            $written = @($output | ForEach-Object { [string]$_.Identity })
            $errors = @($ps.Runspace.SessionStateProxy.PSVariable.GetValue('Error'))
            $unknown = @($errors | Where-Object { $_.FullyQualifiedErrorId -eq 'ExoChangeOutcomeUnknown' })
            $unknownNames = @($unknown | ForEach-Object { [string]$_.TargetObject })
            $warning = @($ps.Streams.Warning | Where-Object Message -like 'The pipeline was stopped while Add-MailboxPermission changes were in flight*')

            $applied.Count | Should -BeLessThan $targets.Count   # the stop did stop the run
            $unknown.Count | Should -BeGreaterThan 0             # and it caught changes in flight
            $unknown | ForEach-Object { $_.Exception.Message | Should -Match "^The outcome of Add-MailboxPermission on '.+' is unknown: the pipeline was stopped before the service answered" }
            $warning.Count | Should -Be 1
            foreach ($name in $unknownNames) { $warning[0].Message | Should -BeLike "*'$name'*" }
            # A permission change names its target as 'mailbox (user)'.
            foreach ($name in $applied) {
                $reported = ($name -in $written) -or ($unknownNames -like "$name (*") -or ($warning[0].Message -like "*'$name (*")
                $reported | Should -BeTrue -Because "'$name' was applied (audit log), so the admin must have been told"
            }
        }
        finally {
            Clear-SandboxFault -Sandbox $sandbox
            if ($ps) { $ps.Dispose() }
        }
    }
}
