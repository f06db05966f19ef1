# Turns the module's help sources (docs/en-US/<Cmdlet>.md, PlatyPS-shaped markdown) into the MAML
# file PowerShell reads for a binary module (en-US/ExoAdmin.dll-Help.xml), and about_*.md into
# about_*.help.txt. Descriptions come from the markdown; syntax, parameter types, positions,
# mandatory flags and pipeline input come from the cmdlet itself, so they can never drift.

$script:Maml = 'http://schemas.microsoft.com/maml/2004/10'
$script:Command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$script:Dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$script:CommonParameters = [System.Collections.Generic.HashSet[string]]::new([string[]]@(
        'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable', 'WarningVariable',
        'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm'), [StringComparer]::OrdinalIgnoreCase)

function Read-MarkdownHelp {
    <#
    .SYNOPSIS
        Parses one cmdlet page: the front matter's 'online version:' address, # Name, then ## SYNOPSIS, DESCRIPTION, EXAMPLES (### titles with a
        fenced code block and remarks), PARAMETERS (### -Name then text, and an optional ```yaml block
        whose 'Default value:' line is kept), INPUTS, OUTPUTS (### type
        then text), NOTES, RELATED LINKS. SYNTAX and yaml blocks under parameters are ignored.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipelineByPropertyName)] [Alias('FullName')] [string] $Path)
    process {
        $lines = [System.IO.File]::ReadAllLines($Path)
        $i = 0
        $online = ''
        if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---') {
            # YAML front matter, as PlatyPS writes it: only the online address is needed (Get-Help -Online opens it).
            $i = 1
            while ($i -lt $lines.Count -and $lines[$i].Trim() -ne '---') {
                if ($lines[$i] -match '^online version:\s*(?<uri>https?://\S+)\s*$') { $online = $Matches.uri }
                $i++
            }
            $i++
        }

        $help = [ordered]@{
            Name = $null; Online = $online; Synopsis = ''; Description = ''; Examples = [System.Collections.Generic.List[object]]::new()
            Parameters = [ordered]@{}; Defaults = @{}; Inputs = [System.Collections.Generic.List[object]]::new(); Outputs = [System.Collections.Generic.List[object]]::new()
            Notes = ''; Links = [System.Collections.Generic.List[object]]::new()
        }
        $section = $null
        $item = $null
        $buffer = [System.Collections.Generic.List[string]]::new()
        $inFence = $false
        $fenceIsYaml = $false

        $flush = {
            $text = ($buffer -join "`n").Trim()
            $buffer.Clear()
            switch ($section) {
                'SYNOPSIS' { $help.Synopsis = $text }
                'DESCRIPTION' { $help.Description = $text }
                'NOTES' { $help.Notes = $text }
                'EXAMPLES' { if ($item) { $item.Remarks = $text } }
                'PARAMETERS' { if ($item) { $help.Parameters[$item] = $text } }
                { $_ -in 'INPUTS', 'OUTPUTS' } { if ($item) { $item.Description = $text } }
                'RELATED LINKS' {
                    foreach ($m in [regex]::Matches($text, '\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)')) {
                        $uri = $m.Groups['uri'].Value
                        $help.Links.Add([pscustomobject]@{ Text = $m.Groups['text'].Value; Uri = $(if ($uri -match '^https?://') { $uri } else { '' }) })
                    }
                }
            }
        }

        for (; $i -lt $lines.Count; $i++) {
            $line = $lines[$i]
            if ($line -match '^\s*```(?<lang>\S*)') {
                if (-not $inFence) {
                    $inFence = $true
                    $fenceIsYaml = $Matches.lang -eq 'yaml'
                    if ($section -eq 'EXAMPLES' -and $item -and -not $item.Code) { $item.Code = ''; $item.InCode = $true; continue }
                    if ($fenceIsYaml) { continue }
                }
                else {
                    $inFence = $false
                    if ($item -and $item.InCode) { $item.InCode = $false; continue }
                    if ($fenceIsYaml) { $fenceIsYaml = $false; continue }
                }
            }
            elseif ($inFence) {
                if ($fenceIsYaml) {
                    # PlatyPS keeps parameter facts in a yaml block; only the default value is not in the cmdlet's metadata.
                    if ($section -eq 'PARAMETERS' -and $item -and $line -match '^\s*Default value:\s*(?<value>.+?)\s*$') { $help.Defaults[$item] = $Matches.value }
                    continue
                }
                if ($item -and $item.InCode) { $item.Code = if ($item.Code) { "$($item.Code)`n$line" } else { $line }; continue }
            }
            elseif ($line -match '^# (?<name>\S.*)$' -and -not $help.Name) {
                $help.Name = $Matches.name.Trim()
                continue
            }
            elseif ($line -match '^## (?<section>.+)$') {
                & $flush
                $section = $Matches.section.Trim().ToUpperInvariant()
                $item = $null
                continue
            }
            elseif ($line -match '^### (?<title>.+)$') {
                & $flush
                $title = $Matches.title.Trim()
                switch ($section) {
                    'EXAMPLES' { $item = [pscustomobject]@{ Title = $title; Code = ''; InCode = $false; Remarks = '' }; $help.Examples.Add($item) }
                    'PARAMETERS' { $item = $title.TrimStart('-'); $help.Parameters[$item] = '' }
                    'INPUTS' { $item = [pscustomobject]@{ Type = $title; Description = '' }; $help.Inputs.Add($item) }
                    'OUTPUTS' { $item = [pscustomobject]@{ Type = $title; Description = '' }; $help.Outputs.Add($item) }
                    default { $buffer.Add($line) }
                }
                continue
            }
            $buffer.Add($line)
        }
        & $flush

        if (-not $help.Name) { throw "$Path has no '# <Cmdlet-Name>' title." }
        foreach ($example in $help.Examples) { $example.PSObject.Properties.Remove('InCode') }
        [pscustomobject]$help
    }
}

