# Microsoft's parameters and parameter sets of the Get-EXO* cmdlets, end to end: those the service's documented requests
# carry do what Microsoft's reference says, those no request carries are refused before anything is sent (as Microsoft's
# module refuses them), lists cut short by -ResultSize stop as Microsoft's do, and the default output is a list of the returned
# properties, as Microsoft's cmdlets show their objects.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 40
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox

    function Get-RequestCount {
        # Every request the sandbox answered, whatever its shape.
        (Get-SandboxStats -Sandbox $sandbox).total
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Get-EXOMailbox parameter sets and switches' {
    It 'keeps -Identity and -Anr apart, as Microsoft''s Identity and Anr sets do' {
        { Get-EXOMailbox -Identity alex -Anr al } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        { Get-EXOMailbox -UserPrincipalName "alex@$($tenant.organization)" -Anr al } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
        @(Get-EXOMailbox -Anr alex).Alias | Should -Contain 'alex'
    }

    It '-GroupMailbox lists the groups'' mailboxes, which a plain list leaves out' {
        $groups = @(Get-EXOMailbox -GroupMailbox)
        $groups.DisplayName | Should -Be @('Project Falcon', 'Leadership Team')
        $groups.RecipientTypeDetails | Sort-Object -Unique | Should -Be 'GroupMailbox'
        @(Get-EXOMailbox -ResultSize Unlimited).RecipientTypeDetails | Should -Not -Contain 'GroupMailbox'
        @(Get-EXOMailbox -ResultSize Unlimited) | Should -HaveCount 40
        # With -RecipientTypeDetails, both kinds.
        $both = @(Get-EXOMailbox -GroupMailbox -RecipientTypeDetails SharedMailbox -ResultSize Unlimited)
        $both.RecipientTypeDetails | Sort-Object -Unique | Should -Be @('GroupMailbox', 'SharedMailbox')
    }

    It 'refuses -<Parameter> before sending anything, with Microsoft''s words and what to use instead' -ForEach @(
        @{ Parameter = 'PublicFolder'; Command = { Get-EXOMailbox -PublicFolder }; Instead = 'Get-Mailbox -PublicFolder' }
        @{ Parameter = 'Migration'; Command = { Get-EXOMailbox -Migration }; Instead = 'Get-Mailbox -Migration' }
        @{ Parameter = 'Async'; Command = { Get-EXOMailbox -Async }; Instead = 'leave -Async out' }
        @{ Parameter = 'IncludeMoveHistory'; Command = { Get-EXOMailboxStatistics -Identity alex -IncludeMoveHistory }; Instead = 'Get-MailboxStatistics -IncludeMoveHistory' }
        @{ Parameter = 'IncludeMoveReport'; Command = { Get-EXOMailboxStatistics -Identity alex -IncludeMoveReport }; Instead = 'Get-MailboxStatistics -IncludeMoveReport' }
        @{ Parameter = 'GetImapProtocolLog'; Command = { Get-EXOCasMailbox -Identity alex -GetImapProtocolLog }; Instead = 'Get-CASMailbox -GetImapProtocolLog' }
        @{ Parameter = 'RecipientPreviewFilter'; Command = { Get-EXORecipient -RecipientPreviewFilter "Alias -eq 'alex'" }; Instead = '-Filter' }
        @{ Parameter = 'DiagnosticInfo'; Command = { Get-EXOMailboxFolderStatistics -Identity alex -DiagnosticInfo x }; Instead = 'reserves it for its own use' }
        @{ Parameter = 'ShowRecoveryPassword'; Command = { Get-EXOMobileDeviceStatistics -Mailbox alex -ShowRecoveryPassword }; Instead = 'reserves it for its own use' }
    ) {
        $before = Get-RequestCount
        $before | Should -BeGreaterThan 0
        $err = $Command | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterNotSupported,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $Parameter
        $err.Exception.Message | Should -BeLike "$Parameter is not a supported parameter. *"
        $err.Exception.Message | Should -Match ([regex]::Escape($Instead))
        Get-RequestCount | Should -Be $before
    }
}

