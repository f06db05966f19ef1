# The runbook an Exchange admin actually writes (issue 4), run verbatim against the sandbox, each change
# checked through a following Get. The sandbox seeds a shared mailbox 'sales' with delegates, a group 'team',
# archives on some mailboxes, and Anežka (anezka.dvorak) forwarding to a personal address.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 60
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -PageSize 25
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "exoadmin-runbook-$PID"
    New-Item -ItemType Directory -Force -Path $work | Out-Null
    Push-Location $work
}

AfterAll {
    Pop-Location
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Reports' {
    It 'lists every mailbox with DisplayName and PrimarySmtpAddress' {
        $rows = @(Get-EXOMailbox -ResultSize Unlimited | Select DisplayName, PrimarySmtpAddress)

        $rows | Should -HaveCount 60
        ($rows | Where-Object PrimarySmtpAddress -eq 'alex@contoso.com').DisplayName | Should -Be 'Alex Wilber'
    }

    It 'shows the delegates of the shared sales mailbox' {
        $permissions = @(Get-EXOMailboxPermission -Identity "sales@contoso.com")

        $permissions.User | Should -Be @('NT AUTHORITY\SELF', 'admin@contoso.com', 'anezka.dvorak@contoso.com')
        $permissions[1].AccessRights | Should -Be @('FullAccess')
        $permissions[1].PSObject.TypeNames[0] | Should -Be 'ExoAdmin.MailboxPermission'
        $permissions[1].Deny | Should -BeFalse
    }

    It 'exports mailbox sizes to CSV as Exchange prints them' {
        Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxStatistics | Select DisplayName, TotalItemSize | Export-Csv .\mailbox-sizes.csv -NoTypeInformation

        $csv = @(Import-Csv .\mailbox-sizes.csv)
        $csv | Should -HaveCount 60
        $alex = $csv | Where-Object DisplayName -eq 'Alex Wilber'
        $alex.TotalItemSize | Should -Match '^\d+(\.\d+)? (KB|MB|GB) \(\d{1,3}(,\d{3})* bytes\)$'
    }

    It 'offers the remote-PowerShell size methods on TotalItemSize' {
        $stats = Get-EXOMailboxStatistics -Identity alex

        $bytes = $stats.TotalItemSize.Value.ToBytes()
        $stats.TotalItemSize.Value.ToMB() | Should -Be ([math]::Floor($bytes / 1MB))
        $stats.TotalItemSize.Value.ToGB() | Should -Be ([math]::Floor($bytes / 1GB))
        "$($stats.TotalItemSize)" | Should -BeLike "* ($('{0:N0}' -f $bytes -replace '[^\d,]', ',') bytes)"
        $stats.PSObject.TypeNames[0] | Should -Be 'ExoAdmin.MailboxStatistics'
    }

    It 'finds the mailboxes without an archive and exports them' {
        $noArchive = Get-EXOMailbox -ResultSize Unlimited -PropertySets Minimum, Archive | Where-Object { -not $_.ArchiveStatus -or $_.ArchiveStatus -eq 'None' }
        $noArchive | Select-Object DisplayName, PrimarySmtpAddress, ArchiveStatus | Export-Csv .\no-archive.csv -NoTypeInformation

        $csv = @(Import-Csv .\no-archive.csv)
        $csv.PrimarySmtpAddress | Should -Contain 'sales@contoso.com'
        $csv.PrimarySmtpAddress | Should -Not -Contain 'alex@contoso.com'
        $csv.Count | Should -BeLessThan 60
    }

    It 'binds the pipeline by property name into the other Get-EXO* cmdlets' {
        $cas = @(Get-EXOMailbox -ResultSize 3 | Get-EXOCasMailbox)
        $cas | Should -HaveCount 3
        $cas[0].OWAEnabled | Should -BeTrue

        $perms = @(Get-EXOMailbox -Identity sales | Get-EXOMailboxPermission)
        $perms.User | Should -Contain 'admin@contoso.com'
    }

    It 'filters classic cmdlets with OPATH evaluated by the service, $true included' {
        $shared = @(Get-Mailbox -Filter "RecipientTypeDetails -eq 'SharedMailbox' -and Alias -like 'sal*'" -ResultSize Unlimited)
        $shared.Alias | Should -Be @('sales')
        @(Get-Mailbox -Filter 'HiddenFromAddressListsEnabled -eq $true' -ResultSize Unlimited) | ForEach-Object { $_.HiddenFromAddressListsEnabled | Should -BeTrue }
        Get-Mailbox -Filter "Colour -eq 'blue'" -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].Exception.Message | Should -Match 'Colour'
    }

    It 'filters Get-DistributionGroup with OPATH evaluated by the service, and names an unknown property' {
        @(Get-DistributionGroup -Filter "DisplayName -like 'All*'").Name | Should -Be @('all-staff')
        @(Get-DistributionGroup -Filter "EmailAddresses -like '*team@contoso.onmicrosoft.com' -or Alias -eq 'all-staff'").Name | Should -Be @('team', 'all-staff')
        @(Get-DistributionGroup -Filter "-not (Alias -eq 'team') -and RecipientTypeDetails -eq 'MailUniversalDistributionGroup'").Name | Should -Be @('all-staff')
        @(Get-DistributionGroup -Filter "ManagedBy -ne `$null" -ResultSize 1) | Should -HaveCount 1

        Get-DistributionGroup -Filter "Colour -eq 'blue' -and Alias -eq 'team'" -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].Exception.Message | Should -Match "'Colour' is not a recognized filterable property"
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'filters with OPATH converted to OData' {
        $found = @(Get-EXOMailbox -Filter "DisplayName -like 'Alex*' -and RecipientTypeDetails -eq 'UserMailbox'")

        $found.PrimarySmtpAddress | Should -Contain 'alex@contoso.com'
        $found | ForEach-Object { $_.DisplayName | Should -BeLike 'Alex*' }
    }
}

