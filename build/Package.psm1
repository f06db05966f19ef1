# Packs a staged module folder into <Name>.<Version>.nupkg with PSResourceGet (it ships with
# PowerShell 7.4+), after checking the manifest. Used by './build.ps1 package' and the packaging test.

function New-ExoAdminPackage {
    [CmdletBinding()]
    [OutputType([System.IO.FileInfo])]
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $DestinationPath
    )
    $ErrorActionPreference = 'Stop'
    $manifest = Test-ModuleManifest (Join-Path $ModuleDirectory 'ExoAdmin.psd1')
    New-Item -ItemType Directory -Force -Path $DestinationPath | Out-Null
    Compress-PSResource -Path $ModuleDirectory -DestinationPath $DestinationPath
    $package = Join-Path $DestinationPath "ExoAdmin.$($manifest.Version.ToString(3)).nupkg"
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Get-Item $package
}

Export-ModuleMember -Function New-ExoAdminPackage
