# Every cmdlet the service offers, with every parameter it has (issue 11, client side): the compiled cmdlets' full
# parameters from the catalogue, the real module file's cmdlets as commands in ExoAdmin.Exchange, one execution path
# with fan-out, SecureStrings encrypted, Exchange-style errors and -WhatIf through the service's confirmation probe.
# Contoso's app is Organization Management; Fabrikam's is Recipient Management (no Legal Hold parameters). The service's
# Set-Mailbox has -PreviewSetting, which Microsoft's reference (the catalogue) does not list yet (--undocumented-parameter).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:latencyMs = 20
    $script:sandbox = Start-TestSandbox -Tenant contoso.onmicrosoft.com, fabrikam.onmicrosoft.com -Mailboxes 50 `
        -ExtraArguments @('--role', 'fabrikam.onmicrosoft.com=RecipientManagement', '--undocumented-parameter', 'Set-Mailbox:PreviewSetting')
    $script:contoso = $sandbox.Tenants | Where-Object organization -eq 'contoso.onmicrosoft.com'
    $script:fabrikam = $sandbox.Tenants | Where-Object organization -eq 'fabrikam.onmicrosoft.com'
    # The catalogue's entries of the cmdlets compared against, each as ConvertFrom-Json gives it: converting the whole
    # 2 MB catalogue would take seconds, so only these entries are.
    $document = [System.Text.Json.JsonDocument]::Parse([System.IO.File]::ReadAllText((Join-Path $PSScriptRoot '../../src/Schema/cmdlet-catalogue.json')), [System.Text.Json.JsonDocumentOptions]::new())
    try {
        $script:catalogue = @(foreach ($entry in $document.RootElement.GetProperty('cmdlets').EnumerateArray()) {
                if ($entry.GetProperty('name').GetString() -in 'Set-Mailbox', 'New-MailUser') { $entry.GetRawText() | ConvertFrom-Json }
            })
    }
    finally { $document.Dispose() }
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -Tenant $contoso
    $script:upns = @(Get-EXOMailbox -ResultSize Unlimited | ForEach-Object UserPrincipalName)
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Compiled cmdlets have every parameter the service offers' {
    It 'shows the catalogue''s Exchange Online parameter sets and parameters in Get-Command -Syntax' {
        $entry = $catalogue | Where-Object name -eq 'Set-Mailbox'
        $online = @($entry.parameters | Where-Object { $_.services -contains 'exchange' })
        $command = Get-Command Set-Mailbox

        $online | Should -HaveCount 130
        @($command.ParameterSets.Name | Sort-Object) | Should -Be @($entry.parameterSets.name | Sort-Object)
        foreach ($parameter in $online) { $command.Parameters.Keys | Should -Contain $parameter.Name }
        $syntax = (Get-Command Set-Mailbox -Syntax) -join "`n"
        $syntax | Should -Match 'Set-Mailbox \[-Identity\] <string> -RemoveDelayHoldApplied'
        $syntax | Should -Match '\[-LitigationHoldEnabled <bool>\]'
        $syntax | Should -Match '\[-ProhibitSendQuota <Object>\]'
    }

    It 'applies ten parameters outside its old set and reads them back through Get-Mailbox and Get-EXOMailbox' {
        $who = $upns[1]
        Set-Mailbox $who -CustomAttribute1 'north' -CustomAttribute7 'cost-centre 42' -ProhibitSendQuota 49GB -IssueWarningQuota 48GB `
            -RetainDeletedItemsFor 30.00:00:00 -LitigationHoldEnabled $true -SingleItemRecoveryEnabled $false -MessageCopyForSentAsEnabled $true `
            -Office 'Building 7' -MailTip 'On leave until May' -Confirm:$false

        $classic = Get-Mailbox $who
        $classic.CustomAttribute1 | Should -Be 'north'
        $classic.CustomAttribute7 | Should -Be 'cost-centre 42'
        $classic.ProhibitSendQuota.ToString() | Should -Be '49 GB (52,613,349,376 bytes)'
        $classic.IssueWarningQuota.ToString() | Should -Be '48 GB (51,539,607,552 bytes)'
        "$($classic.RetainDeletedItemsFor)" | Should -Be '30.00:00:00'
        $classic.LitigationHoldEnabled | Should -BeTrue
        $classic.SingleItemRecoveryEnabled | Should -BeFalse
        $classic.MessageCopyForSentAsEnabled | Should -BeTrue
        $classic.Office | Should -Be 'Building 7'
        $classic.MailTip | Should -Be 'On leave until May'

        $entity = Get-EXOMailbox -Identity $who -Properties CustomAttribute1, CustomAttribute7, ProhibitSendQuota, IssueWarningQuota, RetainDeletedItemsFor,
            LitigationHoldEnabled, SingleItemRecoveryEnabled, MessageCopyForSentAsEnabled, Office, MailTip
        $entity.CustomAttribute1 | Should -Be 'north'
        $entity.CustomAttribute7 | Should -Be 'cost-centre 42'
        $entity.ProhibitSendQuota.ToString() | Should -Be '49 GB (52,613,349,376 bytes)'
        $entity.IssueWarningQuota.ToString() | Should -Be '48 GB (51,539,607,552 bytes)'
        "$($entity.RetainDeletedItemsFor)" | Should -Be '30.00:00:00'
        $entity.LitigationHoldEnabled | Should -BeTrue
        $entity.SingleItemRecoveryEnabled | Should -BeFalse
        $entity.MessageCopyForSentAsEnabled | Should -BeTrue
        $entity.Office | Should -Be 'Building 7'
        $entity.MailTip | Should -Be 'On leave until May'
    }

    It 'takes a parameter the connection''s module file has beyond the catalogue, and sends it' {
        ($catalogue | Where-Object name -eq 'Set-Mailbox').parameters.name | Should -Not -Contain 'PreviewSetting'
        $who = $upns[2], $upns[3]
        Clear-SandboxAudit -Sandbox $sandbox

        (Get-Command Set-Mailbox).Parameters['PreviewSetting'].ParameterType | Should -Be ([string])
        ((Get-Command Set-Mailbox -Syntax) -join "`n") | Should -Match '\[-PreviewSetting <string>\]'
        $who | Set-Mailbox -PreviewSetting 'early' -Confirm:$false

        foreach ($upn in $who) { (Get-Mailbox $upn).PreviewSetting | Should -Be 'early' }
        @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox) | Should -HaveCount 2
        # The connection's module file is what gives it: a session without a connection has the compiled parameters only.
        $fresh = [powershell]::Create()
        try {
            $without = $fresh.AddScript("Import-Module '$env:EXOADMIN_MODULE_PATH'; (Get-Command Set-Mailbox).Parameters.ContainsKey('PreviewSetting')").Invoke()
            "$without" | Should -Be 'False'
        }
        finally { $fresh.Dispose() }
    }

    It 'refuses, before sending, a parameter the connection''s role lacks' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $fabrikam -Prefix Fab
        Clear-SandboxAudit -Sandbox $sandbox

        $err = { Set-Mailbox alex -LitigationHoldEnabled $true -ModulePrefix Fab -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterNotAvailable,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.TargetObject | Should -Be 'LitigationHoldEnabled'
        $err.Exception.Message | Should -Match 'The parameter -LitigationHoldEnabled of Set-Mailbox is not available on this connection.*Nothing was sent'
        (Get-Command Set-FabMailbox).Parameters.Keys | Should -Not -Contain 'LitigationHoldEnabled'   # the generated one never had it
        Set-Mailbox alex -CustomAttribute3 'allowed' -ModulePrefix Fab -Confirm:$false
        @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox) | Should -HaveCount 1
        Disconnect-ExchangeOnline -ModulePrefix Fab -Confirm:$false
    }
}

