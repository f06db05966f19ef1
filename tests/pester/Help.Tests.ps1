# Every exported cmdlet has a complete help page, and Get-Help shows it from the built module.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force   # finds the built module from a clone too
    $script:cmdlets = (Import-PowerShellDataFile $env:EXOADMIN_MODULE_PATH).CmdletsToExport
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/MarkdownHelp.psm1') -Force
    $script:module = Import-Module $env:EXOADMIN_MODULE_PATH -Force -Global -PassThru
    $script:docs = Join-Path $PSScriptRoot '../../docs/en-US'
    # Microsoft's reference has a page for every cmdlet it ships; -Online opens it for the cmdlets that share its name.
    $script:microsoftCmdlets = @((Get-Content -Raw (Join-Path $PSScriptRoot '../../src/Schema/cmdlet-catalogue.json') | ConvertFrom-Json).cmdlets.name)
    # Get-Help -Online opens the address with the desktop's opener: a stand-in records what it was asked to open.
    $script:opener = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'opener') -Force
    $script:opened = Join-Path $opener 'opened.txt'
    Set-Content -Path (Join-Path $opener 'xdg-open') -Value "#!/bin/sh`necho `"`$1`" >> '$opened'"
    & chmod +x (Join-Path $opener 'xdg-open')
}

AfterAll { Remove-Module ExoAdmin -ErrorAction SilentlyContinue }

Describe 'Help pages' {
    It 'every exported cmdlet has a page, with a synopsis, description, example and every parameter described' {
        @($module.ExportedCmdlets.Keys) | Should -Not -BeNullOrEmpty
        $problems = (ConvertTo-MamlHelp -Command @($module.ExportedCmdlets.Values) -MarkdownFolder $docs).Problems
        $problems | Should -BeNullOrEmpty -Because 'docs/en-US/<Cmdlet>.md must describe every exported cmdlet and each of its parameters'
    }

    It 'the staged module holds the MAML file and the about topic' {
        Join-Path $module.ModuleBase 'en-US/ExoAdmin.dll-Help.xml' | Should -Exist
        Join-Path $module.ModuleBase 'en-US/about_ExoAdmin.help.txt' | Should -Exist
    }
}

Describe 'Get-Help <_>' -ForEach $cmdlets {
    BeforeAll { $script:page = Read-MarkdownHelp -Path (Join-Path $docs "$_.md") }

    It '-Full shows the page''s synopsis, description, parameters and syntax' {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Be $page.Synopsis
        ($help.description.Text -join ' ') | Should -Match ([regex]::Escape(($page.Description -split '\n')[0].Trim()))
        $documented = @($help.parameters.parameter.name)
        foreach ($name in $page.Parameters.Keys) { $documented | Should -Contain $name }
        @($help.syntax.syntaxItem).Count | Should -Be @((Get-Command $_).ParameterSets).Count
        ($help | Out-String) | Should -Match 'OUTPUTS'
    }

    It '-Online opens Microsoft''s reference page for a cmdlet Microsoft ships, the project''s page otherwise' -Skip:(-not $IsLinux) {
        $expected = if ($microsoftCmdlets -ccontains $_) { "https://learn.microsoft.com/powershell/module/exchangepowershell/$($_.ToLowerInvariant())" }
        else { "https://github.com/ExoAdmin/ExoAdmin/blob/main/docs/en-US/$_.md" }
        Remove-Item $opened -ErrorAction SilentlyContinue
        $savedPath = $env:PATH
        $env:PATH = "$opener$([System.IO.Path]::PathSeparator)$env:PATH"
        try { Get-Help $_ -Online } finally { $env:PATH = $savedPath }
        # The opener runs on its own; wait for its line, not for a fixed time.
        $deadline = [datetime]::UtcNow.AddSeconds(20)
        while (-not ((Test-Path $opened) -and (Get-Content -Raw $opened) -match "\n$") -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        Get-Content $opened | Should -Be $expected
    }

    It '-Examples shows every example with its code' {
        $examples = @((Get-Help $_ -Examples).examples.example)
        $examples | Should -HaveCount $page.Examples.Count
        $examples[0].code | Should -Be $page.Examples[0].Code
    }
}

Describe 'about_ExoAdmin' {
    It 'covers sign-in, multi-tenant use, the sandbox and migrating' {
        $text = Get-Help about_ExoAdmin | Out-String
        $text | Should -Match 'SIGN-IN CHOICES'
        $text | Should -Match 'MULTI-TENANT USE'
        $text | Should -Match 'THE SANDBOX'
        $text | Should -Match 'MIGRATING FROM EXCHANGEONLINEMANAGEMENT'
    }
}