Describe 'Changes' {
    It 'grants FullAccess without automapping' {
        Add-MailboxPermission -Identity sales -User alex -AccessRights FullAccess -AutoMapping $false

        (Get-EXOMailboxPermission -Identity sales).User | Should -Contain 'alex@contoso.com'
    }

    It 'schedules an out-of-office reply' {
        $start = (Get-Date).Date.AddDays(1)
        $end = $start.AddDays(14)
        Set-MailboxAutoReplyConfiguration -Identity alex -AutoReplyState Scheduled -StartTime $start -EndTime $end -InternalMessage "I'm on leave." -ExternalMessage "I'm away until $($end.ToShortDateString())."

        $config = Get-MailboxAutoReplyConfiguration -Identity alex
        $config.AutoReplyState | Should -Be 'Scheduled'
        $config.EndTime | Should -BeOfType [datetime]
        $config.EndTime.ToUniversalTime() | Should -Be $end.ToUniversalTime()
        $config.InternalMessage | Should -Be "I'm on leave."
    }

    It 'adds a member to the team group, and a second time is a non-terminating error' {
        Add-DistributionGroupMember -Identity team -Member alex

        (Get-DistributionGroupMember -Identity team).Alias | Should -Contain 'alex'
        Add-DistributionGroupMember -Identity team -Member alex -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'MemberAlreadyExistsException*'
        { Add-DistributionGroupMember -Identity team -Member alex -ErrorAction Stop } | Should -Throw
    }

    It 'forwards mail while keeping a copy' {
        Set-Mailbox alex -ForwardingSmtpAddress bob@fabrikam.com -DeliverToMailboxAndForward $true

        $mailbox = Get-EXOMailbox -Identity alex -Properties ForwardingSmtpAddress, DeliverToMailboxAndForward
        $mailbox.ForwardingSmtpAddress | Should -Be 'smtp:bob@fabrikam.com'
        $mailbox.DeliverToMailboxAndForward | Should -BeTrue
    }

    It 'adds and removes proxy addresses with @{Add=...;Remove=...}' {
        Set-Mailbox alex -EmailAddresses @{Add = 'smtp:alex.wilber@contoso.com'}
        (Get-EXOMailbox -Identity alex).EmailAddresses | Should -Contain 'smtp:alex.wilber@contoso.com'

        Set-Mailbox alex -EmailAddresses @{Remove = 'smtp:alex.wilber@contoso.com'}
        (Get-EXOMailbox -Identity alex).EmailAddresses | Should -Not -Contain 'smtp:alex.wilber@contoso.com'
    }

    It 'reports an unknown identity per item and carries on with the next' {
        $results = @('alex', 'nobody', 'admin') | Get-Mailbox -ErrorAction SilentlyContinue -ErrorVariable failed

        $results.Alias | Should -Be @('alex', 'admin')
        $failed | Should -HaveCount 1
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].TargetObject | Should -Be 'nobody'
    }

    It 'turns a no-op change into a warning' {
        Set-Mailbox alex -HiddenFromAddressListsEnabled $false -WarningVariable warned -WarningAction SilentlyContinue

        "$warned" | Should -Match 'no settings'
    }

    It 'runs any service cmdlet through Invoke-ExoCommand' {
        $rules = @(Invoke-ExoCommand -Name Get-InboxRule -Parameters @{ Mailbox = 'alex' })

        $rules.Name | Should -Contain 'Newsletters'
    }
}

