# Tab completion through TabExpansion2, as the console asks for it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Tenant 'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com' -Mailboxes 60
    $script:seed = Get-SeededMailboxes -Tenant 'contoso.onmicrosoft.com' -Mailboxes 60 -Sandbox $sandbox
    Import-ExoAdmin

    function Complete([string] $line) {
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Completion without a connection' {
    It 'completes property sets' {
        (Complete 'Get-EXOMailbox -PropertySets Ar').CompletionText | Should -Be @('Archive')
        (Complete 'Get-EXOMailbox -PropertySets ').CompletionText | Should -Contain 'StatisticsSeed'
        (Complete 'Get-EXORecipient -PropertySets ').CompletionText | Should -Be @('All', 'Archive', 'Custom', 'MailboxMove', 'Minimum', 'Policy')
        (Complete 'Get-EXOCasMailbox -PropertySets P').CompletionText | Should -Be @('Pop', 'ProtocolSettings')
    }

    It 'completes -Properties from the schema of the type the cmdlet returns' {
        (Complete 'Get-EXOMailbox -Properties WhenCr').CompletionText | Should -Be @('WhenCreated', 'WhenCreatedUTC')
        (Complete 'Get-EXOMailbox -Properties Archive').CompletionText | Should -Contain 'ArchiveStatus'
    }

    It 'completes RecipientTypeDetails values' {
        (Complete 'Get-EXOMailbox -RecipientTypeDetails Sh').CompletionText | Should -Be @('SharedMailbox')
        (Complete 'Get-EXOMailbox -RecipientTypeDetails Room').CompletionText | Should -Be @('RoomMailbox')
        (Complete 'Get-EXOMailbox -RecipientTypeDetails ').CompletionText | Should -Contain 'UserMailbox'
    }

    It 'offers no connection ids, prefixes or identities, and raises no error' {
        $Error.Clear()
        # With nothing to offer, PowerShell falls back to its own (file name) completion.
        Complete 'Get-EXOMailbox -ConnectionId ' | Where-Object ResultType -EQ ParameterValue | Should -BeNullOrEmpty
        Complete 'Disconnect-ExchangeOnline -ModulePrefix ' | Where-Object ResultType -EQ ParameterValue | Should -BeNullOrEmpty
        Complete 'Get-EXOMailbox -Identity al' | Where-Object ResultType -EQ ParameterValue | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0 -Because 'completion must never leave errors at the prompt'
    }
}

Describe 'Completion with connections' {
    BeforeAll {
        Connect-TestTenant -Sandbox $sandbox -Tenant $sandbox.Tenants[0] -Prefix Contoso
        Connect-TestTenant -Sandbox $sandbox -Tenant $sandbox.Tenants[1] -Prefix Fabrikam
        $script:contoso = Get-ConnectionInformation -ModulePrefix Contoso
        $script:fabrikam = Get-ConnectionInformation -ModulePrefix Fabrikam
    }

    It 'completes ConnectionIds, with the organization as tooltip' {
        $matches = Complete 'Get-EXOMailbox -ConnectionId '
        $matches.CompletionText | Sort-Object | Should -Be (@($contoso.ConnectionId, $fabrikam.ConnectionId) | Sort-Object)
        ($matches | Where-Object CompletionText -EQ $fabrikam.ConnectionId).ToolTip | Should -Match 'fabrikam\.onmicrosoft\.com.*Fabrikam'
        (Complete "Get-ConnectionInformation -ConnectionId $($contoso.ConnectionId.Substring(0, 8))").CompletionText | Should -Be @($contoso.ConnectionId)
    }

    It 'completes prefixes for -ModulePrefix and -Prefix' {
        (Complete 'Disconnect-ExchangeOnline -ModulePrefix F').CompletionText | Should -Be @('Fabrikam')
        (Complete 'Get-ConnectionInformation -ModulePrefix ').CompletionText | Sort-Object | Should -Be @('Contoso', 'Fabrikam')
        (Complete 'Connect-ExchangeOnline -Prefix Con').CompletionText | Should -Be @('Contoso')
    }

    It 'completes mailbox identities from the named connection, at most 20' {
        $matches = Complete "Get-EXOMailbox -ConnectionId $($contoso.ConnectionId) -Identity "
        $matches | Should -HaveCount 20
        $matches.CompletionText | ForEach-Object { $_ | Should -BeIn $seed.PrimarySmtpAddress }
        $matches[0].ToolTip | Should -Match '<.+@contoso\.com>'

        $other = Complete "Get-EXOMailbox -ConnectionId $($fabrikam.ConnectionId) -Identity "
        $other.CompletionText | ForEach-Object { $_ | Should -BeLike '*@fabrikam.com' }
    }

    It 'completes <Line> with recipients, as -Identity does' -ForEach @(
        @{ Line = 'Add-MailboxPermission -Identity alex -User ' }
        @{ Line = 'Add-RecipientPermission -Identity sales -Trustee ' }
        @{ Line = 'Add-DistributionGroupMember -Identity team -Member ' }
        @{ Line = 'Get-EXOMailboxPermission -Identity alex -User ' }
        @{ Line = 'Get-EXORecipientPermission -Trustee ' }
        @{ Line = 'Get-EXOMailboxFolderPermission -Identity alex:\Calendar -User ' }
        @{ Line = 'Get-EXOMobileDeviceStatistics -Mailbox ' }
        @{ Line = 'Get-EXORecipient -Identity ' }
    ) {
        $verb, $rest = $Line -split ' ', 2
        $onContoso = "$verb -ConnectionId $($contoso.ConnectionId) $rest"
        $matches = Complete $onContoso
        $matches | Should -HaveCount 20 -Because 'the connection has 60 mailboxes, and completion offers at most 20'
        $matches.CompletionText | ForEach-Object { $_ | Should -BeIn $seed.PrimarySmtpAddress }
        (Complete "${onContoso}ale").CompletionText | Should -Contain 'alex@contoso.com'
    }

    It 'completes from the tenant the command line names: -ModulePrefix, or the prefix of the service''s command' {
        $byPrefix = Complete 'Get-EXOMailbox -ModulePrefix Fabrikam -Identity '
        $byPrefix | Should -Not -BeNullOrEmpty
        $byPrefix.CompletionText | ForEach-Object { $_ | Should -BeLike '*@fabrikam.com' }

        Get-Command Add-FabrikamMailboxPermission -ErrorAction Stop | Out-Null
        $service = Complete 'Add-FabrikamMailboxPermission -Identity x -User '
        $service | Should -Not -BeNullOrEmpty
        $service.CompletionText | ForEach-Object { $_ | Should -BeLike '*@fabrikam.com' }
        (Complete 'Add-ContosoMailboxPermission -Identity x -User ').CompletionText | ForEach-Object { $_ | Should -BeLike '*@contoso.com' }
    }
}