Describe 'The other Get-EXO* cmdlets'' parameters' {
    It 'Get-EXOCasMailbox -ProtocolSettings and -ReadIsOptimizedForAccessibility add their properties' {
        $plain = Get-EXOCasMailbox -Identity alex
        $plain.PSObject.Properties.Name | Should -Not -Contain 'InternalImapSettings'
        $plain.PSObject.Properties.Name | Should -Not -Contain 'IsOptimizedForAccessibility'
        (Get-EXOCasMailbox -Identity alex -ProtocolSettings).PSObject.Properties.Name | Should -Contain 'InternalImapSettings'
        (Get-EXOCasMailbox -Identity alex -ReadIsOptimizedForAccessibility).PSObject.Properties.Name | Should -Contain 'IsOptimizedForAccessibility'
    }

    It 'Get-EXOMobileDeviceStatistics -Identity reads one device; a piped mailbox reads its devices' {
        $devices = @(Get-EXOMailbox -ResultSize 40 -RecipientTypeDetails UserMailbox | Get-EXOMobileDeviceStatistics)
        $devices.Count | Should -BeGreaterThan 1
        $one = @(Get-EXOMobileDeviceStatistics -Identity $devices[1].DeviceID)
        $one | Should -HaveCount 1
        $one[0].Guid | Should -Be $devices[1].Guid
        @(Get-EXOMobileDeviceStatistics -Identity ([string]$devices[0].Guid)).DeviceID | Should -Be $devices[0].DeviceID
        $err = Get-EXOMobileDeviceStatistics -Identity 'NOSUCHDEVICE' -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].TargetObject | Should -Be 'NOSUCHDEVICE'
    }

    It 'Get-EXOMailboxFolderPermission takes the mailbox by UPN, and a group''s mailbox with -GroupMailbox' {
        $byUpn = @(Get-EXOMailboxFolderPermission -UserPrincipalName "sales@$($tenant.organization):\Calendar")
        ($byUpn | Where-Object User -EQ 'Default').AccessRights | Should -Be @('AvailabilityOnly')
        $group = @(Get-EXOMailboxFolderPermission -Identity 'project-falcon:\Calendar' -GroupMailbox)
        $group.User | Should -Contain 'Default'
        { Get-EXOMailboxFolderPermission -Identity 'project-falcon:\Calendar' -ErrorAction Stop } | Should -Throw -ErrorId '*'
    }

    It 'Get-EXOMailboxFolderStatistics takes -Folderscope (Microsoft''s spelling) and -IncludeSoftDeletedRecipients' {
        @(Get-EXOMailboxFolderStatistics -Identity alex -Folderscope Inbox -IncludeSoftDeletedRecipients) | Should -HaveCount 1
        (Get-Command Get-EXOMailboxFolderStatistics).Parameters['Folderscope'].ParameterType.Name | Should -Be 'ElcFolderType'
    }
}

Describe 'A list cut short by -ResultSize' {
    It 'stops without a warning, as Microsoft''s Get-EXO* cmdlets do, and says so on the Verbose stream' {
        $verbose = Get-EXOMailbox -ResultSize 10 -WarningVariable warnings -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($warnings) | Should -BeNullOrEmpty
        @($verbose.Message) | Should -Contain 'Stopped at -ResultSize 10; the service has more. -ResultSize Unlimited reads them all.'
        @(Get-EXORecipient -ResultSize 5 -WarningVariable recipientWarnings) | Should -HaveCount 5
        @($recipientWarnings) | Should -BeNullOrEmpty
    }

    It 'says nothing when the list ends within the size asked for' {
        $verbose = Get-EXOMailbox -ResultSize 40 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($verbose.Message) | Should -Not -Match '^Stopped at -ResultSize'
    }
}

Describe 'Default output' {
    It 'shows <Command> as a list of the returned properties, as Microsoft''s cmdlet does' -ForEach @(
        @{ Command = 'Get-EXOMailbox'; Get = { Get-EXOMailbox -Identity alex } }
        @{ Command = 'Get-EXOMailboxStatistics'; Get = { Get-EXOMailboxStatistics -Identity alex } }
        @{ Command = 'Get-EXOCasMailbox'; Get = { Get-EXOCasMailbox -Identity alex } }
        @{ Command = 'Get-EXORecipient'; Get = { Get-EXORecipient -Identity alex } }
        @{ Command = 'Get-EXOMailboxPermission'; Get = { @(Get-EXOMailboxPermission -Identity sales)[0] } }
        @{ Command = 'Get-EXORecipientPermission'; Get = { @(Get-EXORecipientPermission -Identity sales)[0] } }
        @{ Command = 'Get-EXOMailboxFolderStatistics'; Get = { @(Get-EXOMailboxFolderStatistics -Identity alex)[0] } }
        @{ Command = 'Get-EXOMailboxFolderPermission'; Get = { @(Get-EXOMailboxFolderPermission -Identity 'sales:\Calendar')[0] } }
        @{ Command = 'Get-EXOMobileDeviceStatistics'; Get = { @(Get-EXOMailbox -ResultSize 40 -RecipientTypeDetails UserMailbox | Get-EXOMobileDeviceStatistics)[0] } }
    ) {
        $object = & $Get
        $object | Should -Not -BeNullOrEmpty
        Get-FormatData -TypeName $object.PSObject.TypeNames[0] | Should -BeNullOrEmpty
        $shown = ($object | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ -match '^(\w+)\s*:' } | ForEach-Object { ($_ -split '\s*:')[0] }
        $shown | Should -Be @($object.PSObject.Properties.Name) -Because 'every returned property is one "Name : value" line, in the service''s order'
    }

    It 'shows Get-EXOMailbox''s Minimum set members for a mailbox read with no -PropertySets' {
        $text = Get-EXOMailbox -Identity alex | Out-String
        foreach ($property in 'ExternalDirectoryObjectId', 'UserPrincipalName', 'Alias', 'DisplayName', 'EmailAddresses', 'PrimarySmtpAddress', 'RecipientTypeDetails', 'Name', 'Guid') {
            $text | Should -Match "(?m)^$property\s+: "
        }
    }
}