function Get-Paragraphs([string] $Text) {
    # Blank lines separate paragraphs; single line breaks inside a paragraph are joined, except in
    # lists, whose items keep their own lines.
    if (-not $Text) { return }
    foreach ($block in [regex]::Split($Text.Trim(), '\n\s*\n')) {
        $blockLines = $block -split '\n' | ForEach-Object { $_.TrimEnd() }
        if ($blockLines | Where-Object { $_ -match '^\s*([-*]|\d+\.)\s' }) { $blockLines -join "`n" } else { ($blockLines | ForEach-Object { $_.Trim() }) -join ' ' }
    }
}

function Add-Paragraphs([System.Xml.XmlElement] $Parent, [string] $Text) {
    $description = $Parent.OwnerDocument.CreateElement('maml', 'description', $script:Maml)
    foreach ($paragraph in @(Get-Paragraphs $Text)) {
        $para = $Parent.OwnerDocument.CreateElement('maml', 'para', $script:Maml)
        $para.InnerText = $paragraph
        [void]$description.AppendChild($para)
    }
    [void]$Parent.AppendChild($description)
}

function New-Element([System.Xml.XmlNode] $Parent, [string] $Prefix, [string] $Name, [string] $Text) {
    $ns = switch ($Prefix) { 'maml' { $script:Maml } 'command' { $script:Command } 'dev' { $script:Dev } }
    $document = if ($Parent -is [System.Xml.XmlDocument]) { $Parent } else { $Parent.OwnerDocument }
    $element = $document.CreateElement($Prefix, $Name, $ns)
    if ($PSBoundParameters.ContainsKey('Text')) { $element.InnerText = $Text }
    [void]$Parent.AppendChild($element)
    $element
}

function Get-TypeName([type] $Type) {
    if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $nullable = [Nullable]::GetUnderlyingType($Type)
    if ($nullable) { $Type = $nullable }
    if ($Type.IsArray) { return "$(Get-TypeName $Type.GetElementType())[]" }
    $Type.Name
}

