# The sandbox on one port (as it always runs on 443): Exchange Online at 127.0.0.1, Security & Compliance at the
# host name localhost on the same port, for clients that keep only scheme and host of a URI (§18.5).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 5 -ExtraArguments '--single-port'
    $script:tenant = $sandbox.Tenants[0]
    $script:compliance = $sandbox.Info.complianceConnectionUri
    Import-ExoAdmin
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Security & Compliance by host name on the Exchange port' {
    AfterAll { Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue }

    It 'announces compliance as localhost on the same port' {
        ([uri]$compliance).Host | Should -Be 'localhost'
        ([uri]$compliance).Port | Should -Be ([uri]$sandbox.ConnectionUri).Port
    }

    It 'connects Exchange Online and Security & Compliance side by side, each on its own host name' {
        Connect-TestTenant -Sandbox $sandbox
        $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
        Connect-IPPSSession -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -ConnectionUri $compliance -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri

        $connections = Get-ConnectionInformation
        ($connections | Where-Object IsEopSession).ConnectionUri | Should -Be $compliance
        ($connections | Where-Object IsEopSession).State | Should -Be 'Connected'
        @(Get-EXOMailbox -ResultSize Unlimited) | Should -HaveCount 5
        Get-RetentionCompliancePolicy | Should -Not -BeNullOrEmpty
    }
}