Describe 'The module file''s cmdlets' {
    It 'become commands of ExoAdmin.Exchange, without taking a name that already has a command' {
        $made = @(Get-Command -Module ExoAdmin.Exchange)

        $made.Count | Should -BeGreaterThan 500
        $made.Name | Should -Contain 'New-MailUser'
        $made.Name | Should -Not -Contain 'Get-Mailbox'   # compiled into ExoAdmin, which keeps it
        (Get-Command Get-Mailbox).Source | Should -Be 'ExoAdmin'
        foreach ($builtIn in 'Get-Credential', 'ConvertTo-SecureString', 'Get-Command', 'Import-Module') {
            (Get-Command $builtIn).Source | Should -BeLike 'Microsoft.PowerShell.*'
        }
        # No command of the module hides one of the same name elsewhere (every name asked in one Get-Command: one call each
        # would take seconds).
        $hidden = Get-Command -Name $made.Name -All -CommandType Alias, Function, Filter, Cmdlet | Group-Object Name | Where-Object Count -GT 1
        $hidden | Should -BeNullOrEmpty
    }

    It 'have the service''s syntax: sets, positions, mandatory flags and pipeline binding' {
        $command = Get-Command New-MailUser
        $entry = $catalogue | Where-Object name -eq 'New-MailUser'
        $online = @($entry.parameters | Where-Object { $_.services -contains 'exchange' })
        # Sets that need a parameter Exchange Online lacks (EnabledUser needs -UserPrincipalName) are not the service's.
        $unusable = @($entry.parameters | Where-Object { $_.required -and $_.services -notcontains 'exchange' } | ForEach-Object sets)
        @($command.ParameterSets.Name | Sort-Object) | Should -Be @($online.sets | Where-Object { $_ -notin $unusable } | Sort-Object -Unique)
        foreach ($parameter in $online) { $command.Parameters.Keys | Should -Contain $parameter.name }
        $command.Parameters['Password'].ParameterType | Should -Be ([securestring])
        $command.Parameters['Name'].ParameterSets.Values.Position | Select-Object -Unique | Should -Be 0
        $command.Parameters['Name'].ParameterSets.Values.IsMandatory | Select-Object -Unique | Should -BeTrue
    }

    It 'are removed with the module, and come back with the next connection' {
        Remove-Module ExoAdmin.Exchange
        Get-Command New-MailUser -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Mailbox alex).Alias | Should -Be 'alex'   # the connection and the compiled cmdlets stay

        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso
        (Get-Command New-MailUser).Source | Should -Be 'ExoAdmin.Exchange'
    }

    It 'fan 1,000 piped identities out, with the output in input order' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -Prefix Fan
        $identities = foreach ($round in 1..20) { $upns }
        $identities.Count | Should -Be 1000
        # What each identity answers, asked one at a time.
        $each = @{}
        foreach ($upn in $upns) { $each[$upn] = (Get-FanMailboxAutoReplyConfiguration -Identity $upn).Identity }

        # Now every InvokeCommand answer waits $latencyMs at the sandbox (only here: the file's other requests need no delay).
        $id = Add-SandboxFault -Sandbox $sandbox -Kind latency -Path '/adminapi/beta/*/InvokeCommand' -Method POST -LatencyMs $latencyMs
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $out = @($identities | Get-FanMailboxAutoReplyConfiguration)
            $clock.Stop()
            $delayed = (Get-SandboxFault -Sandbox $sandbox | Where-Object id -EQ $id).injected
        }
        finally { Clear-SandboxFault -Sandbox $sandbox -Id $id }
        $delayed | Should -BeGreaterOrEqual 1000 -Because 'every item waited the latency'

        (Get-Command Get-FanMailboxAutoReplyConfiguration).CommandType | Should -Be 'Function'
        @($out.Identity) | Should -Be @($identities | ForEach-Object { $each[$_] })
        # One at a time cannot beat 1,000 x the sandbox's latency, however fast the machine: the items were in flight together.
        $clock.Elapsed.TotalMilliseconds | Should -BeLessThan (1000 * $latencyMs)
        Disconnect-ExchangeOnline -ModulePrefix Fan -Confirm:$false
    }

    It 'look as the compiled cmdlet does: the same type names and default view' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -Prefix Look
        $compiled = Get-Mailbox alex
        $generated = Get-LookMailbox alex

        $compiled.PSObject.TypeNames[0] | Should -Be 'Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox'
        $generated.PSObject.TypeNames[0] | Should -Be $compiled.PSObject.TypeNames[0]
        $view = ($compiled | Format-Table | Out-String -Width 300)
        $view | Should -Match 'Name\s+Alias\s+Database\s+ProhibitSendQuota\s+ExternalDirectoryObjectId'
        ($generated | Format-Table | Out-String -Width 300) | Should -Be $view
        (Get-MailboxAutoReplyConfiguration alex | Out-String) | Should -Match 'InternalMessage'
        Disconnect-ExchangeOnline -ModulePrefix Look -Confirm:$false
    }
}

