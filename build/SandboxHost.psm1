# Starts and stops the sandbox service for tests, the demo and benchmarks. The sandbox prints one
# JSON line when it is ready and serves until its standard input closes.

function Start-ExoSandbox {
    [CmdletBinding()]
    param(
        # Path to ExoAdmin.Sandbox.dll; defaults to the build output.
        [string] $SandboxPath = $env:EXOADMIN_SANDBOX_PATH,
        [string[]] $Tenant = @('contoso.onmicrosoft.com'),
        [int] $Mailboxes = 100,
        [int] $Port = 0,
        [int] $LatencyMs = 0,
        [int] $Seed = 1,
        # Reuse (or create) the CA in this folder, so one SSL_CERT_FILE trusts every sandbox of a run.
        [string] $CaDirectory = $env:EXOADMIN_SANDBOX_CA_DIR,
        [string[]] $ExtraArguments = @(),
        # Fault rules to start with, each 'kind=429;path=/adminapi/*;rate=0.1' (--fault).
        [string[]] $Fault = @(),
        # Every tenant's request budget as 'REQUESTS/SECONDS' (--rate-limit).
        [string] $RateLimit,
        [int] $TimeoutSeconds = 60
    )

    if (-not $SandboxPath) { $SandboxPath = Join-Path $PSScriptRoot '../out/sandbox/ExoAdmin.Sandbox.dll' }
    if (-not (Test-Path $SandboxPath)) { throw "The sandbox is not built at '$SandboxPath'. Run ./build.ps1 build first." }

    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.Add((Resolve-Path $SandboxPath).Path)
    foreach ($t in $Tenant) { $arguments.Add('--tenant'); $arguments.Add($t) }
    $arguments.AddRange([string[]]@('--mailboxes', $Mailboxes, '--port', $Port, '--latency-ms', $LatencyMs, '--seed', $Seed))
    if ($CaDirectory) { $arguments.AddRange([string[]]@('--ca-dir', $CaDirectory)) }
    foreach ($f in $Fault) { $arguments.Add('--fault'); $arguments.Add($f) }
    if ($RateLimit) { $arguments.AddRange([string[]]@('--rate-limit', $RateLimit)) }
    foreach ($a in $ExtraArguments) { $arguments.Add($a) }

    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $false
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)

    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait([TimeSpan]::FromSeconds($TimeoutSeconds)) -or -not $readLine.Result) {
        if (-not $process.HasExited) { $process.Kill($true) }
        throw "The sandbox did not report ready within $TimeoutSeconds s (exit code: $(if ($process.HasExited) { $process.ExitCode } else { 'still running' }))."
    }

    $info = $readLine.Result | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName = 'ExoAdmin.SandboxInstance'
        Process    = $process
        Info       = $info
        ConnectionUri = $info.connectionUri
        AuthorityUri  = $info.azureADAuthorizationEndpointUri
        CaCertificatePath = $info.caCertificatePath
        Tenants    = @($info.tenants)
    }
}

function Stop-ExoSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Sandbox)
    process {
        $process = $Sandbox.Process
        if ($process.HasExited) { return }
        $process.StandardInput.Close()   # the sandbox's signal to stop
        if (-not $process.WaitForExit(15000)) { $process.Kill($true) }
    }
}

function New-ExoSandboxCertificateAuthority {
    # Creates the CA of a test run (or reuses it) by starting a sandbox once in that folder.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $CaDirectory, [string] $SandboxPath = $env:EXOADMIN_SANDBOX_PATH)
    New-Item -ItemType Directory -Force -Path $CaDirectory | Out-Null
    $sandbox = Start-ExoSandbox -SandboxPath $SandboxPath -CaDirectory $CaDirectory -Mailboxes 1
    try { $sandbox.CaCertificatePath } finally { $sandbox | Stop-ExoSandbox }
}

Export-ModuleMember -Function Start-ExoSandbox, Stop-ExoSandbox, New-ExoSandboxCertificateAuthority
