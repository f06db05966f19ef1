@{
    # The staged copy under out/ExoAdmin is what gets imported; build.ps1 copies this file there.
    RootModule           = 'ExoAdmin.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f5f8195-de95-4e61-b6eb-a60d35c85ae4'
    Author               = 'ExoAdmin contributors'
    CompanyName          = 'ExoAdmin'
    Copyright            = '(c) ExoAdmin contributors. MIT License.'
    Description          = 'Exchange Online and Security & Compliance administration over the REST protocol of ExchangeOnlineManagement V3: the same cmdlets, faster, streaming, multi-tenant, without assembly conflicts.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # No RequiredAssemblies or NestedModules: the engine must not load before the module's loader runs.
    CmdletsToExport      = @(
        'Connect-ExchangeOnline'
        'Connect-IPPSSession'
        'Disconnect-ExchangeOnline'
        'Get-ConnectionInformation'
        'Get-EXOMailbox'
        'Get-EXOMailboxStatistics'
        'Get-EXOMailboxPermission'
        'Get-EXOCasMailbox'
        'Get-EXORecipient'
        'Get-EXORecipientPermission'
        'Get-EXOMailboxFolderStatistics'
        'Get-EXOMailboxFolderPermission'
        'Get-EXOMobileDeviceStatistics'
        'Get-Mailbox'
        'Set-Mailbox'
        'Get-MailboxPermission'
        'Add-MailboxPermission'
        'Remove-MailboxPermission'
        'Get-RecipientPermission'
        'Add-RecipientPermission'
        'Remove-RecipientPermission'
        'Get-MailboxAutoReplyConfiguration'
        'Set-MailboxAutoReplyConfiguration'
        'Get-DistributionGroup'
        'Get-DistributionGroupMember'
        'Add-DistributionGroupMember'
        'Remove-DistributionGroupMember'
        'Get-InboxRule'
        'Get-Recipient'
        'Get-CASMailbox'
        'Set-CASMailbox'
        'Get-RetentionCompliancePolicy'
        'Invoke-ExoCommand'
    )
    FormatsToProcess     = @('ExoAdmin.Format.ps1xml', 'ExoAdmin.Classic.Format.ps1xml')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Exchange', 'ExchangeOnline', 'EXO', 'Office365', 'Microsoft365', 'Compliance', 'REST', 'MultiTenant', 'Sandbox',
                'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/ExoAdmin/ExoAdmin'
            LicenseUri   = 'https://github.com/ExoAdmin/ExoAdmin/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0
- App-only certificate sign-in; per-prefix, per-runspace connections; Get-ConnectionInformation, Disconnect-ExchangeOnline.
- Get-EXOMailbox streams page by page, with -Filter, -PropertySets, -Properties, -RecipientTypeDetails and -ResultSize.
- Help for every cmdlet (Get-Help -Full / -Examples) and about_ExoAdmin.
- -Verbose traces each HTTP request on one line, -Debug adds headers; credentials are always masked.
- Progress bars for long reads and pipelined changes in interactive hosts (Connect-ExchangeOnline -ShowProgress).
- Tab completion for connection ids, prefixes, property sets and names, recipient types and mailbox identities.
- A local sandbox tenant to rehearse scripts on (Start-ExoAdminSandbox.ps1 in the module folder).
'@
        }
    }
}
