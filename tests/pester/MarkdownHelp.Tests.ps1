# The help converter on its own: markdown in, MAML out, checked against a small cmdlet defined here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../build/MarkdownHelp.psm1') -Force
    function global:Set-HelpSample {
        [CmdletBinding(DefaultParameterSetName = 'ByName')]
        param(
            [Parameter(Mandatory, Position = 0, ValueFromPipeline, ParameterSetName = 'ByName')] [string] $Name,
            [Parameter(Mandatory, ParameterSetName = 'ById')] [guid] $Id,
            [ValidateSet('Low', 'High')] [string] $Level,
            [switch] $Force
        )
    }
    $script:command = Get-Command Set-HelpSample
    $script:folder = Join-Path $TestDrive 'md'
    New-Item -ItemType Directory -Path $folder | Out-Null
    Set-Content -Path (Join-Path $folder 'Set-HelpSample.md') -Value @'
---
external help file: Sample.dll-Help.xml
online version: https://example.org/set-helpsample
---

# Set-HelpSample

## SYNOPSIS
Sets a sample.

## SYNTAX
Ignored.

## DESCRIPTION
First paragraph
continues here.

Second paragraph with `code` in it.

## EXAMPLES

### Example 1: The simplest use
```powershell
Set-HelpSample -Name one
Set-HelpSample -Name two
```

What it does,
on two lines.

### Example 2: From the pipeline
```powershell
'a', 'b' | Set-HelpSample -Level High
```

## PARAMETERS

### -Name
The name.

```yaml
Type: String
Required: True
```

### -Id
The id.

### -Level
How much.

### -Force
Without asking.

```yaml
Type: SwitchParameter
Default value: True
```

## INPUTS

### System.String
Names.

## OUTPUTS

### None
Nothing.

## NOTES
A note.

## RELATED LINKS

[Online](https://example.org/help)

[Get-Other](Get-Other.md)
'@
}

AfterAll { Remove-Item Function:\Set-HelpSample -ErrorAction SilentlyContinue }

