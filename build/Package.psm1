# Packs a staged module folder (ExoAdmin, or the sandbox's ExoAdmin.Sandbox) into <Name>.<Version>.nupkg with
# PSResourceGet (it ships with PowerShell 7.4+), after checking its manifest, <folder name>.psd1. Used by
# './build.ps1 package' and the packaging test.

function New-ExoAdminPackage {
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $DestinationPath
    )
    $ErrorActionPreference = 'Stop'
    $name = Split-Path $ModuleDirectory -Leaf
    $manifest = Test-ModuleManifest (Join-Path $ModuleDirectory "$name.psd1")
    New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
    Compress-PSResource -Path $ModuleDirectory -DestinationPath $DestinationPath
    $package = Join-Path $DestinationPath "$name.$($manifest.Version.ToString(3)).nupkg"
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Get-Item $package
}

Export-ModuleMember -Function New-ExoAdminPackage