function New-ParameterElement([System.Xml.XmlDocument] $Document, [System.Management.Automation.ParameterMetadata] $Parameter, [string] $Description, [string] $Default) {
    # A parameter's entry, made once per cmdlet and cloned for every place it appears (each parameter set's syntax and
    # the parameter list): only required, pipelineInput and position differ between them (Add-Parameter).
    $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $element = $Document.CreateElement('command', 'parameter', $script:Command)
    # Every attribute in its place now, so the clones' required, pipelineInput and position keep PlatyPS's order.
    foreach ($name in 'required', 'variableLength', 'globbing', 'pipelineInput', 'position', 'aliases') { $element.SetAttribute($name, '') }
    $element.SetAttribute('variableLength', 'true')
    $element.SetAttribute('globbing', 'false')
    $element.SetAttribute('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    [void](New-Element $element 'maml' 'name' $Parameter.Name)
    Add-Paragraphs $element $Description
    $typeName = Get-TypeName $Parameter.ParameterType
    if (-not $isSwitch) {
        $value = New-Element $element 'command' 'parameterValue' $typeName
        $value.SetAttribute('required', 'true')
        $value.SetAttribute('variableLength', 'false')
    }
    $validateSet = $null
    foreach ($a in $Parameter.Attributes) { if ($a -is [System.Management.Automation.ValidateSetAttribute]) { $validateSet = $a; break } }
    $enumType = [Nullable]::GetUnderlyingType($Parameter.ParameterType) ?? $Parameter.ParameterType
    if ($enumType.IsArray) { $enumType = $enumType.GetElementType() }
    $values = if ($validateSet) { $validateSet.ValidValues } elseif ($enumType.IsEnum) { [enum]::GetNames($enumType) }
    if ($values) {
        $group = New-Element $element 'command' 'parameterValueGroup'
        foreach ($v in $values) {
            $entry = New-Element $group 'command' 'parameterValue' $v
            $entry.SetAttribute('required', 'false')
            $entry.SetAttribute('variableLength', 'false')
        }
    }
    $type = New-Element $element 'dev' 'type'
    [void](New-Element $type 'maml' 'name' $typeName)
    [void](New-Element $type 'maml' 'uri' '')
    [void](New-Element $element 'dev' 'defaultValue' $(if ($Default) { $Default } elseif ($isSwitch) { 'False' } else { 'None' }))
    $element
}

function Add-Parameter([System.Xml.XmlElement] $Parent, [System.Xml.XmlElement] $Template, $Attribute) {
    $byValue = $Attribute.ValueFromPipeline
    $byName = $Attribute.ValueFromPipelineByPropertyName
    $element = $Template.CloneNode($true)
    $element.SetAttribute('required', $Attribute.Mandatory.ToString().ToLowerInvariant())
    $element.SetAttribute('pipelineInput', $(if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }))
    $element.SetAttribute('position', $(if ($Attribute.Position -ge 0) { [string]$Attribute.Position } else { 'named' }))
    [void]$Parent.AppendChild($element)
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Builds the MAML document for the given commands from their markdown pages. Returns the
        XmlDocument and the problems found (a command without a page, a parameter without a
        description, a page describing a parameter the command does not have).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CommandInfo[]] $Command,
        [Parameter(Mandatory)] [string] $MarkdownFolder
    )

    $problems = [System.Collections.Generic.List[string]]::new()
    $document = [System.Xml.XmlDocument]::new()
    [void]$document.AppendChild($document.CreateXmlDeclaration('1.0', 'utf-8', $null))
    $root = $document.CreateElement('helpItems', 'http://msh')
    $root.SetAttribute('schema', 'maml')
    foreach ($ns in @(@('maml', $script:Maml), @('command', $script:Command), @('dev', $script:Dev))) {
        [void]$root.SetAttributeNode($document.CreateAttribute('xmlns', $ns[0], 'http://www.w3.org/2000/xmlns/'))
        $root.SetAttribute("xmlns:$($ns[0])", $ns[1])
    }
    [void]$document.AppendChild($root)

    foreach ($info in $Command | Sort-Object Name) {
        $page = Join-Path $MarkdownFolder "$($info.Name).md"
        if (-not (Test-Path $page)) { $problems.Add("$($info.Name) has no help page ($page)."); continue }
        $help = Read-MarkdownHelp -Path $page
        if ($help.Name -ne $info.Name) { $problems.Add("$page is titled '$($help.Name)', not '$($info.Name)'.") }
        if (-not $help.Synopsis) { $problems.Add("$($info.Name): the page has no SYNOPSIS.") }
        if (-not $help.Description) { $problems.Add("$($info.Name): the page has no DESCRIPTION.") }
        if ($help.Examples.Count -eq 0) { $problems.Add("$($info.Name): the page has no EXAMPLES.") }
        if (-not $help.Online) { $problems.Add("$($info.Name): the page has no 'online version:' address, which Get-Help -Online opens.") }

        $parameters = @($info.Parameters.Values | Where-Object { -not $script:CommonParameters.Contains($_.Name) } | Sort-Object Name)
        foreach ($p in $parameters) {
            # A parameter a compiled cmdlet takes from the service's catalogue is the service's to describe, unless the page does.
            $service = $p.Attributes.Where({ $_.GetType().Name -eq 'ServiceParameterAttribute' }, 'First')[0]
            if ($service -and -not $help.Parameters[$p.Name]) { $help.Parameters[$p.Name] = $service.Description }
            if (-not $help.Parameters.Contains($p.Name) -or -not $help.Parameters[$p.Name]) { $problems.Add("$($info.Name): parameter -$($p.Name) is not described.") }
        }
        $names = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
        foreach ($p in $parameters) { [void]$names.Add($p.Name) }
        foreach ($name in $help.Parameters.Keys) {
            if (-not $names.Contains($name)) { $problems.Add("$($info.Name): the page describes -$name, which the cmdlet does not have.") }
        }

        $commandElement = New-Element $root 'command' 'command'
        $details = New-Element $commandElement 'command' 'details'
        [void](New-Element $details 'command' 'name' $info.Name)
        [void](New-Element $details 'command' 'verb' $info.Verb)
        [void](New-Element $details 'command' 'noun' $info.Noun)
        Add-Paragraphs $details $help.Synopsis
        Add-Paragraphs $commandElement $help.Description

        $templates = @{}
        foreach ($p in $parameters) { $templates[$p.Name] = New-ParameterElement $document $p $help.Parameters[$p.Name] $help.Defaults[$p.Name] }

        $syntax = New-Element $commandElement 'command' 'syntax'
        foreach ($set in $info.ParameterSets | Sort-Object { -not $_.IsDefault }, Name) {
            $syntaxItem = New-Element $syntax 'command' 'syntaxItem'
            [void](New-Element $syntaxItem 'maml' 'name' $info.Name)
            $setParameters = $set.Parameters | Where-Object { -not $script:CommonParameters.Contains($_.Name) } |
                Sort-Object { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } }, { -not $_.IsMandatory }, Name
            foreach ($sp in $setParameters) {
                $attribute = [pscustomobject]@{ Mandatory = $sp.IsMandatory; Position = $sp.Position; ValueFromPipeline = $sp.ValueFromPipeline; ValueFromPipelineByPropertyName = $sp.ValueFromPipelineByPropertyName }
                Add-Parameter $syntaxItem $templates[$sp.Name] $attribute
            }
        }

        $parametersElement = New-Element $commandElement 'command' 'parameters'
        foreach ($p in $parameters) {
            # One entry per parameter: mandatory or pipeline input in any set counts.
            $attributes = $p.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })
            $positioned = $attributes.Where({ $_.Position -ge 0 }, 'First')
            $attribute = [pscustomobject]@{
                Mandatory = $attributes.Where({ $_.Mandatory }, 'First').Count -gt 0
                Position = if ($positioned.Count) { $positioned[0].Position } else { -1 }
                ValueFromPipeline = $attributes.Where({ $_.ValueFromPipeline }, 'First').Count -gt 0
                ValueFromPipelineByPropertyName = $attributes.Where({ $_.ValueFromPipelineByPropertyName }, 'First').Count -gt 0
            }
            Add-Parameter $parametersElement $templates[$p.Name] $attribute
        }

        foreach ($kind in @(@{ List = $help.Inputs; Outer = 'inputTypes'; Inner = 'inputType' }, @{ List = $help.Outputs; Outer = 'returnValues'; Inner = 'returnValue' })) {
            $outer = New-Element $commandElement 'command' $kind.Outer
            foreach ($entry in $kind.List) {
                $inner = New-Element $outer 'command' $kind.Inner
                $type = New-Element $inner 'dev' 'type'
                [void](New-Element $type 'maml' 'name' $entry.Type)
                Add-Paragraphs $inner $entry.Description
            }
        }

        if ($help.Notes) {
            $alerts = New-Element $commandElement 'maml' 'alertSet'
            $alert = New-Element $alerts 'maml' 'alert'
            foreach ($paragraph in @(Get-Paragraphs $help.Notes)) { [void](New-Element $alert 'maml' 'para' $paragraph) }
        }

        $examples = New-Element $commandElement 'command' 'examples'
        foreach ($example in $help.Examples) {
            $exampleElement = New-Element $examples 'command' 'example'
            [void](New-Element $exampleElement 'maml' 'title' "-------------------------- $($example.Title) --------------------------")
            [void](New-Element $exampleElement 'dev' 'code' $example.Code)
            $remarks = New-Element $exampleElement 'dev' 'remarks'
            foreach ($paragraph in @(Get-Paragraphs $example.Remarks)) { [void](New-Element $remarks 'maml' 'para' $paragraph) }
        }

        $links = New-Element $commandElement 'command' 'relatedLinks'
        # As PlatyPS writes it: the first link is the online version, the address Get-Help -Online opens.
        $allLinks = @(if ($help.Online) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $help.Online } }) + @($help.Links)
        foreach ($link in $allLinks) {
            $navigation = New-Element $links 'maml' 'navigationLink'
            [void](New-Element $navigation 'maml' 'linkText' $link.Text)
            [void](New-Element $navigation 'maml' 'uri' $link.Uri)
        }
    }

    [pscustomobject]@{ Document = $document; Problems = $problems.ToArray() }
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        Turns an about_*.md topic into the plain text PowerShell shows: headings become upper-case
        lines, code fences and emphasis marks are dropped, text is kept as written.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $out = [System.Text.StringBuilder]::new()
    $inFence = $false
    foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
        if ($line -match '^\s*```') { $inFence = -not $inFence; continue }
        if ($inFence) { [void]$out.AppendLine("    $line"); continue }
        if ($line -match '^#{1,2} (?<h>.+)$') { [void]$out.AppendLine($Matches.h.Trim().ToUpperInvariant()); continue }
        if ($line -match '^#{3,} (?<h>.+)$') { [void]$out.AppendLine("  $($Matches.h.Trim())"); continue }
        $text = $line -replace '\*\*(.+?)\*\*', '$1' -replace '`([^`]+)`', '$1' -replace '\[([^\]]+)\]\(([^)]+)\)', '$1 ($2)'
        [void]$out.AppendLine($(if ($text) { "    $text" } else { '' }))
    }
    $out.ToString()
}

