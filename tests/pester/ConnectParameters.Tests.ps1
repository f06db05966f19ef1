# Microsoft's Connect-ExchangeOnline and Connect-IPPSSession parameters as scripts pass them: by position, as booleans,
# the ones that change what is sent, the ones honoured here (the connection log, -InlineCredential, -UseMultithreading),
# the ones without effect (one warning each, saying why) and -UseRPSSession (refused).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:sandbox = Start-TestSandbox -Mailboxes 20
    $script:tenant = $sandbox.Tenants[0]
    Import-ExoAdmin
    $script:password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
    $script:appOnly = @{
        AppId = $tenant.appId; Organization = $tenant.organization; CertificateFilePath = $tenant.certificatePath; CertificatePassword = $password
        ConnectionUri = $sandbox.ConnectionUri; AzureADAuthorizationEndpointUri = $sandbox.AuthorityUri; ShowBanner = $false
    }
    $script:jwt = 'eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.'
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'Microsoft''s parameters as scripts pass them' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It 'binds ConnectionUri, AzureADAuthorizationEndpointUri, ExchangeEnvironmentName, PSSessionOption, DelegatedOrganization, Prefix and CommandName by position' {
        $token = Get-UserAccessToken -Sandbox $sandbox -User (Get-TestUser $tenant legacy)
        $debug = Connect-ExchangeOnline $sandbox.ConnectionUri $sandbox.AuthorityUri O365Default $null $tenant.organization Pos Get-Mailbox -AccessToken $token `
            -ShowBanner:$false -Debug -Verbose -WarningAction SilentlyContinue 5>&1 4>$null | ForEach-Object { "$_" }

        $info = Get-ConnectionInformation
        $info.ConnectionUri | Should -Be $sandbox.ConnectionUri
        $info.AzureAdAuthorizationEndpointUri | Should -Be $sandbox.AuthorityUri
        $info.ModulePrefix | Should -Be 'Pos'
        $info.DelegatedOrganization | Should -Be $tenant.organization
        $info.ConnectionUsedForInbuiltCmdlets | Should -BeFalse -Because 'the built-in cmdlets use the unprefixed connection'
        # -CommandName went to the service with the module-file request, as Microsoft's module sends it, and only that cmdlet
        # became a command, under the prefix, in the connection's module.
        $moduleFile = ($debug -join "`n") -split 'Request: ' | Where-Object { $_ -like 'GET /AdminApi/v1.0/*/EXOModuleFile*' }
        $moduleFile | Should -Match 'CommandName: Get-Mailbox'
        $info.ModuleName | Should -Be 'ExoAdmin.Exchange.Pos'
        (Get-Command Get-PosMailbox -ErrorAction SilentlyContinue).ModuleName | Should -Be 'ExoAdmin.Exchange.Pos'
        Get-Command Set-PosMailbox -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because '-CommandName named only Get-Mailbox'
    }

    It 'takes -ShowProgress, -TrackPerformance and -UseMultithreading as booleans, and -PageSize as a number' {
        Connect-ExchangeOnline @appOnly -ShowProgress $true -TrackPerformance $false -UseMultithreading $true -PageSize ([uint32]500) -WarningVariable warnings
        $info = Get-ConnectionInformation
        $info.PageSize | Should -Be 500
        $info.ConnectionUsedForInbuiltCmdlets | Should -BeTrue
        $info.DelegatedOrganization | Should -BeNullOrEmpty
        $info.Name | Should -Match '^ExchangeOnline_\d+$'
        $info.ModuleName | Should -Be 'ExoAdmin.Exchange'
        $warnings | Should -BeNullOrEmpty
        # Microsoft's ConnectionInformation, property for property and in its order, then ExoAdmin's addition.
        $info.PSObject.Properties.Name | Should -Be @('ConnectionId', 'State', 'Id', 'Name', 'UserPrincipalName', 'ConnectionUri',
            'AzureAdAuthorizationEndpointUri', 'TokenExpiryTimeUTC', 'CertificateAuthentication', 'ModuleName', 'ModulePrefix', 'Organization',
            'DelegatedOrganization', 'AppId', 'PageSize', 'TenantID', 'TokenStatus', 'ConnectionUsedForInbuiltCmdlets', 'IsEopSession', 'LogFilePath')
    }

    It 'accepts -DisableWAM and -SkipLoadingCmdletHelp, which ask for what ExoAdmin always does, without a warning' {
        Connect-ExchangeOnline @appOnly -DisableWAM -SkipLoadingCmdletHelp -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        (Get-ConnectionInformation).State | Should -Be 'Connected'
    }

    It 'accepts each parameter without effect here with one warning naming it and why, and connects' {
        $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($tenant.certificatePath, $tenant.certificatePassword)
        Connect-ExchangeOnline @appOnly -PSSessionOption (New-PSSessionOption) -FormatTypeName 'Microsoft.Exchange.Data.Directory.Management.Mailbox' `
            -EXOModuleBasePath $TestDrive -SigningCertificate $certificate -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings | Should -HaveCount 4
        ($warnings -match '^-PSSessionOption has no effect in ExoAdmin: it sets options of remote PowerShell') | Should -HaveCount 1
        ($warnings -match '^-FormatTypeName has no effect in ExoAdmin: ') | Should -HaveCount 1
        ($warnings -match '^-EXOModuleBasePath has no effect in ExoAdmin: ExoAdmin writes no temporary module') | Should -HaveCount 1
        ($warnings -match '^-SigningCertificate has no effect in ExoAdmin: ') | Should -HaveCount 1
        (Get-ConnectionInformation).State | Should -Be 'Connected'
    }

    It 'Connect-IPPSSession -EnableSearchOnlySession warns that it changes nothing here, and -ShowBanner:$false shows no banner' {
        $banner = Connect-IPPSSession -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -ConnectionUri $sandbox.Info.complianceConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri -EnableSearchOnlySession -ShowBanner:$false `
            -WarningVariable warnings -WarningAction SilentlyContinue 6>&1
        $banner | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match '^-EnableSearchOnlySession has no effect in ExoAdmin'
        $info = Get-ConnectionInformation | Where-Object IsEopSession
        $info.Name | Should -Match '^ExchangeOnlineProtection_\d+$'
        $info.ConnectionUsedForInbuiltCmdlets | Should -BeFalse
    }

    It 'Connect-IPPSSession shows the service''s banner by default, as Microsoft''s does' {
        $banner = Connect-IPPSSession -AppId $tenant.appId -Organization $tenant.organization -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
            -ConnectionUri $sandbox.Info.complianceConnectionUri -AzureADAuthorizationEndpointUri $sandbox.AuthorityUri 6>&1
        "$banner" | Should -Match 'sandbox'
    }

    It 'refuses -UseRPSSession: remote PowerShell is retired' -ForEach @(
        @{ Command = 'Connect-ExchangeOnline' }
        @{ Command = 'Connect-IPPSSession' }
    ) {
        $err = { & $Command @appOnly -UseRPSSession } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'RemotePowerShellRetired,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'remote PowerShell .* is retired'
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'refuses -UseMultithreading $false with a -MaxConcurrency above 1' {
        { Connect-ExchangeOnline @appOnly -UseMultithreading $false -MaxConcurrency 4 } | Should -Throw -ErrorId 'ConflictingConcurrency*'
    }
}

