# Stages what 'dotnet build' compiled into the layouts the tests, the demo and the packages use:
# out/sandbox (the published sandbox), out/ExoAdmin (the module and its en-US help) and out/ExoAdmin.Sandbox (the
# sandbox's own module: the start script as Start-ExoAdminSandbox, with the sandbox beside it).
# Each step runs only when its inputs changed since it last succeeded (build/Incremental.psm1): a test run after
# an unchanged build copies nothing, and help is rebuilt only when the docs or the cmdlet assembly change.

Import-Module (Join-Path $PSScriptRoot 'Incremental.psm1')

# The projects the staged module and sandbox are made from (what the demo, package and E2E tier build): no test project.
$productProjects = 'src/ExoAdmin.Loader', 'src/ExoAdmin.Commands', 'src/ExoAdmin.Engine.Transport', 'src/ExoAdmin.Sandbox'

function Get-ProductProject { $productProjects }

function Invoke-Native {
    # Runs a native command and throws when it fails. No param block, so arguments such as -c pass through.
    $command, $arguments = $args
    & $command @arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "'$command $($arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Publish-ExoAdminLayout {
    # Brings out/sandbox, out/ExoAdmin and its help, and out/ExoAdmin.Sandbox up to date with the compiled projects.
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $Configuration)
    $out = Join-Path $Root 'out'
    $stamps = Join-Path $out '.stamps'
    $moduleDir = Join-Path $out 'ExoAdmin'
    $sandboxDir = Join-Path $out 'sandbox'
    $commandsDll = Join-Path $Root "src/ExoAdmin.Commands/bin/$Configuration/netstandard2.0/ExoAdmin.dll"
    $loaderDll = Join-Path $Root "src/ExoAdmin.Loader/bin/$Configuration/net8.0/ExoAdmin.Loader.dll"
    $engineBin = Join-Path $Root "src/ExoAdmin.Engine/bin/$Configuration/netstandard2.0"
    # PowerShell 7's transport (custom root trust for EXOADMIN_SANDBOX_CA_FILE); the engine finds it by name.
    $transportDll = Join-Path $Root "src/ExoAdmin.Engine.Transport/bin/$Configuration/net8.0/ExoAdmin.Engine.Transport.dll"
    $sandboxBin = Join-Path $Root "src/ExoAdmin.Sandbox/bin/$Configuration/net10.0"
    $sandboxScripts = (Join-Path $Root 'build/SandboxHost.psm1'), (Join-Path $Root 'build/Start-ExoAdminSandbox.ps1')

    # The sandbox that runs here (tests, demo, bench, the sandbox task) is the portable build's IL with native code for
    # the SDK's platform beside it (ReadyToRun): a test run starts about thirty sandboxes, and each would otherwise
    # compile the same code at start (docs/architecture.md, "Build and tests").
    $null = Invoke-IfChanged -Name 'sandbox' -StampDirectory $stamps -Inputs $sandboxBin -Outputs (Join-Path $sandboxDir 'ExoAdmin.Sandbox.dll') -Action {
        Remove-Item -Recurse -Force $sandboxDir -ErrorAction SilentlyContinue
        Invoke-Native dotnet publish (Join-Path $Root 'src/ExoAdmin.Sandbox') -c $Configuration --no-build --nologo -v quiet -o $sandboxDir '-p:PrecompileForThisPlatform=true'
    }

    # The format files: ExoAdmin's own objects and the classic cmdlets' (ExoAdmin.Classic.Format.ps1xml).
    $formatFiles = @(Get-ChildItem -Path (Join-Path $Root 'ExoAdmin*.Format.ps1xml') | Select-Object -ExpandProperty FullName)
    $moduleInputs = @((Join-Path $Root 'ExoAdmin.psd1'), (Join-Path $Root 'LICENSE'), $commandsDll, $loaderDll, $engineBin, $transportDll) + $formatFiles
    $null = Invoke-IfChanged -Name 'module' -StampDirectory $stamps -Inputs $moduleInputs -Outputs (Join-Path $moduleDir 'ExoAdmin.psd1') -Action {
        # Everything but the help, which has its own inputs (below): a changed engine does not rebuild it.
        Get-ChildItem -LiteralPath $moduleDir -Exclude 'en-US' -ErrorAction SilentlyContinue | Remove-Item -Recurse -Force
        $engineDir = New-Item -ItemType Directory -Force -Path (Join-Path $moduleDir 'engine')
        # The cmdlet assembly and the loader sit at the module root; the engine and everything it
        # depends on go to engine/, where only the module's own resolver looks.
        Copy-Item (@((Join-Path $Root 'ExoAdmin.psd1'), (Join-Path $Root 'LICENSE'), $commandsDll, $loaderDll) + $formatFiles) $moduleDir
        Copy-Item (Join-Path $engineBin '*.dll'), $transportDll $engineDir
    }

    # The sandbox is a package of its own, so the module an Automation account imports is only what runs there: its
    # manifest, the start script and only what 'dotnet ExoAdmin.Sandbox.dll' needs (no native app host, symbols or IIS file).
    # Its assemblies are the portable build's (IL only, the same deps.json a portable publish writes), not out/sandbox's
    # precompiled ones: the package runs wherever .NET does, whatever machine made it.
    $sandboxModuleDir = Join-Path $out 'ExoAdmin.Sandbox'
    $sandboxModuleFiles = @((Join-Path $Root 'src/ExoAdmin.Sandbox/ExoAdmin.Sandbox.psd1'), (Join-Path $Root 'src/ExoAdmin.Sandbox/ExoAdmin.Sandbox.psm1'), (Join-Path $Root 'LICENSE')) + $sandboxScripts
    $null = Invoke-IfChanged -Name 'sandbox-module' -StampDirectory $stamps -Inputs (@($sandboxBin) + $sandboxModuleFiles) -Outputs (Join-Path $sandboxModuleDir 'ExoAdmin.Sandbox.psd1') -Action {
        Remove-Item -Recurse -Force $sandboxModuleDir -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Force -Path $sandboxModuleDir | Out-Null
        Copy-Item (Join-Path $sandboxBin '*') $sandboxModuleDir -Include '*.dll', '*.json'
        Copy-Item $sandboxModuleFiles $sandboxModuleDir
    }

    $helpInputs = (Join-Path $Root 'docs/en-US'), (Join-Path $Root 'build/MarkdownHelp.psm1'), (Join-Path $Root 'ExoAdmin.psd1'), $commandsDll
    $null = Invoke-IfChanged -Name 'help' -StampDirectory $stamps -Inputs $helpInputs -Outputs (Join-Path $moduleDir 'en-US/ExoAdmin.dll-Help.xml') -Action {
        Build-ModuleHelp -Root $Root -ModuleDirectory $moduleDir
    }
}