function Export-ModuleHelp {
    <#
    .SYNOPSIS
        Writes <OutputFolder>/<assembly>-Help.xml for the given commands and about_*.help.txt for
        every about_*.md in MarkdownFolder. Returns the problems found (empty when every command
        has a complete page).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [System.Management.Automation.CommandInfo[]] $Command,
        [Parameter(Mandatory)] [string] $MarkdownFolder,
        [Parameter(Mandatory)] [string] $OutputFolder,
        [Parameter(Mandatory)] [string] $HelpFileName
    )
    New-Item -ItemType Directory -Force -Path $OutputFolder | Out-Null
    $result = ConvertTo-MamlHelp -Command $Command -MarkdownFolder $MarkdownFolder
    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
    $writer = [System.Xml.XmlWriter]::Create((Join-Path $OutputFolder $HelpFileName), $settings)
    try { $result.Document.Save($writer) } finally { $writer.Dispose() }
    foreach ($about in Get-ChildItem -Path $MarkdownFolder -Filter 'about_*.md') {
        $text = ConvertTo-AboutHelpText -Path $about.FullName
        [System.IO.File]::WriteAllText((Join-Path $OutputFolder "$($about.BaseName).help.txt"), $text, [System.Text.UTF8Encoding]::new($false))
    }
    $result.Problems
}

Export-ModuleMember -Function Read-MarkdownHelp, ConvertTo-MamlHelp, ConvertTo-AboutHelpText, Export-ModuleHelp