Describe '-LoadCmdletHelp' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue }

    It 'gives the service''s commands the service''s help, under their prefixed names, with Microsoft''s page online, until disconnect' {
        Connect-ExchangeOnline @appOnly -Prefix Hlp -CommandName Get-User, Get-OrganizationConfig -LoadCmdletHelp
        $help = Get-Help Get-HlpUser -Full
        $help.Synopsis | Should -Match '^Get-User is a Exchange Online cmdlet'
        $help.Name | Should -Be 'Get-HlpUser'
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be 'https://learn.microsoft.com/powershell/module/exchangepowershell/get-user'
        # The help file is the connection's own, and goes with it.
        (Get-Command Get-HlpUser).Definition -match '# \.ExternalHelp (?<path>.+)' | Should -BeTrue
        $path = $Matches.path.Trim()
        $path | Should -Exist
        Disconnect-ExchangeOnline -Confirm:$false
        $path | Should -Not -Exist
    }

    It 'without it, the service''s commands have no help of the service''s (as in Microsoft''s module since 3.7)' {
        Connect-ExchangeOnline @appOnly -Prefix Hlp -CommandName Get-User
        (Get-Help Get-HlpUser).Synopsis | Should -Not -Match 'Exchange Online cmdlet'
        (Get-Command Get-HlpUser).Definition | Should -Not -Match '\.ExternalHelp'
    }

    It 'refuses -SkipLoadingCmdletHelp beside it' {
        { Connect-ExchangeOnline @appOnly -LoadCmdletHelp -SkipLoadingCmdletHelp } | Should -Throw -ErrorId 'ConflictingHelpParameters*'
    }
}