function Build-ModuleHelp {
    # docs/en-US/*.md -> out/ExoAdmin/en-US/ExoAdmin.dll-Help.xml (+ about_*.help.txt). A child pwsh
    # imports the staged module to read each cmdlet's parameters, so no DLL stays loaded here.
    # Missing pages or parameter descriptions are warnings here; Help.Tests.ps1 fails on them.
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $ModuleDirectory)
    $script = {
        param($Root, $ModuleDir)
        $ErrorActionPreference = 'Stop'
        Import-Module (Join-Path $Root 'build/MarkdownHelp.psm1')
        $module = Import-Module (Join-Path $ModuleDir 'ExoAdmin.psd1') -PassThru
        $commands = @($module.ExportedCmdlets.Values)
        Export-ModuleHelp -Command $commands -MarkdownFolder (Join-Path $Root 'docs/en-US') -OutputFolder (Join-Path $ModuleDir 'en-US') -HelpFileName 'ExoAdmin.dll-Help.xml'
    }
    $problems = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script -args $Root, $ModuleDirectory
    if ($LASTEXITCODE -ne 0) { throw "Building the help failed with exit code $LASTEXITCODE." }
    foreach ($problem in $problems) { Write-Warning "Help: $problem" }
}

Export-ModuleMember -Function Invoke-Native, Get-ProductProject, Publish-ExoAdminLayout
