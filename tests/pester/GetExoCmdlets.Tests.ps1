# The eight Get-EXO* cmdlets besides Get-EXOMailbox, end to end: URLs the sandbox serves (§6.3), typed output,
# pipeline binding by property name, and per-identity errors.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 40
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Get-EXOMailboxStatistics' {
    It 'reports sizes as size objects, the archive with -Archive, and an error for a mailbox without one' {
        $primary = Get-EXOMailboxStatistics -Identity alex
        $archive = Get-EXOMailboxStatistics -Identity alex -Archive
        $primary.TotalItemSize.GetType().Name | Should -Be 'UnlimitedSize'
        $archive.DisplayName | Should -Be 'In-Place Archive - Alex Wilber'

        Get-EXOMailboxStatistics -Identity admin -Archive -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].TargetObject | Should -Be 'admin'
    }

    It 'compares sizes with what an admin types: a size, 50GB or Unlimited' {
        $primary = Get-EXOMailboxStatistics -Identity alex -PropertySets All
        $primary.TotalItemSize -gt '1KB' | Should -BeTrue
        $primary.TotalItemSize -lt 'Unlimited' | Should -BeTrue
        $primary.TotalItemSize -eq $primary.TotalItemSize.ToString() | Should -BeTrue
        @(Get-EXOMailbox -ResultSize 5 | Get-EXOMailboxStatistics | Where-Object TotalItemSize -GT '1 PB') | Should -BeNullOrEmpty
    }

    It 'keeps sizes in a JSON export, whatever its depth' {
        $statistics = Get-EXOMailboxStatistics -Identity alex
        $bytes = $statistics.TotalItemSize.Value.ToBytes()
        $bytes | Should -BeGreaterThan 0
        foreach ($depth in 2, 5) {
            $json = $statistics | ConvertTo-Json -Depth $depth | ConvertFrom-Json
            $json.TotalItemSize.IsUnlimited | Should -BeFalse
            $json.TotalItemSize.Value.Bytes | Should -Be $bytes -Because "-Depth $depth"
        }
    }

    It 'returns more properties with -PropertySets All' {
        (Get-EXOMailboxStatistics -Identity alex).PSObject.Properties.Name | Should -Not -Contain 'DatabaseName'
        (Get-EXOMailboxStatistics -Identity alex -PropertySets All).PSObject.Properties.Name | Should -Contain 'DatabaseName'
        (Get-EXOMailboxStatistics -Identity alex).PSObject.Properties.Name | Sort-Object |
            Should -Be @('DeletedItemCount', 'DisplayName', 'ItemCount', 'MailboxGuid', 'TotalDeletedItemSize', 'TotalItemSize')
        $all = Get-EXOMailboxStatistics -Identity alex -PropertySets All
        $all.PSObject.Properties.Name | Should -Contain 'MessageTableTotalSize'
        $all.NamedPropertiesCountQuota | Should -Be 16384
        (Get-EXOMailboxStatistics -Identity alex -Properties ServerName).PSObject.Properties.Name | Should -Contain 'TotalItemSize'
    }

    It 'asks GetMailboxStatisticsV2 by ExchangeGuid and DatabaseGuid, routed by MBX anchor, and falls back to the identity query' {
        $mailbox = Get-EXOMailbox -Identity alex -Properties ExchangeGuid, DatabaseGuid
        $log = Get-EXOMailboxStatistics -ExchangeGuid $mailbox.ExchangeGuid -DatabaseGuid $mailbox.DatabaseGuid -Identity admin -Verbose 4>&1
        $stats = @($log | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $stats.DisplayName | Should -Be 'Alex Wilber'
        $lines = @($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
        $lines | Should -Match "GetMailboxStatisticsV2\(mailboxGuid=$($mailbox.ExchangeGuid),databaseGuid=$($mailbox.DatabaseGuid)\)\?UseCopyOnLocalServer=True 200"
        $lines | Should -Not -Match 'GetMailboxStatistics\(\)'

        # On another database the V2 call finds nothing; the identity query (the ExchangeGuid first) answers.
        $log = Get-EXOMailboxStatistics -ExchangeGuid $mailbox.ExchangeGuid -DatabaseGuid ([guid]::NewGuid()) -UserPrincipalName admin@contoso.com -Verbose 4>&1
        @($log | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).DisplayName | Should -Be 'Alex Wilber'
        $lines = @($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
        $lines | Should -Match 'GetMailboxStatisticsV2 for .* failed \(ManagementObjectNotFoundException\); asking by identity instead'
        $lines | Should -Match "Mailbox\('$([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes([string]$mailbox.ExchangeGuid)) -replace '=', '%3D')'\)/Exchange.GetMailboxStatistics\(\)"
    }

    It 'takes UserPrincipalName over PrimarySmtpAddress over Identity' {
        (Get-EXOMailboxStatistics -UserPrincipalName alex@contoso.com -PrimarySmtpAddress admin@contoso.com -Identity sales).DisplayName | Should -Be 'Alex Wilber'
        (Get-EXOMailboxStatistics -PrimarySmtpAddress alex@contoso.com -Identity sales).DisplayName | Should -Be 'Alex Wilber'
    }

    It 'reads through V2 for mailboxes piped in with their guids' {
        $log = @(Get-EXOMailbox -Identity alex -Properties ExchangeGuid, DatabaseGuid | Get-EXOMailboxStatistics -Verbose 4>&1)
        @($log | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).DisplayName | Should -Be 'Alex Wilber'
        (@($log | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'GetMailboxStatisticsV2\(.*\)\?UseCopyOnLocalServer=True 200'
    }
}

Describe 'Get-EXOMailboxFolderStatistics and Get-EXOMailboxFolderPermission' {
    It 'lists folders, or one scope' {
        $all = @(Get-EXOMailboxFolderStatistics -Identity alex)
        $all.Name | Should -Contain 'Sent Items'
        $inbox = @(Get-EXOMailboxFolderStatistics -Identity alex -FolderScope Inbox)
        $inbox | Should -HaveCount 1
        $inbox[0].FolderSize.Value.ToBytes() | Should -BeGreaterThan 0
    }

    It 'shows calendar permissions, with the shared mailbox delegates as editors' {
        $permissions = @(Get-EXOMailboxFolderPermission -Identity 'sales:\Calendar')
        ($permissions | Where-Object User -eq 'Default').AccessRights | Should -Be @('AvailabilityOnly')
        ($permissions | Where-Object User -eq 'MOD Administrator').AccessRights | Should -Be @('Editor')
    }
}

Describe 'Get-EXOMobileDeviceStatistics' {
    It 'lists devices of the mailboxes piped in, by property name' {
        $devices = @(Get-EXOMailbox -ResultSize 40 -RecipientTypeDetails UserMailbox | Get-EXOMobileDeviceStatistics)
        $devices.Count | Should -BeGreaterThan 0
        $devices[0].PSObject.TypeNames[0] | Should -Be 'ExoAdmin.MobileDeviceStatistics'
        $devices[0].LastSuccessSync | Should -BeOfType [datetime]
    }
}

Describe 'Get-EXORecipient and Get-EXORecipientPermission' {
    It 'lists mailboxes and groups, filters by type, and finds one by identity' {
        $groups = @(Get-EXORecipient -RecipientTypeDetails MailUniversalDistributionGroup)
        $groups.Name | Should -Be @('team', 'all-staff')
        (Get-EXORecipient -Identity sales).RecipientTypeDetails | Should -Be 'SharedMailbox'
        @(Get-EXORecipient -ResultSize Unlimited) | Should -HaveCount 42
    }

    It 'shapes its output by property set: Minimum by default, Archive adds the archive properties, -Properties single ones, All everything' {
        $minimum = 'ExchangeVersion', 'ExternalDirectoryObjectId', 'Name', 'OrganizationId', 'RecipientType', 'RecipientTypeDetails'
        $archiveSet = 'ArchiveDatabase', 'ArchiveGuid', 'ArchiveRelease', 'ArchiveState', 'ArchiveStatus'
        $names = { param($recipient) $recipient.PSObject.Properties.Name | Sort-Object }

        $plain = Get-EXORecipient -Identity alex
        & $names $plain | Should -Be ($minimum | Sort-Object)
        $plain.PSObject.Properties.Name | Should -Not -Contain 'ArchiveStatus'

        $archive = Get-EXORecipient -Identity alex -PropertySets Archive
        & $names $archive | Should -Be ($minimum + $archiveSet | Sort-Object)
        $archive.ArchiveStatus | Should -Be 'Active'
        $archive.ArchiveGuid | Should -Not -BeNullOrEmpty
        (Get-EXORecipient -Identity admin -PropertySets Archive).ArchiveStatus | Should -Be 'None'

        $more = Get-EXORecipient -Identity alex -PropertySets Archive, Policy -Properties WhenCreated, Office
        $more.PSObject.Properties.Name | Should -Contain 'WhenCreated'
        $more.PSObject.Properties.Name | Should -Contain 'RetentionPolicy'
        $more.PSObject.Properties.Name | Should -Not -Contain 'CustomAttribute1'
        $more.OwaMailboxPolicy | Should -Be 'OwaMailboxPolicy-Default'

        $all = Get-EXORecipient -Identity alex -PropertySets All
        foreach ($set in 'Archive', 'Custom', 'MailboxMove', 'Policy') {
            (Get-EXORecipient -Identity alex -PropertySets $set).PSObject.Properties.Name | ForEach-Object { $all.PSObject.Properties.Name | Should -Contain $_ }
        }
        $all.PSObject.Properties.Name | Should -Contain 'PrimarySmtpAddress'
        $all.PrimarySmtpAddress | Should -Be 'alex@contoso.com'

        $groups = @(Get-EXORecipient -RecipientTypeDetails MailUniversalDistributionGroup -PropertySets Custom)
        $groups | ForEach-Object { $_.PSObject.Properties.Name | Should -Contain 'CustomAttribute15' }
    }

    It 'shows SendAs on sales, for everyone or for one trustee' {
        $sendAs = @(Get-EXORecipientPermission -Identity sales)
        $sendAs.Trustee | Should -Be @('NT AUTHORITY\SELF', 'admin@contoso.com')
        $sendAs[0].AccessRights | Should -Be @('SendAs')
        @(Get-EXORecipientPermission -Identity sales -Trustee admin) | Should -HaveCount 1

        Add-RecipientPermission -Identity sales -Trustee alex -AccessRights SendAs -Confirm:$false
        (Get-EXORecipientPermission -Identity sales).Trustee | Should -Contain 'alex@contoso.com'
        (Get-RecipientPermission -Identity sales).Trustee | Should -Contain 'alex@contoso.com'
    }
}

Describe 'Get-EXOCasMailbox' {
    It 'shows a change made with Set-CASMailbox' {
        Set-CASMailbox -Identity alex -PopEnabled $false -ImapEnabled $false
        $cas = Get-EXOCasMailbox -Identity alex
        $cas.PopEnabled | Should -BeFalse
        $cas.ImapEnabled | Should -BeFalse
        (Get-CASMailbox -Identity alex).PopEnabled | Should -BeFalse
    }

    It 'filters with OPATH' {
        @(Get-EXOCasMailbox -Filter "PopEnabled -eq `$false").Name | Should -Be @('alex')
    }

    It 'returns the documented members of each property set, with the Minimum set' {
        $names = { param($sets) (Get-EXOCasMailbox -Identity sales -PropertySets $sets).PSObject.Properties.Name | Sort-Object }
        $minimum = 'ActiveSyncEnabled DisplayName ECPEnabled EmailAddresses EwsEnabled ExchangeVersion Guid Identity ImapEnabled MAPIEnabled Name OWAEnabled OrganizationId PopEnabled PrimarySmtpAddress ServerLegacyDN' -split ' '
        $with = { param($members) $minimum + 'ExternalDirectoryObjectId' + $members | Sort-Object -Unique }
        & $names Minimum | Should -Be ($minimum | Sort-Object)
        & $names Ews | Should -Be (& $with 'EwsAllowMacOutlook', 'EwsAllowOutlook')
        & $names Imap | Should -Be (& $with 'ImapEnableExactRFC822Size', 'ImapForceICalForCalendarRetrievalOption', 'ImapMessagesRetrievalMimeFormat', 'ImapSuppressReadReceipt', 'ImapUseProtocolDefaults')
        & $names Pop | Should -Be (& $with 'PopEnableExactRFC822Size', 'PopMessagesRetrievalMimeFormat', 'PopSuppressReadReceipt', 'PopUseProtocolDefaults')
        & $names Mapi | Should -Be (& $with 'MAPIBlockOutlookExternalConnectivity', 'MAPIBlockOutlookNonCachedMode', 'MAPIBlockOutlookRpcHttp', 'MAPIBlockOutlookVersions', 'MapiHttpEnabled')
        & $names ActiveSync | Should -Be (& $with 'ActiveSyncAllowedDeviceIDs', 'ActiveSyncBlockedDeviceIDs', 'ActiveSyncMailboxPolicy', 'ActiveSyncMailboxPolicyIsDefaulted', 'ActiveSyncSuppressReadReceipt', 'HasActiveSyncDevicePartnership')
        & $names ProtocolSettings | Should -Be (& $with 'ExternalImapSettings', 'ExternalPopSettings', 'ExternalSmtpSettings', 'InternalImapSettings', 'InternalPopSettings', 'InternalSmtpSettings')

        $both = & $names @('Imap', 'Pop')
        $both | Should -Contain 'ImapMessagesRetrievalMimeFormat'
        $both | Should -Contain 'PopMessagesRetrievalMimeFormat'
        (& $names All) | Should -Contain 'OwaMailboxPolicy'
        (& $names All).Count | Should -BeGreaterThan 45

        $protocol = Get-EXOCasMailbox -Identity sales -PropertySets ProtocolSettings
        $protocol.ExternalImapSettings | Should -Be 'outlook.office365.com:993:SSL'
        (Get-EXOCasMailbox -Identity sales -PropertySets ActiveSync).ActiveSyncMailboxPolicyIsDefaulted | Should -BeTrue
    }

    It 'adds -Properties to the sets, and lists with a set' {
        $cas = Get-EXOCasMailbox -Identity sales -PropertySets Ews -Properties OwaMailboxPolicy
        $cas.PSObject.Properties.Name | Should -Contain 'OwaMailboxPolicy'
        $cas.PSObject.Properties.Name | Should -Not -Contain 'PopMessagesRetrievalMimeFormat'
        $list = @(Get-EXOCasMailbox -ResultSize 5 -PropertySets Pop)
        $list | Should -HaveCount 5
        $list | ForEach-Object { $_.PSObject.Properties.Name | Should -Contain 'PopMessagesRetrievalMimeFormat' }
    }

    It 'refuses a property set or a property the cmdlet does not have, before sending anything' {
        { Get-EXOCasMailbox -Identity sales -PropertySets Archive } | Should -Throw '*Archive*'
        { Get-EXOCasMailbox -Identity sales -Properties Colour -ErrorAction Stop } | Should -Throw '*Colour*'
        { Get-EXOMailboxStatistics -Identity sales -PropertySets Ews } | Should -Throw '*Ews*'
        { Get-EXORecipient -PropertySets MailEnabled } | Should -Throw '*MailEnabled*'
        { Get-EXOMailbox -PropertySets ProtocolSettings } | Should -Throw '*ProtocolSettings*'
        @(Get-EXORecipient -ResultSize 1 -PropertySets MailboxMove) | Should -HaveCount 1
    }
}

Describe 'Get-EXOMailbox filters' {
    It 'matches multi-valued properties and wildcards at either end' {
        @(Get-EXOMailbox -Filter "EmailAddresses -like '*@contoso.onmicrosoft.com'" -ResultSize Unlimited) | Should -HaveCount 40
        @(Get-EXOMailbox -Filter "Alias -like '*dams'").Alias | Should -Be @('conf-adams')
        @(Get-EXOMailbox -Filter "-not (RecipientTypeDetails -eq 'UserMailbox')" -ResultSize Unlimited).RecipientTypeDetails | Should -Not -Contain 'UserMailbox'
    }

    It 'refuses a filter on a property the model does not have, before sending it' {
        { Get-EXOMailbox -Filter "Colour -eq 'blue'" -ErrorAction Stop } | Should -Throw '*Colour*'
    }
}

Describe 'Get-EXOMailbox switches' {
    It 'resolves ambiguous names with -Anr' {
        @(Get-EXOMailbox -Anr 'Alex W').Alias | Should -Be @('alex')
        @(Get-EXOMailbox -Anr 'conf').Alias | Should -Contain 'conf-adams'
    }

    It 'lists the mailboxes of one organizational unit, named by canonical name, distinguished name or name' {
        $all = @(Get-EXOMailbox -ResultSize Unlimited -Properties OrganizationalUnit, DistinguishedName)
        $ou = $all[0].OrganizationalUnit
        $ou | Should -BeLike '*/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com'
        @(Get-EXOMailbox -OrganizationalUnit $ou -ResultSize Unlimited) | Should -HaveCount $all.Count
        @(Get-EXOMailbox -OrganizationalUnit ($all[0].DistinguishedName -replace '^CN=[^,]+,', '') -ResultSize Unlimited) | Should -HaveCount $all.Count
        (Get-EXOMailbox -Identity alex -OrganizationalUnit contoso.onmicrosoft.com).Alias | Should -Be 'alex'

        $failed = { Get-EXOMailbox -OrganizationalUnit 'fabrikam.onmicrosoft.com' } | Should -Throw -PassThru
        $failed.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed.Exception.Message | Should -BeLike "*object 'fabrikam.onmicrosoft.com' couldn't be found*"
    }

    It 'lists the mailboxes on one mailbox plan, named by name, display name or GUID' {
        $all = @(Get-EXOMailbox -ResultSize Unlimited -Properties MailboxPlan)
        $frontline = @($all | Where-Object MailboxPlan -like 'ExchangeOnlineDeskless-*')
        $enterprise = @($all | Where-Object MailboxPlan -like 'ExchangeOnlineEnterprise-*')
        $frontline.Count | Should -BeGreaterThan 0
        $enterprise.Count | Should -BeGreaterThan 0

        @(Get-EXOMailbox -MailboxPlan ExchangeOnlineDeskless -ResultSize Unlimited).Alias | Should -Be $frontline.Alias
        @(Get-EXOMailbox -MailboxPlan $enterprise[0].MailboxPlan -ResultSize Unlimited).Alias | Should -Be $enterprise.Alias
        $guid = $enterprise[0].MailboxPlan -replace '^ExchangeOnlineEnterprise-', ''
        @(Get-EXOMailbox -MailboxPlan $guid -ResultSize Unlimited).Alias | Should -Be $enterprise.Alias
        @(Get-EXOMailbox -MailboxPlan ExchangeOnlineDeskless -ResultSize Unlimited -RecipientTypeDetails SharedMailbox) | Should -HaveCount 0

        { Get-EXOMailbox -MailboxPlan 'NoSuchPlan' -ErrorAction Stop } | Should -Throw '*NoSuchPlan*'
    }

    It 'lists only mailboxes with an archive with -Archive' {
        $archived = @(Get-EXOMailbox -Archive -PropertySets Minimum, Archive -ResultSize Unlimited)
        $archived.Alias | Should -Contain 'alex'
        $archived.Alias | Should -Not -Contain 'admin'
        $archived | ForEach-Object { $_.ArchiveStatus | Should -Be 'Active' }
    }

    It 'finds no soft-deleted or inactive mailboxes in a fresh tenant, and still finds active ones with -IncludeInactiveMailbox' {
        @(Get-EXOMailbox -SoftDeletedMailbox) | Should -HaveCount 0
        @(Get-EXOMailbox -InactiveMailboxOnly) | Should -HaveCount 0
        (Get-EXOMailbox -Identity alex -IncludeInactiveMailbox).Alias | Should -Be 'alex'
        Get-EXOMailbox -Identity alex -InactiveMailboxOnly -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'List scopes on Get-EXORecipient and Get-EXOCasMailbox' {
    It 'Get-EXORecipient narrows by -RecipientType, -Anr and -OrganizationalUnit on the server' {
        $groups = @(Get-EXORecipient -ResultSize Unlimited -RecipientType MailUniversalDistributionGroup)
        $groups.Name | Should -Contain 'team'
        $groups.RecipientType | Sort-Object -Unique | Should -Be 'MailUniversalDistributionGroup'

        @(Get-EXORecipient -Anr 'Alex W' -Properties Alias).Alias | Should -Be @('alex')
        $everyone = @(Get-EXORecipient -ResultSize Unlimited)
        @(Get-EXORecipient -ResultSize Unlimited -OrganizationalUnit contoso.onmicrosoft.com) | Should -HaveCount $everyone.Count
        { Get-EXORecipient -OrganizationalUnit 'no-such-unit' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*no-such-unit*'
    }

    It 'Get-EXOCasMailbox narrows by -Anr and -OrganizationalUnit' {
        @(Get-EXOCasMailbox -Anr 'Alex W').DisplayName | Should -Be @('Alex Wilber')
        @(Get-EXOCasMailbox -Anr 'Alex W' -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Match 'CasMailbox\?.*Anr=Alex%20W'
        @(Get-EXOCasMailbox -ResultSize Unlimited -OrganizationalUnit contoso.onmicrosoft.com).Count | Should -Be @(Get-EXOCasMailbox -ResultSize Unlimited).Count
    }
}

Describe 'An export of Get-EXOMailbox' {
    It 'keeps quotas as the service''s text, as Microsoft''s module hands them over, so ConvertTo-Json and Export-Csv keep them' {
        $mailboxes = @(Get-EXOMailbox -ResultSize 10 -PropertySets Minimum, Quota)
        $quotas = 'ProhibitSendQuota', 'ProhibitSendReceiveQuota', 'IssueWarningQuota', 'RecoverableItemsQuota'
        foreach ($name in $quotas) { $mailboxes.$name | Should -Not -BeNullOrEmpty -Because "the Quota set has $name" }

        $json = @($mailboxes | ConvertTo-Json | ConvertFrom-Json)
        $csv = @($mailboxes | ConvertTo-Csv | ConvertFrom-Csv)
        for ($i = 0; $i -lt $mailboxes.Count; $i++) {
            foreach ($name in $quotas) {
                $mailboxes[$i].$name | Should -BeOfType [string]
                $mailboxes[$i].$name | Should -Match '^(Unlimited|[\d.]+ [KMGT]?B \([\d,]+ bytes\))$'
                $json[$i].$name | Should -BeExactly $mailboxes[$i].$name -Because "$name of $($mailboxes[$i].Alias) in JSON"
                $csv[$i].$name | Should -BeExactly $mailboxes[$i].$name
            }
        }
    }

    It 'finds mailboxes without a limit as scripts written for Microsoft''s module do' {
        $unlimited = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets Minimum, Quota | Where-Object ProhibitSendReceiveQuota -EQ 'Unlimited')
        $limited = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets Minimum, Quota | Where-Object ProhibitSendReceiveQuota -NE 'Unlimited')
        ($unlimited.Count + $limited.Count) | Should -Be 40
        $limited | Should -Not -BeNullOrEmpty
    }
}