Describe 'Parameters that change what is sent' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false }

    It '-SkipLoadingFormatData asks the service to leave its format data out of the module file' {
        $debug = Connect-ExchangeOnline @appOnly -SkipLoadingFormatData -Debug -Verbose 5>&1 4>$null | ForEach-Object { "$_" }
        $moduleFile = ($debug -join "`n") -split 'Request: ' | Where-Object { $_ -like 'GET /AdminApi/v1.0/*/EXOModuleFile*' }
        $moduleFile | Should -HaveCount 1
        $moduleFile | Should -Match 'SkipLoadingFormatData: true'
    }

    It '-BypassMailboxAnchoring sends no anchor of the connection''s own; without it every request carries one' {
        $anchored = (Connect-ExchangeOnline @appOnly -Debug -Verbose 5>&1 4>$null | ForEach-Object { "$_" }) -join "`n"
        # App-only, connect-time requests are anchored on the tenant's system mailbox by tenant id, as Microsoft's module does.
        $anchored | Should -Match "X-AnchorMailbox: APP:SystemMailbox\{bb558c35-97f1-4cb9-8ff7-d53741dc928c\}@$($tenant.tenantId)"
        Disconnect-ExchangeOnline -Confirm:$false

        $bypassed = (& { Connect-ExchangeOnline @appOnly -BypassMailboxAnchoring -Debug -Verbose; Get-EXOMailbox -ResultSize 2 -Debug -Verbose } 5>&1 4>$null | ForEach-Object { "$_" }) -join "`n"
        $bypassed | Should -Match 'Request: GET /adminapi/beta/\S+/Mailbox'
        $bypassed | Should -Not -Match 'X-AnchorMailbox'
    }

    It '-UseMultithreading $false reads piped mailboxes one request at a time' {
        Connect-ExchangeOnline @appOnly -UseMultithreading $false
        $aliases = @((Get-EXOMailbox -ResultSize 6).Alias)
        # Each keyed mailbox read takes 250 ms at the sandbox: one at a time, 6 take at least 1.5 s whatever the machine.
        $id = Add-SandboxFault -Sandbox $sandbox -Kind latency -Path '/adminapi/beta/*/Mailbox(*' -Method GET -LatencyMs 250
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $read = @($aliases | Get-EXOMailbox)
            $clock.Stop()
            $read.Alias | Should -Be $aliases
            $clock.Elapsed.TotalMilliseconds | Should -BeGreaterOrEqual (6 * 250)
        }
        finally { Clear-SandboxFault -Sandbox $sandbox -Id $id }
    }
}

