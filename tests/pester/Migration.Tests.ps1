# docs/migration.md tells an admin which of Microsoft's compiled cmdlets ExoAdmin has: every one the cmdlet catalogue
# lists as compiled into Microsoft's module is named there, supported or not with a reason, and the page's word
# matches what the module exports.
BeforeDiscovery {
    $compiledHelpFiles = 'ExchangeOnlineManagement-help.xml', 'Microsoft.Exchange.Management.RestApiClient.dll-Help.xml',
        'Microsoft.Exchange.Management.ExoPowershellGalleryModule.dll-Help.xml'
    $catalogue = Get-Content -Raw (Join-Path $PSScriptRoot '../../src/Schema/cmdlet-catalogue.json') | ConvertFrom-Json
    $script:compiled = @($catalogue.cmdlets | Where-Object helpFile -In $compiledHelpFiles | ForEach-Object name | Sort-Object)
}

BeforeAll {
    Import-Module $env:EXOADMIN_MODULE_PATH -Force
    $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/migration.md')
    $script:section = ($page -split '(?m)^## ') | Where-Object { $_ -like "Microsoft's other compiled cmdlets*" }
    # Each table row: the cmdlets it names, and whether it says Supported.
    $script:rows = @($section -split "`r?`n" | Where-Object { $_ -match '^\| [A-Z]' -and $_ -notmatch '^\| Cmdlet' } | ForEach-Object {
            $cells = $_.Trim('|').Split('|')
            [pscustomobject]@{ Names = @($cells[0] -split ',' | ForEach-Object Trim); Supported = $cells[1].Trim() -like 'Supported*' }
        })
}

Describe 'docs/migration.md, Microsoft''s other compiled cmdlets' {
    It 'the catalogue has Microsoft''s 35 compiled cmdlets' {
        $compiled | Should -HaveCount 35
    }

    It 'names <_> once, as supported exactly when ExoAdmin exports it' -ForEach $compiled {
        $name = $_
        $row = @($rows | Where-Object { $_.Names -contains $name })
        $row | Should -HaveCount 1 -Because "an admin looks up $name in that table"
        $exported = [bool](Get-Command $name -Module ExoAdmin -ErrorAction SilentlyContinue)
        $row[0].Supported | Should -Be $exported
    }

    It 'gives a reason for each one it does not support' {
        $rows | Where-Object { -not $_.Supported } | Should -Not -BeNullOrEmpty
        foreach ($line in $section -split "`r?`n" | Where-Object { $_ -match '\| Not supported' }) {
            $line | Should -Match 'Not supported: \w+'
        }
    }
}