Describe 'Read-MarkdownHelp' {
    BeforeAll { $script:help = Read-MarkdownHelp -Path (Join-Path $folder 'Set-HelpSample.md') }

    It 'reads the title, synopsis and description, skipping front matter and SYNTAX' {
        $help.Name | Should -Be 'Set-HelpSample'
        $help.Synopsis | Should -Be 'Sets a sample.'
        $help.Description | Should -Match '^First paragraph'
        $help.Description | Should -Not -Match 'Ignored|external help'
    }

    It 'reads each example''s title, code (all lines, without the fence) and remarks' {
        $help.Examples | Should -HaveCount 2
        $help.Examples[0].Title | Should -Be 'Example 1: The simplest use'
        $help.Examples[0].Code | Should -Be "Set-HelpSample -Name one`nSet-HelpSample -Name two"
        $help.Examples[0].Remarks | Should -Be "What it does,`non two lines."
        $help.Examples[1].Code | Should -Be "'a', 'b' | Set-HelpSample -Level High"
        $help.Examples[1].Remarks | Should -BeNullOrEmpty
    }

    It 'reads parameter descriptions and drops their yaml blocks' {
        $help.Parameters.Keys | Should -Be @('Name', 'Id', 'Level', 'Force')
        $help.Parameters['Name'] | Should -Be 'The name.'
        $help.Parameters['Force'] | Should -Be 'Without asking.'
        $help.Defaults['Force'] | Should -Be 'True'
        $help.Defaults.Contains('Name') | Should -BeFalse
    }

    It 'reads the online address from the front matter' {
        $help.Online | Should -Be 'https://example.org/set-helpsample'
    }

    It 'reads inputs, outputs, notes and links' {
        $help.Inputs[0].Type | Should -Be 'System.String'
        $help.Inputs[0].Description | Should -Be 'Names.'
        $help.Outputs[0].Type | Should -Be 'None'
        $help.Notes | Should -Be 'A note.'
        $help.Links.Text | Should -Be @('Online', 'Get-Other')
        $help.Links[0].Uri | Should -Be 'https://example.org/help'
        $help.Links[1].Uri | Should -Be ''
    }

    It 'refuses a page without a title' {
        $bad = Join-Path $TestDrive 'bad.md'
        Set-Content -Path $bad -Value "## SYNOPSIS`nNo title."
        { Read-MarkdownHelp -Path $bad } | Should -Throw '*title*'
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $script:result = ConvertTo-MamlHelp -Command $command -MarkdownFolder $folder
        $script:ns = [System.Xml.XmlNamespaceManager]::new($result.Document.NameTable)
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $script:node = $result.Document.SelectSingleNode('//command:command', $ns)
    }

    It 'finds nothing missing in a complete page' {
        $result.Problems | Should -BeNullOrEmpty
    }

    It 'writes the name, verb, noun, synopsis and one para per description paragraph' {
        $node.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -Be 'Set-HelpSample'
        $node.SelectSingleNode('command:details/command:verb', $ns).InnerText | Should -Be 'Set'
        $node.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Sets a sample.'
        $paras = $node.SelectNodes('maml:description/maml:para', $ns)
        $paras.Count | Should -Be 2
        $paras[0].InnerText | Should -Be 'First paragraph continues here.'
    }

    It 'takes syntax from the cmdlet: one item per parameter set, positions, mandatory flags and enum values' {
        $items = $node.SelectNodes('command:syntax/command:syntaxItem', $ns)
        $items.Count | Should -Be 2
        $byName = $items[0].SelectNodes('command:parameter', $ns)
        ($byName | ForEach-Object { $_.SelectSingleNode('maml:name', $ns).InnerText }) | Should -Be @('Name', 'Force', 'Level')
        $byName[0].GetAttribute('required') | Should -Be 'true'
        $byName[0].GetAttribute('position') | Should -Be '0'
        $byName[0].GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $level = $node.SelectSingleNode("command:parameters/command:parameter[maml:name='Level']", $ns)
        ($level.SelectNodes('command:parameterValueGroup/command:parameterValue', $ns) | ForEach-Object InnerText) | Should -Be @('Low', 'High')
        $force = $node.SelectSingleNode("command:parameters/command:parameter[maml:name='Force']", $ns)
        $force.SelectSingleNode('command:parameterValue', $ns) | Should -BeNullOrEmpty
        $force.SelectSingleNode('dev:type/maml:name', $ns).InnerText | Should -Be 'SwitchParameter'
        $force.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'True'
        $level.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'None'
    }

    It 'writes examples with code and remarks, outputs and links' {
        $examples = $node.SelectNodes('command:examples/command:example', $ns)
        $examples.Count | Should -Be 2
        $examples[0].SelectSingleNode('maml:title', $ns).InnerText | Should -Match 'Example 1: The simplest use'
        $examples[0].SelectSingleNode('dev:code', $ns).InnerText | Should -Be "Set-HelpSample -Name one`nSet-HelpSample -Name two"
        $node.SelectSingleNode('command:returnValues/command:returnValue/dev:type/maml:name', $ns).InnerText | Should -Be 'None'
        $links = $node.SelectNodes('command:relatedLinks/maml:navigationLink', $ns)
        ($links | ForEach-Object { $_.SelectSingleNode('maml:uri', $ns).InnerText }) | Should -Be @('https://example.org/set-helpsample', 'https://example.org/help', '')
        # PlatyPS's shape: Get-Help -Online opens the first link's address.
        $links[0].SelectSingleNode('maml:linkText', $ns).InnerText | Should -Be 'Online Version:'
    }

    It 'reports a page without an online address' {
        $offline = Join-Path $TestDrive 'offline'
        New-Item -ItemType Directory -Path $offline | Out-Null
        (Get-Content -Raw (Join-Path $folder 'Set-HelpSample.md')) -replace 'online version: \S+\r?\n', '' | Set-Content (Join-Path $offline 'Set-HelpSample.md')
        (ConvertTo-MamlHelp -Command $command -MarkdownFolder $offline).Problems | Should -Be @("Set-HelpSample: the page has no 'online version:' address, which Get-Help -Online opens.")
    }

    It 'reports a missing page, an undescribed parameter and a described parameter that does not exist' {
        function global:Get-HelpOrphan { [CmdletBinding()] param() }
        try {
            $orphan = ConvertTo-MamlHelp -Command (Get-Command Get-HelpOrphan) -MarkdownFolder $folder
            $orphan.Problems | Should -Match 'Get-HelpOrphan has no help page'
        }
        finally { Remove-Item Function:\Get-HelpOrphan }

        $partial = Join-Path $TestDrive 'partial'
        New-Item -ItemType Directory -Path $partial | Out-Null
        (Get-Content -Raw (Join-Path $folder 'Set-HelpSample.md')) -replace '### -Force\s+Without asking\.', "### -Bogus`nNot a parameter." |
            Set-Content (Join-Path $partial 'Set-HelpSample.md')
        $problems = (ConvertTo-MamlHelp -Command $command -MarkdownFolder $partial).Problems
        $problems | Should -HaveCount 2
        $problems | Should -Contain 'Set-HelpSample: parameter -Force is not described.'
        $problems | Should -Contain 'Set-HelpSample: the page describes -Bogus, which the cmdlet does not have.'
    }

    It 'is MAML that Get-Help reads' {
        # A module folder with the generated help next to a script module of the same cmdlet.
        $moduleDir = Join-Path $TestDrive 'HelpSample'
        New-Item -ItemType Directory -Path (Join-Path $moduleDir 'en-US') -Force | Out-Null
        Set-Content (Join-Path $moduleDir 'HelpSample.psm1') -Value (
            "# .ExternalHelp HelpSample-Help.xml`nfunction Set-HelpSample {`n$((Get-Command Set-HelpSample).Definition)`n}")
        $result.Document.Save((Join-Path $moduleDir 'en-US/HelpSample-Help.xml'))
        $text = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "Import-Module '$moduleDir/HelpSample.psm1'; Get-Help Set-HelpSample -Full | Out-String -Width 200"
        ($text -join "`n") | Should -Match 'Sets a sample\.'
        ($text -join "`n") | Should -Match 'Set-HelpSample -Name two'
    }
}

Describe 'ConvertTo-AboutHelpText' {
    It 'turns headings into upper-case lines and indents text and code' {
        $about = Join-Path $TestDrive 'about_Sample.md'
        Set-Content -Path $about -Value "# about_Sample`n`n## Short description`nSome **bold** and ``code``.`n`n``````powershell`nGet-Thing`n```````n"
        $text = ConvertTo-AboutHelpText -Path $about
        $text | Should -Match '(?m)^ABOUT_SAMPLE\r?$'
        $text | Should -Match '(?m)^SHORT DESCRIPTION\r?$'
        $text | Should -Match '(?m)^    Some bold and code\.\r?$'
        $text | Should -Match '(?m)^    Get-Thing\r?$'
        $text | Should -Not -Match '```'
    }
}