Describe 'The connection log (-LogDirectoryPath, -EnableErrorReporting, -LogLevel, -TrackPerformance)' {
    AfterEach { Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue }

    It 'writes one file per connection: the connect, each request with its request-id, errors, the disconnect; nothing secret' {
        $folder = Join-Path $TestDrive 'logs-default'
        Connect-ExchangeOnline @appOnly -LogDirectoryPath $folder
        $path = (Get-ConnectionInformation).LogFilePath
        $null = Get-EXOMailbox -ResultSize 3
        $null = Get-EXOMailbox -Identity 'nobody-here' -ErrorAction SilentlyContinue
        Disconnect-ExchangeOnline -Confirm:$false

        @(Get-ChildItem $folder) | Should -HaveCount 1
        (Get-Item $path).Name | Should -Match '^ExoAdmin-\d{8}-\d{6}-[0-9a-f-]{36}\.log$'
        $lines = Get-Content $path
        $lines | ForEach-Object { $_ | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ' }
        $lines[0] | Should -Match 'Connect-ExchangeOnline \(ExoAdmin [\d.]+\): signing in \(Certificate\)'
        ($lines -match 'GET /adminapi/beta/\S+/Mailbox\S* 200 in \d+ ms, \d+ retr(y|ies), request-id [0-9a-f-]{36}$') | Should -HaveCount 1
        ($lines -match "GET /adminapi/beta/\S+/Mailbox\('\S+ 404 .*request-id [0-9a-f-]{36}") | Should -HaveCount 1
        ($lines -match 'Connected to ') | Should -HaveCount 1
        $lines[-1] | Should -Match 'Disconnected ExchangeOnline_\d+'
        # Default level: requests and errors, not the cmdlets and their parameters.
        ($lines -match 'Get-EXOMailbox -ResultSize') | Should -BeNullOrEmpty
        $text = $lines -join "`n"
        $text | Should -Not -Match ([regex]::Escape($tenant.certificatePassword))
        $text | Should -Not -Match $jwt
    }

    It '-LogLevel All adds each cmdlet with its parameters, secrets masked; -TrackPerformance adds CPU time and memory' {
        $folder = Join-Path $TestDrive 'logs-all'
        Connect-ExchangeOnline @appOnly -LogDirectoryPath $folder -LogLevel All -TrackPerformance $true
        $path = (Get-ConnectionInformation).LogFilePath
        $null = Get-EXOMailbox -ResultSize 3 -Properties DisplayName
        Disconnect-ExchangeOnline -Confirm:$false

        $lines = Get-Content $path
        ($lines -match "Get-EXOMailbox -ResultSize 3 -Properties 'DisplayName'") | Should -HaveCount 1
        $lines | ForEach-Object { $_ | Should -Match '\[cpu \d+\.\d{3} s, memory \d+\.\d MB\]$' }
    }

    It '-EnableErrorReporting alone logs to Microsoft''s default folder, EXOCmdletTelemetry in the temporary folder' {
        $saved = $env:TMPDIR
        $env:TMPDIR = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'tmp')).FullName + '/'
        try {
            Connect-ExchangeOnline @appOnly -EnableErrorReporting
            (Get-ConnectionInformation).LogFilePath | Should -BeLike (Join-Path $env:TMPDIR 'EXOCmdletTelemetry/ExoAdmin-*.log')
        }
        finally { $env:TMPDIR = $saved }
    }

    It 'a folder that cannot be written stops the connect before signing in' {
        $file = New-Item -ItemType File -Path (Join-Path $TestDrive 'not-a-folder')
        $err = { Connect-ExchangeOnline @appOnly -LogDirectoryPath $file.FullName } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'LogDirectoryUnwritable,*'
        $err.TargetObject | Should -Be $file.FullName
        @(Get-ConnectionInformation) | Should -HaveCount 0
    }

    It 'a sign-in that fails is in the log' {
        $folder = Join-Path $TestDrive 'logs-failed'
        { Connect-ExchangeOnline @appOnly -AppId ([guid]::NewGuid()) -LogDirectoryPath $folder } | Should -Throw
        $lines = Get-Content (Get-ChildItem $folder).FullName
        $lines[-1] | Should -Match 'Connect failed: Sign-in failed .*AADSTS700016'
    }

    It '-LogLevel and -TrackPerformance without a log warn that they change nothing' {
        Connect-ExchangeOnline @appOnly -LogLevel All -TrackPerformance $true -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 2
        "$warnings" | Should -Match '-LogLevel has no effect without a log'
        (Get-ConnectionInformation).LogFilePath | Should -BeNullOrEmpty
    }
}

