# Start-ExoAdminSandbox is the start script itself, made a command: same parameters, same help, and $PSScriptRoot still
# the module folder, where the sandbox's binaries sit beside it.
$script = Get-Command (Join-Path $PSScriptRoot 'Start-ExoAdminSandbox.ps1') -CommandType ExternalScript
Set-Item -Path Function:\Start-ExoAdminSandbox -Value $script.ScriptBlock
Export-ModuleMember -Function Start-ExoAdminSandbox
