# ExoAdmin's compiled cmdlets that share a name with Microsoft's compiled ones take what scripts written for Microsoft's
# module pass: every parameter, with Microsoft's type, parameter sets, positions (in order), mandatory flags and pipeline
# input. The reference is MicrosoftSyntax/microsoft-syntax.json, generated from the cmdlet catalogue by
# MicrosoftSyntax/Export-MicrosoftSyntax.ps1. ExoAdmin may add parameters (-ConnectionId, -MaxConcurrency…), but never a
# mandatory or positional one that would change how Microsoft's command lines bind.
BeforeDiscovery {
    $script:reference = (Get-Content -Raw (Join-Path $PSScriptRoot 'MicrosoftSyntax/microsoft-syntax.json') | ConvertFrom-Json).cmdlets
    $script:names = @($reference.PSObject.Properties.Name)
}

BeforeAll {
    Import-Module $env:EXOADMIN_MODULE_PATH -Force
    $script:reference = (Get-Content -Raw (Join-Path $PSScriptRoot 'MicrosoftSyntax/microsoft-syntax.json') | ConvertFrom-Json).cmdlets
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

    function Get-TypeName([type] $Type) {
        # Microsoft's reference names types without namespace; a nullable value type is its value type.
        if ($Type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
        $Type = [Nullable]::GetUnderlyingType($Type) ?? $Type
        if ($Type.IsArray) { return "$(Get-TypeName $Type.GetElementType())[]" }
        $Type.Name
    }

    function Test-SameType([string] $Microsoft, [type] $Ours) {
        $name = Get-TypeName $Ours
        # Exchange's MultiValuedProperty is a list; an array is what binds it in PowerShell.
        if ($Microsoft -eq 'MultiValuedProperty') { return $Ours.IsArray }
        $name -eq $Microsoft
    }

    # Microsoft's single-set cmdlets name their one set Default; a compiled cmdlet without sets has only __AllParameterSets.
    function Get-OurSetName($Command, [string] $MicrosoftSet) {
        if (@($reference.($Command.Name).sets).Count -eq 1 -and $Command.ParameterSets.Count -eq 1) { return $Command.ParameterSets[0].Name }
        $MicrosoftSet
    }

    function Get-SetParameter($Command, [string] $SetName, [string] $Parameter) {
        ($Command.ParameterSets | Where-Object Name -EQ $SetName).Parameters | Where-Object Name -EQ $Parameter
    }
}

Describe '<_> takes Microsoft''s syntax' -ForEach $names {
    BeforeAll {
        $script:ms = $reference.$_
        $script:command = Get-Command $_ -Module ExoAdmin -ErrorAction Stop
    }

    It 'has every parameter of Microsoft''s, under its exact name' {
        $missing = $ms.parameters | Where-Object { -not $command.Parameters.ContainsKey($_.name) } | ForEach-Object name
        $missing | Should -BeNullOrEmpty -Because 'a script passing them would fail with "A parameter cannot be found"'
        $misspelt = $ms.parameters | Where-Object { $command.Parameters.ContainsKey($_.name) -and $command.Parameters[$_.name].Name -cne $_.name } |
            ForEach-Object { "$($_.name) is spelt $($command.Parameters[$_.name].Name)" }
        $misspelt | Should -BeNullOrEmpty -Because 'Get-Command -Syntax and help show the names as Microsoft writes them'
    }

    It 'types each parameter as Microsoft does' {
        $wrong = $ms.parameters | Where-Object { $command.Parameters.ContainsKey($_.name) -and -not (Test-SameType $_.type $command.Parameters[$_.name].ParameterType) } |
            ForEach-Object { "-$($_.name): Microsoft's is $($_.type), ExoAdmin's $(Get-TypeName $command.Parameters[$_.name].ParameterType)" }
        $wrong | Should -BeNullOrEmpty
    }

    It 'has Microsoft''s parameter sets, the same one by default' {
        $defaultSet = ($command.ParameterSets | Where-Object IsDefault).Name ?? $command.ParameterSets[0].Name
        $defaultSet | Should -Be (Get-OurSetName $command $ms.defaultSet)
        foreach ($set in $ms.sets) { $command.ParameterSets.Name | Should -Contain (Get-OurSetName $command $set) }
    }

    It 'puts each parameter in Microsoft''s sets, mandatory and taking pipeline input where Microsoft''s does' {
        $wrong = foreach ($parameter in $ms.parameters) {
            foreach ($set in $parameter.sets) {
                $ours = Get-SetParameter $command (Get-OurSetName $command $set) $parameter.name
                if (-not $ours) { "-$($parameter.name) is not in the set $set"; continue }
                if ($ours.IsMandatory -ne $parameter.required) { "-$($parameter.name) in $set is mandatory: $($ours.IsMandatory), Microsoft's: $($parameter.required)" }
                if ($ours.ValueFromPipeline -ne $parameter.valueFromPipeline) { "-$($parameter.name) in $set binds from the pipeline by value: $($ours.ValueFromPipeline)" }
                if ($ours.ValueFromPipelineByPropertyName -ne $parameter.valueFromPipelineByPropertyName) {
                    "-$($parameter.name) in $set binds by property name: $($ours.ValueFromPipelineByPropertyName)"
                }
            }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'binds positional values to Microsoft''s parameters, in Microsoft''s order, and to nothing else' {
        foreach ($set in $ms.sets) {
            $expected = @($ms.parameters | Where-Object { $null -ne $_.position -and $_.sets -contains $set } | Sort-Object position | ForEach-Object name)
            $actual = @(($command.ParameterSets | Where-Object Name -EQ (Get-OurSetName $command $set)).Parameters |
                    Where-Object Position -GE 0 | Sort-Object Position | ForEach-Object Name)
            $actual | Should -Be $expected -Because "positional arguments in the set $set must reach the same parameters as in Microsoft's module"
        }
    }

    It 'adds only optional parameters of its own' {
        $names = @($ms.parameters.name)
        $extra = $command.Parameters.Values | Where-Object { $_.Name -notin $names -and $_.Name -notin $common }
        $mandatory = $extra | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.Mandatory } } | ForEach-Object Name
        $mandatory | Should -BeNullOrEmpty
    }
}

Describe 'The comparison itself' {
    It 'fails on a missing parameter, a wrong type and a changed position' {
        # A cmdlet written here, one difference each, must fail each check the real ones pass.
        function global:Get-SyntaxSample {
            [CmdletBinding()] param([Parameter(Position = 1)] [string] $Second, [Parameter(Position = 0)] [int] $First)
        }
        try {
            $sample = Get-Command Get-SyntaxSample
            $sample.Parameters.ContainsKey('Third') | Should -BeFalse
            Test-SameType 'String' $sample.Parameters['First'].ParameterType | Should -BeFalse
            @($sample.ParameterSets[0].Parameters | Where-Object Position -GE 0 | Sort-Object Position | ForEach-Object Name) | Should -Be @('First', 'Second')
            Test-SameType 'MultiValuedProperty' ([string[]]) | Should -BeTrue
            Test-SameType 'Guid' ([Nullable[guid]]) | Should -BeTrue
        }
        finally { Remove-Item Function:\Get-SyntaxSample }
    }
}
