# The manifest is clean and exact, and the package installs with PSResourceGet from a local folder
# repository into a throw-away profile, imports, helps and works against the sandbox.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot '../../build/Package.psm1') -Force
    $script:moduleDir = Split-Path $env:EXOADMIN_MODULE_PATH
    $script:manifest = Test-ModuleManifest $env:EXOADMIN_MODULE_PATH
    $script:data = Import-PowerShellDataFile $env:EXOADMIN_MODULE_PATH
}

Describe 'The manifest' {
    It 'passes Test-ModuleManifest and names the version the assembly carries' {
        $manifest.Name | Should -Be 'ExoAdmin'
        $assembly = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $moduleDir 'ExoAdmin.dll'))
        $manifest.Version | Should -Be $assembly.Version.ToString(3)
    }

    It 'exports exactly the cmdlets the assembly defines, and nothing by wildcard' {
        # Invoke-ExoServiceCommand is the service commands' runner, which their functions reach through a CmdletInfo of
        # their own module: it is not a command for people, so it is the one cmdlet not exported.
        $defined = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command {
            param($Path)
            $module = Import-Module $Path -PassThru
            $module.ImplementingAssembly.GetTypes() |
                ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { "$($_.VerbName)-$($_.NounName)" }
        } -args $env:EXOADMIN_MODULE_PATH
        $defined | Should -Contain 'Invoke-ExoServiceCommand'
        @($data.CmdletsToExport | Sort-Object) | Should -Be @($defined | Where-Object { $_ -ne 'Invoke-ExoServiceCommand' } | Sort-Object)
        $module = Import-Module $env:EXOADMIN_MODULE_PATH -Force -PassThru
        try { $module.ExportedCmdlets.Keys | Should -Not -Contain 'Invoke-ExoServiceCommand' }
        finally { $module | Remove-Module }
        @($data.FunctionsToExport) | Should -HaveCount 0
        @($data.AliasesToExport) | Should -HaveCount 0
        @($data.VariablesToExport) | Should -HaveCount 0
    }

    It 'declares both editions, tags, project and licence URIs and release notes' {
        $manifest.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $manifest.Tags | Should -Contain 'PSEdition_Core'
        $manifest.Tags | Should -Contain 'PSEdition_Desktop'
        $manifest.Tags | Should -Contain 'ExchangeOnline'
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Match ([regex]::Escape($manifest.Version.ToString(3)))
        Join-Path $moduleDir 'LICENSE' | Should -Exist
        Get-Content (Join-Path $moduleDir 'LICENSE') -First 1 | Should -Be 'MIT License'
    }
}

