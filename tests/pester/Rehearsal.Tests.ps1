# The rehearsal sandbox as an admin uses it: seeded from a real tenant's export.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:source = Start-TestSandbox -Mailboxes 40
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $source | Stop-ExoSandbox
}

Describe 'A sandbox seeded from Get-EXOMailbox -PropertySets All | ConvertTo-Json' {
    BeforeAll {
        function Export-Tenant {
            # The exports the sandbox README gives for a rehearsal: mailboxes, mailbox and SendAs permissions, group members.
            param([Parameter(Mandatory)] [string] $Folder)
            New-Item -ItemType Directory -Force -Path $Folder | Out-Null
            Get-EXOMailbox -ResultSize Unlimited -PropertySets All | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $Folder 'mailboxes.json')
            Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxPermission | Where-Object { -not $_.IsInherited -and $_.User -ne 'NT AUTHORITY\SELF' } |
                ConvertTo-Json -Depth 3 | Set-Content (Join-Path $Folder 'mailbox-permissions.json')
            Get-EXORecipientPermission -ResultSize Unlimited | Where-Object Trustee -ne 'NT AUTHORITY\SELF' |
                ConvertTo-Json -Depth 3 | Set-Content (Join-Path $Folder 'recipient-permissions.json')
            Get-DistributionGroup -ResultSize Unlimited | ForEach-Object {
                $group = $_
                Get-DistributionGroupMember -Identity $group.PrimarySmtpAddress -ResultSize Unlimited |
                    Select-Object @{ n = 'Group'; e = { $group.PrimarySmtpAddress } }, @{ n = 'GroupDisplayName'; e = { $group.DisplayName } },
                        @{ n = 'GroupManagedBy'; e = { @($group.ManagedBy) } }, PrimarySmtpAddress, Name
            } | ConvertTo-Json -Depth 3 | Set-Content (Join-Path $Folder 'group-members.json')
        }

        Connect-TestTenant -Sandbox $source
        # What a real tenant has and the generator does not: forwarding, delegates, custom attributes, its own grants.
        Set-Mailbox -Identity alex -ForwardingSmtpAddress 'alex@fabrikam.com' -DeliverToMailboxAndForward $true
        Invoke-ExoCommand Set-Mailbox @{ Identity = 'alex'; CustomAttribute3 = 'finance' } -Confirm:$false
        Set-Mailbox -Identity sales -GrantSendOnBehalfTo admin -HiddenFromAddressListsEnabled $true
        Add-MailboxPermission -Identity conf-adams -User alex -AccessRights FullAccess -Confirm:$false | Out-Null
        Add-RecipientPermission -Identity sales -Trustee alex -AccessRights SendAs -Confirm:$false | Out-Null
        Add-DistributionGroupMember -Identity team -Member alex -Confirm:$false
        $script:exported = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets All)
        $script:first = Join-Path $TestDrive 'first'
        Export-Tenant $first
        $script:seedFile = Join-Path $first 'mailboxes.json'
        Disconnect-ExchangeOnline -Confirm:$false

        $script:rehearsal = Start-TestSandbox -Tenant 'northwind.onmicrosoft.com' -ExtraArguments @(
            '--seed-file', $seedFile, '--seed-mailbox-permissions', (Join-Path $first 'mailbox-permissions.json'),
            '--seed-recipient-permissions', (Join-Path $first 'recipient-permissions.json'), '--seed-group-members', (Join-Path $first 'group-members.json'))
        Connect-TestTenant -Sandbox $rehearsal
        $script:seeded = @(Get-EXOMailbox -ResultSize Unlimited -PropertySets All)
        $script:second = Join-Path $TestDrive 'second'
        Export-Tenant $second
    }

    AfterAll {
        Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
        $rehearsal | Stop-ExoSandbox
    }

    It 'exports again exactly what was exported: every property of every mailbox, permissions and group members' {
        foreach ($file in 'mailboxes.json', 'mailbox-permissions.json', 'recipient-permissions.json', 'group-members.json') {
            Get-Content -Raw (Join-Path $second $file) | Should -Be (Get-Content -Raw (Join-Path $first $file)) -Because $file
        }
        # Beyond the JSON: each property prints the same (a size would not survive an export that lost its bytes).
        $differences = for ($i = 0; $i -lt $exported.Count; $i++) {
            foreach ($p in $exported[$i].PSObject.Properties.Name) {
                if ("$($seeded[$i].$p)" -cne "$($exported[$i].$p)") { "$($exported[$i].Alias).${p}: '$($exported[$i].$p)' became '$($seeded[$i].$p)'" }
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'keeps forwarding, send-on-behalf delegates and custom attributes, which the generator never makes' {
        $alex = $seeded | Where-Object Alias -eq 'alex'
        $alex.ForwardingSmtpAddress | Should -Be 'smtp:alex@fabrikam.com'
        $alex.DeliverToMailboxAndForward | Should -BeTrue
        $alex.CustomAttribute3 | Should -Be 'finance'
        ($seeded | Where-Object Alias -eq 'sales').GrantSendOnBehalfTo | Should -Not -BeNullOrEmpty
        (Get-EXOMailboxPermission -Identity conf-adams | Where-Object User -ne 'NT AUTHORITY\SELF').User | Should -Be 'alex@contoso.com'
        (Get-DistributionGroupMember -Identity team).Alias | Should -Contain 'alex'
    }

    It 'serves every exported mailbox, in order, with the facts it was exported with' {
        $rehearsal.Tenants[0].mailboxCount | Should -Be 40
        $seeded | Should -HaveCount 40
        for ($i = 0; $i -lt 40; $i++) {
            $e = $exported[$i]
            $s = $seeded[$i]
            foreach ($p in 'Guid', 'ExchangeGuid', 'ExternalDirectoryObjectId', 'Alias', 'DisplayName', 'PrimarySmtpAddress', 'RecipientTypeDetails',
                'ArchiveStatus', 'ArchiveGuid', 'AutoExpandingArchiveEnabled', 'LitigationHoldEnabled', 'HiddenFromAddressListsEnabled', 'Office',
                'UsageLocation', 'Database', 'WhenCreatedUTC', 'ResourceCapacity') {
                $s.$p | Should -Be $e.$p -Because "$p of $($e.Alias)"
            }
            @($s.EmailAddresses) | Should -Be @($e.EmailAddresses)
        }
    }

    It 'resolves the exported identities' {
        (Get-EXOMailbox -Identity $exported[1].PrimarySmtpAddress).Guid | Should -Be $exported[1].Guid
    }
}

# Start-ExoAdminSandbox.ps1 (its printed lines, run as pasted) is SandboxConnectLines.Tests.ps1.