Describe 'SecureString parameters' {
    It 'New-MailUser -Password reaches the service encrypted, and the plaintext is in no stream, trace or sandbox log' {
        $plain = 'Ava-' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!'
        $password = ConvertTo-SecureString $plain -AsPlainText -Force
        $upn = "ava.$([guid]::NewGuid().ToString('N').Substring(0, 6))@$($contoso.organization)"
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "exoadmin-$([guid]::NewGuid()).txt"
        Clear-SandboxAudit -Sandbox $sandbox

        Start-Transcript -Path $transcript | Out-Null
        try {
            $streams = New-MailUser -Name "Ava $upn" -ExternalEmailAddress 'SMTP:ava@partner.example' -MicrosoftOnlineServicesID $upn -Password $password `
                -Verbose -Debug *>&1 | Out-String
        }
        finally { Stop-Transcript | Out-Null }

        $streams | Should -Not -BeNullOrEmpty
        $streams | Should -Not -Match ([regex]::Escape($plain))
        Get-Content -Raw $transcript | Should -Not -Match ([regex]::Escape($plain))
        (Get-SandboxAudit -Sandbox $sandbox -Cmdlet New-MailUser | ConvertTo-Json -Depth 6) | Should -Not -Match ([regex]::Escape($plain))
        (Get-Recipient $upn).RecipientTypeDetails | Should -Be 'MailUser'
        # The service decrypted what it was sent: the new user signs in with that password, and not with another.
        Get-UserAccessToken -Sandbox $sandbox -User @{ userPrincipalName = $upn; password = $plain } -Tenant $contoso.organization | Should -Not -BeNullOrEmpty
        { Get-UserAccessToken -Sandbox $sandbox -User @{ userPrincipalName = $upn; password = 'not-it' } -Tenant $contoso.organization } | Should -Throw
        Remove-Item $transcript -ErrorAction SilentlyContinue
    }
}

Describe 'SecureString parameters of a compiled cmdlet' {
    It 'Set-Mailbox -Password resets the account''s password encrypted, and the plaintext is in no stream, trace or sandbox log' {
        $plain = 'Reset-' + [guid]::NewGuid().ToString('N').Substring(0, 12) + '!'
        $upn = $upns[4]
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "exoadmin-$([guid]::NewGuid()).txt"
        Clear-SandboxAudit -Sandbox $sandbox
        (Get-Command Set-Mailbox).Parameters['Password'].ParameterType | Should -Be ([securestring])

        Start-Transcript -Path $transcript | Out-Null
        try {
            $streams = Set-Mailbox $upn -Password (ConvertTo-SecureString $plain -AsPlainText -Force) -Confirm:$false -Verbose -Debug *>&1 | Out-String
        }
        finally { Stop-Transcript | Out-Null }

        $streams | Should -Match 'Set-Mailbox'
        $streams | Should -Not -Match ([regex]::Escape($plain))
        Get-Content -Raw $transcript | Should -Not -Match ([regex]::Escape($plain))
        $audit = @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox)
        $audit | Should -HaveCount 1
        ($audit | ConvertTo-Json -Depth 6) | Should -Not -Match ([regex]::Escape($plain))
        # The service decrypted what it was sent: the account signs in with the new password, and not with another.
        Get-UserAccessToken -Sandbox $sandbox -User @{ userPrincipalName = $upn; password = $plain } -Tenant $contoso.organization | Should -Not -BeNullOrEmpty
        { Get-UserAccessToken -Sandbox $sandbox -User @{ userPrincipalName = $upn; password = 'not-it' } -Tenant $contoso.organization } | Should -Throw
        Remove-Item $transcript -ErrorAction SilentlyContinue
    }
}

Describe 'Errors and -WhatIf as the service reports them' {
    It 'gives a missing object Exchange''s error record, from the compiled and the generated cmdlet alike' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -Prefix Err
        foreach ($command in 'Get-Mailbox', 'Get-ErrMailbox') {
            & $command 'nobody' -ErrorAction SilentlyContinue -ErrorVariable failed
            $failed | Should -HaveCount 1
            $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failed[0].CategoryInfo.Reason | Should -Be 'ManagementObjectNotFoundException'
            $failed[0].CategoryInfo.Activity | Should -Be $command
            $failed[0].TargetObject | Should -Be 'nobody'
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManagementObjectNotFoundException`[Server=*,RequestId=*,TimeStamp=*`],*'
            $failed[0].Exception.Message | Should -Match "couldn't be found"
        }
        Disconnect-ExchangeOnline -ModulePrefix Err -Confirm:$false
    }

    It '-WhatIf prints the service''s confirmation message, changes nothing, and fails for a missing identity as for real' {
        $transcript = Join-Path ([IO.Path]::GetTempPath()) "exoadmin-$([guid]::NewGuid()).txt"
        $before = (Get-Mailbox alex).DisplayName
        Clear-SandboxAudit -Sandbox $sandbox

        Start-Transcript -Path $transcript | Out-Null
        try {
            Set-Mailbox alex -DisplayName 'Rehearsed' -WhatIf
            Set-Mailbox nobody -DisplayName 'Rehearsed' -WhatIf -ErrorAction SilentlyContinue -ErrorVariable failed
        }
        finally { Stop-Transcript | Out-Null }

        $text = Get-Content -Raw $transcript
        $text | Should -Match 'What if: Setting mailbox "[^"]*": DisplayName = ''Rehearsed''\.'
        $text | Should -Not -Match 'What if:.*nobody'
        $failed | Should -HaveCount 1
        $failed[0].CategoryInfo.Reason | Should -Be 'ManagementObjectNotFoundException'
        $failed[0].TargetObject | Should -Be 'nobody'
        (Get-Mailbox alex).DisplayName | Should -Be $before
        @(Get-SandboxAudit -Sandbox $sandbox -Cmdlet Set-Mailbox) | Should -BeNullOrEmpty
        Remove-Item $transcript -ErrorAction SilentlyContinue
    }
}