Describe '-InlineCredential' {
    BeforeAll {
        # A host whose prompt answers as a person typing into it would: it records what it was asked and returns the user.
        if (-not ('InlineCredentialHost' -as [type])) {
            Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

public sealed class InlineCredentialHost : PSHost
{
    private readonly InlineCredentialUI _ui;
    public InlineCredentialHost(PSCredential answer) { _ui = new InlineCredentialUI(answer); }
    public InlineCredentialUI Prompts => _ui;
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "InlineCredentialHost";
    public override PSHostUserInterface UI => _ui;
    public override Version Version => new Version(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }
}

public sealed class InlineCredentialUI : PSHostUserInterface
{
    private readonly PSCredential _answer;
    public InlineCredentialUI(PSCredential answer) { _answer = answer; }
    public List<string> Asked { get; } = new List<string>();
    public override PSHostRawUserInterface RawUI => null;
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
    {
        Asked.Add(caption + "|" + userName + "|" + message);
        return _answer;
    }
    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        PromptForCredential(caption, message, userName, targetName);
    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => throw new NotSupportedException();
    public override string ReadLine() => throw new NotSupportedException();
    public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
    public override void Write(string value) { }
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
    public override void WriteDebugLine(string message) { }
    public override void WriteErrorLine(string value) { }
    public override void WriteLine(string value) { }
    public override void WriteProgress(long sourceId, ProgressRecord record) { }
    public override void WriteVerboseLine(string message) { }
    public override void WriteWarningLine(string message) { }
}
'@
        }
    }

    It 'asks the host for the user name and password, offering -UserPrincipalName, and signs in with them' {
        $legacy = Get-TestUser $tenant legacy
        $typed = [pscredential]::new($legacy.userPrincipalName, (ConvertTo-SecureString $legacy.password -AsPlainText -Force))
        $hostWithPrompt = [InlineCredentialHost]::new($typed)
        $runspace = [runspacefactory]::CreateRunspace($hostWithPrompt)
        $runspace.Open()
        try {
            $shell = [powershell]::Create()
            $shell.Runspace = $runspace
            $null = $shell.AddScript({
                    param($ModulePath, $Sandbox, $Upn)
                    Import-Module $ModulePath
                    Connect-ExchangeOnline -InlineCredential -UserPrincipalName $Upn -ConnectionUri $Sandbox.ConnectionUri `
                        -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri -ShowBanner:$false -WarningAction SilentlyContinue
                    (Get-ConnectionInformation).UserPrincipalName
                    @(Get-EXOMailbox -ResultSize 2).Count
                }).AddArgument($env:EXOADMIN_MODULE_PATH).AddArgument($sandbox).AddArgument($legacy.userPrincipalName)
            $result = $shell.Invoke()
            $shell.Streams.Error | Should -BeNullOrEmpty
            $result[0] | Should -Be $legacy.userPrincipalName
            $result[1] | Should -Be 2
            $hostWithPrompt.Prompts.Asked | Should -HaveCount 1
            $hostWithPrompt.Prompts.Asked[0] | Should -BeLike "Connect-ExchangeOnline|$($legacy.userPrincipalName)|*multi-factor*"
        }
        finally { $runspace.Dispose() }
    }

    It 'in a host that cannot ask, stops before sending anything and says what to use instead' {
        $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command {
            param($ModulePath, $Uri, $Authority)
            Import-Module $ModulePath
            try { Connect-ExchangeOnline -InlineCredential -ConnectionUri $Uri -AzureADAuthorizationEndpointUri $Authority; 'CONNECTED' }
            catch { "ID $($_.FullyQualifiedErrorId)"; "MESSAGE $($_.Exception.Message)" }
        } -args $env:EXOADMIN_MODULE_PATH, $sandbox.ConnectionUri, $sandbox.AuthorityUri
        $text = $output -join "`n"
        $text | Should -Match 'ID InlineCredentialNeedsConsole,'
        $text | Should -Match 'Pass -Credential, or sign in with a certificate or a managed identity'
    }
}