Describe 'The package' {
    BeforeAll {
        $script:repository = Join-Path $TestDrive 'repository'
        $script:package = New-ExoAdminPackage -ModuleDirectory $moduleDir -DestinationPath $repository
        $script:sandboxPackage = New-ExoAdminPackage -ModuleDirectory (Join-Path (Split-Path $moduleDir) 'ExoAdmin.Sandbox') -DestinationPath $repository

        function Get-PackageEntry($Package) {
            Add-Type -AssemblyName System.IO.Compression.FileSystem
            $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
            try { @($zip.Entries.FullName) } finally { $zip.Dispose() }
        }
        $script:sandbox = Start-TestSandbox -Mailboxes 12
    }

    AfterAll { $sandbox | Stop-ExoSandbox }

    It 'is named ExoAdmin.VERSION.nupkg and holds the module, its help and licence, and nothing of the sandbox' {
        $package.Name | Should -Be "ExoAdmin.$($manifest.Version.ToString(3)).nupkg"
        $entries = Get-PackageEntry $package
        foreach ($file in 'ExoAdmin.psd1', 'ExoAdmin.dll', 'ExoAdmin.Loader.dll', 'engine/ExoAdmin.Engine.dll', 'en-US/ExoAdmin.dll-Help.xml',
            'en-US/about_ExoAdmin.help.txt', 'LICENSE') {
            $entries | Should -Contain $file
        }
        $entries | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
        # What an Automation account imports is only what runs there.
        $entries | Where-Object { $_ -match 'Sandbox|AspNetCore|IdentityModel\.(Tokens|JsonWebTokens)' } | Should -BeNullOrEmpty
    }

    It 'has a sandbox package of its own, ExoAdmin.Sandbox.VERSION.nupkg, with the start script beside the sandbox' {
        $sandboxPackage.Name | Should -Be "ExoAdmin.Sandbox.$($manifest.Version.ToString(3)).nupkg"
        $entries = Get-PackageEntry $sandboxPackage
        foreach ($file in 'ExoAdmin.Sandbox.psd1', 'ExoAdmin.Sandbox.psm1', 'Start-ExoAdminSandbox.ps1', 'SandboxHost.psm1', 'ExoAdmin.Sandbox.dll',
            'ExoAdmin.Sandbox.runtimeconfig.json', 'LICENSE') {
            $entries | Should -Contain $file
        }
        $entries | Where-Object { $_ -like '*.pdb' -or $_ -eq 'web.config' -or $_ -eq 'ExoAdmin.Sandbox' } | Should -BeNullOrEmpty
    }

    It 'holds only portable assemblies in both packages, whatever machine made them (the staged sandbox is precompiled for it)' {
        # ReadyToRun code is for one platform, and the sandbox in out/sandbox has it: a package must not (a Windows admin
        # installs what a Linux build packed).
        $precompiled = foreach ($file in $package, $sandboxPackage) {
            $zip = [System.IO.Compression.ZipFile]::OpenRead($file.FullName)
            try {
                foreach ($entry in $zip.Entries | Where-Object FullName -Like '*.dll') {
                    $bytes = [IO.MemoryStream]::new()
                    $stream = $entry.Open()
                    try { $stream.CopyTo($bytes) } finally { $stream.Dispose() }
                    $bytes.Position = 0
                    $reader = [System.Reflection.PortableExecutable.PEReader]::new($bytes)
                    try { if ($reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0) { "$($file.Name): $($entry.FullName)" } }
                    finally { $reader.Dispose() }
                }
            }
            finally { $zip.Dispose() }
        }
        $precompiled | Should -BeNullOrEmpty
        $staged = [System.Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead($env:EXOADMIN_SANDBOX_PATH))
        try { $staged.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0 } finally { $staged.Dispose() }
    }

    It 'installs with Install-PSResource from a local repository into a temporary profile, imports and reads mailboxes' {
        # HOME and the XDG folders point into the test drive: the install, the repository registration and
        # the module path all land there, not in the user's profile.
        $profileRoot = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Path $profileRoot | Out-Null
        $script = Join-Path $TestDrive 'install.ps1'
        Set-Content -Path $script -Value {
            param($Repository, $SandboxJson)
            $ErrorActionPreference = 'Stop'
            Register-PSResourceRepository -Name ExoAdminTestRepository -Uri $Repository -Trusted
            Install-PSResource -Name ExoAdmin, ExoAdmin.Sandbox -Repository ExoAdminTestRepository -Scope CurrentUser -TrustRepository -Quiet
            Import-Module ExoAdmin
            $module = Get-Module ExoAdmin
            $s = $SandboxJson | ConvertFrom-Json
            $t = $s.tenants[0]
            $password = ConvertTo-SecureString $t.certificatePassword -AsPlainText -Force
            Connect-ExchangeOnline -AppId $t.appId -Organization $t.organization -CertificateFilePath $t.certificatePath -CertificatePassword $password `
                -ConnectionUri $s.connectionUri -AzureADAuthorizationEndpointUri $s.azureADAuthorizationEndpointUri -ShowBanner:$false
            [pscustomobject]@{
                ModuleBase = $module.ModuleBase
                Version    = $module.Version.ToString()
                Installed  = (Get-InstalledPSResource ExoAdmin).Version.ToString()
                Mailboxes  = @(Get-EXOMailbox -ResultSize 5).Count
                Synopsis   = (Get-Help Get-EXOMailbox).Synopsis
                SandboxInModule = @(Get-ChildItem $module.ModuleBase -Recurse -Filter '*Sandbox*').Count
                SandboxCommand  = (Get-Command Start-ExoAdminSandbox).Source
                SandboxSynopsis = (Get-Help Start-ExoAdminSandbox).Synopsis
            } | ConvertTo-Json -Compress
        }.ToString()

        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME }
        try {
            $env:HOME = $profileRoot
            $env:XDG_DATA_HOME = Join-Path $profileRoot '.local/share'
            $env:XDG_CONFIG_HOME = Join-Path $profileRoot '.config'
            $env:XDG_CACHE_HOME = Join-Path $profileRoot '.cache'
            # .NET reports a special folder that does not exist yet as empty, and PSResourceGet would then
            # write its repository store relative to the current directory.
            New-Item -ItemType Directory -Force -Path $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME, $env:XDG_CACHE_HOME | Out-Null
            $json = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $script $repository ($sandbox.Info | ConvertTo-Json -Depth 5 -Compress)
        }
        finally {
            foreach ($name in $saved.Keys) { Set-Item "Env:$name" -Value $saved[$name] -ErrorAction SilentlyContinue; if (-not $saved[$name]) { Remove-Item "Env:$name" -ErrorAction SilentlyContinue } }
        }
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $result = ($json -join '') | ConvertFrom-Json

        $result.ModuleBase | Should -BeLike "$profileRoot*"
        $result.Version | Should -Be $manifest.Version.ToString(3)
        $result.Installed | Should -Be $manifest.Version.ToString(3)
        $result.Mailboxes | Should -Be 5
        $result.Synopsis | Should -Match 'Reads mailboxes'
        $result.SandboxInModule | Should -Be 0
        $result.SandboxCommand | Should -Be 'ExoAdmin.Sandbox'
        $result.SandboxSynopsis | Should -Match 'Starts a local sandbox tenant'
    }

    It 'the sandbox''s manifest carries the module''s version and its own' {
        $sandboxManifest = Test-ModuleManifest (Join-Path (Split-Path $moduleDir) 'ExoAdmin.Sandbox/ExoAdmin.Sandbox.psd1')
        $sandboxManifest.Version | Should -Be $manifest.Version
        $sandboxManifest.ExportedFunctions.Keys | Should -Be @('Start-ExoAdminSandbox')
        $sandboxManifest.CompatiblePSEditions | Should -Be @('Core')
    }
}
