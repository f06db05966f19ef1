# Cmdlets exposed from the service's EXOModuleFile, RBAC roles, -CommandName and -Prefix. Contoso's app is
# Organization Management; Fabrikam's app is assigned the help-desk role (reads, never changes).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Tenant contoso.onmicrosoft.com, fabrikam.onmicrosoft.com -Mailboxes 20 `
        -ExtraArguments @('--role', 'fabrikam.onmicrosoft.com=HelpDesk')
    $script:contoso = $sandbox.Tenants | Where-Object organization -eq 'contoso.onmicrosoft.com'
    $script:fabrikam = $sandbox.Tenants | Where-Object organization -eq 'fabrikam.onmicrosoft.com'
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Commands from the module file' {
    It 'exposes a service cmdlet ExoAdmin has no compiled command for' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso

        $command = Get-Command Get-OrganizationConfig
        $command.CommandType | Should -Be 'Function'
        (Get-OrganizationConfig).Identity | Should -Be 'contoso.onmicrosoft.com'
        (Get-Command Set-Mailbox).CommandType | Should -Be 'Cmdlet'   # the compiled one wins
    }

    It 'ignores the format data the module file carries: ExoAdmin''s own views stay in force' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso

        Get-FormatData -TypeName 'ExoSandbox.*' | Should -BeNullOrEmpty
        (Get-OrganizationConfig).PSObject.TypeNames | Should -Not -Contain 'ExoSandbox.OrganizationConfig'
        Get-FormatData -TypeName 'Deserialized.Microsoft.Exchange.Data.Directory.Management.Mailbox' | Should -Not -BeNullOrEmpty
    }

    It 'limits the set with -CommandName' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -Prefix Lim -CommandName Get-Mailbox
        (Get-LimMailbox -Identity alex).Alias | Should -Be 'alex'
        Get-Command Get-LimOrganizationConfig -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -CommandName Get-Mailbox
        Get-Command Get-OrganizationConfig -ErrorAction SilentlyContinue | Should -BeNullOrEmpty   # the earlier connection's command is gone
        (Get-Mailbox -Identity alex).Alias | Should -Be 'alex'
        { Set-Mailbox alex -DisplayName 'Alex' -ErrorAction Stop } | Should -Throw -ErrorId 'CmdletNotAvailable*'
    }

    It 'runs prefixed service commands on their own connection, honouring -WhatIf' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso -Prefix Org

        Set-OrgMailbox -Identity projector-01 -DisplayName 'Beamer' -WhatIf 6> $null
        (Get-OrgMailbox -Identity projector-01).DisplayName | Should -Be 'Projector 01'
        Set-OrgMailbox -Identity projector-01 -DisplayName 'Beamer'
        (Get-OrgMailbox -Identity projector-01).DisplayName | Should -Be 'Beamer'
        (Get-Command Set-OrgMailbox).Parameters['DeliverToMailboxAndForward'].ParameterType | Should -Be ([bool])
    }

    It 'prefixes the nouns and follows the role: the help desk gets no Set- cmdlets' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $fabrikam -Prefix Fab

        (Get-FabMailbox -Identity alex).PrimarySmtpAddress | Should -Be 'alex@fabrikam.com'
        (Get-FabOrganizationConfig).Identity | Should -Be 'fabrikam.onmicrosoft.com'
        Get-Command Set-FabMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Command Add-FabMailboxPermission -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a change the role does not allow, even through Invoke-ExoCommand' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $fabrikam

        $error.Clear()
        { Set-Mailbox alex -DisplayName 'Someone Else' -ErrorAction Stop } | Should -Throw -ErrorId 'CmdletNotAvailable*'
        { Invoke-ExoCommand -Name Set-Mailbox -Parameters @{ Identity = 'alex'; DisplayName = 'X' } -ErrorAction Stop } | Should -Throw -ErrorId 'CmdletNotAvailable*'
        (Get-EXOMailbox -Identity alex).DisplayName | Should -Be 'Alex Wilber'
    }
}

Describe 'Disconnecting' {
    It 'removes the commands the connection made, and only that connection''s' {
        Connect-TestTenant -Sandbox $sandbox -Tenant $contoso
        Connect-TestTenant -Sandbox $sandbox -Tenant $fabrikam -Prefix Gone
        Get-Command Get-OrganizationConfig, Get-GoneOrganizationConfig | Should -HaveCount 2

        Disconnect-ExchangeOnline -ModulePrefix Gone -Confirm:$false

        Get-Command Get-GoneOrganizationConfig -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Get-Command Get-OrganizationConfig).CommandType | Should -Be 'Function'
        Disconnect-ExchangeOnline -Confirm:$false
        Get-Command Get-OrganizationConfig -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