Describe 'The leaver script' {
    BeforeAll {
        # A leaver runbook as admins write it: convert to shared, stop forwarding, leave every group, give the manager access.
        $script:leaver = {
            param($Leaver, $Manager, [switch] $WhatIf)
            $mailbox = Get-EXOMailbox -Identity $Leaver
            Set-Mailbox -Identity $mailbox.UserPrincipalName -Type Shared -WhatIf:$WhatIf
            Set-Mailbox -Identity $mailbox.UserPrincipalName -ForwardingSmtpAddress $null -ForwardingAddress $null -DeliverToMailboxAndForward $false -WhatIf:$WhatIf
            foreach ($group in Get-DistributionGroup -ResultSize Unlimited) {
                if ((Get-DistributionGroupMember -Identity $group.Identity -ResultSize Unlimited).PrimarySmtpAddress -contains $mailbox.PrimarySmtpAddress) {
                    Remove-DistributionGroupMember -Identity $group.Identity -Member $mailbox.PrimarySmtpAddress -BypassSecurityGroupManagerCheck -Confirm:$false -WhatIf:$WhatIf
                }
            }
            Add-MailboxPermission -Identity $mailbox.UserPrincipalName -User $Manager -AccessRights FullAccess -InheritanceType All -AutoMapping $true -WhatIf:$WhatIf
        }
        $script:groupsOf = {
            param($alias)
            @(Get-DistributionGroup | Where-Object { (Get-DistributionGroupMember -Identity $_.Identity).Alias -contains $alias }).Name
        }
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-EXOMailbox -Identity anezka.dvorak -Properties ForwardingSmtpAddress
        $groupsBefore = & $groupsOf 'anezka.dvorak'
        $groupsBefore | Should -Contain 'team'

        & $leaver -Leaver anezka.dvorak -Manager alex -WhatIf 6> $null

        $after = Get-EXOMailbox -Identity anezka.dvorak -Properties ForwardingSmtpAddress
        $after.RecipientTypeDetails | Should -Be 'UserMailbox'
        $after.ForwardingSmtpAddress | Should -Be $before.ForwardingSmtpAddress
        & $groupsOf 'anezka.dvorak' | Should -Be $groupsBefore
        (Get-EXOMailboxPermission -Identity anezka.dvorak).User | Should -Not -Contain 'alex@contoso.com'
    }

    It 'converts the mailbox, stops forwarding, leaves the groups and grants the manager FullAccess' {
        & $leaver -Leaver anezka.dvorak -Manager alex

        $after = Get-EXOMailbox -Identity anezka.dvorak -Properties ForwardingSmtpAddress, DeliverToMailboxAndForward
        $after.RecipientTypeDetails | Should -Be 'SharedMailbox'
        $after.ForwardingSmtpAddress | Should -BeNullOrEmpty
        $after.DeliverToMailboxAndForward | Should -BeFalse
        & $groupsOf 'anezka.dvorak' | Should -BeNullOrEmpty
        $grant = Get-EXOMailboxPermission -Identity anezka.dvorak -User alex
        $grant.AccessRights | Should -Be @('FullAccess')
    }
}
