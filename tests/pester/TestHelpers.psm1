# Shared set-up for the end-to-end tests. Works the same under the runner (./build.ps1 test, which starts one shared
# sandbox per worker) and from a clone with plain Invoke-Pester after one './build.ps1 build': what the runner does
# not say through EXOADMIN_* variables is found in the clone's out/ folder.
#
# Start-TestSandbox gives each test file a sandbox. Under the runner, a file's first call gets the worker's shared
# sandbox (contoso, fabrikam and northwind, with contoso a partner of fabrikam), reset through its control endpoint to
# exactly what the file asked for, behaviour options included (latency, token lifetime, claims challenges, next links'
# lifetime, roles); a call it cannot serve (command-line faults or budget, a throttled token endpoint, options only a
# start takes, other tenants, or a second sandbox while the file still holds the shared one) starts a sandbox of its
# own, signed by the run's CA.

$sandboxHost = Import-Module (Join-Path $PSScriptRoot '../../build/SandboxHost.psm1') -Force -PassThru

$repositoryRoot = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$defaults = [ordered]@{
    EXOADMIN_MODULE_PATH     = Join-Path $repositoryRoot 'out/ExoAdmin/ExoAdmin.psd1'
    EXOADMIN_SANDBOX_PATH    = Join-Path $repositoryRoot 'out/sandbox/ExoAdmin.Sandbox.dll'
    EXOADMIN_SANDBOX_CA_DIR  = Join-Path $repositoryRoot 'out/test-results/ca'
    # An older MSAL that the isolation test pre-loads; build/TestDependencies.proj restores it into the NuGet cache.
    EXOADMIN_CONFLICTING_MSAL = Join-Path ($env:NUGET_PACKAGES ?? (Join-Path $HOME '.nuget/packages')) 'microsoft.identity.client/4.61.3/lib/netstandard2.0/Microsoft.Identity.Client.dll'
}
foreach ($name in $defaults.Keys) {
    if (-not [Environment]::GetEnvironmentVariable($name)) { [Environment]::SetEnvironmentVariable($name, $defaults[$name]) }
}
# The isolation test's older MSAL comes from NuGet (build/TestDependencies.proj, which the test task restores): a clone
# that has only been built restores it here, once, into the package cache.
if (-not (Test-Path -LiteralPath $env:EXOADMIN_CONFLICTING_MSAL)) {
    $null = & dotnet restore (Join-Path $repositoryRoot 'build/TestDependencies.proj') --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { throw "Restoring the test dependencies (build/TestDependencies.proj) failed with exit code $LASTEXITCODE." }
}
foreach ($built in $env:EXOADMIN_MODULE_PATH, $env:EXOADMIN_SANDBOX_PATH) {
    if (-not (Test-Path -LiteralPath $built)) { throw "'$built' is not built: run 'dotnet tool restore && dotnet pwsh ./build.ps1 build' in $repositoryRoot first." }
}
# ExoAdmin trusts this CA for loopback hosts only, read at connect time: a pwsh started without SSL_CERT_FILE
# (Invoke-Pester from a clone) reaches the sandboxes too. The CA itself is made by the first sandbox started with it.
if (-not $env:EXOADMIN_SANDBOX_CA_FILE) { $env:EXOADMIN_SANDBOX_CA_FILE = Join-Path $env:EXOADMIN_SANDBOX_CA_DIR 'ca.pem' }

# The shared sandbox of a runner's worker: what it serves, and the arguments it was started with.
$sharedTenants = 'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'northwind.onmicrosoft.com'
$sharedArguments = '--partner', 'contoso.onmicrosoft.com:fabrikam.onmicrosoft.com'
$leaseKey = 'ExoAdmin.Tests.SharedSandboxLease'

function Start-SharedTestSandbox {
    # For the runner's workers: starts the shared sandbox and makes Start-TestSandbox in this process use it.
    param([Parameter(Mandatory)] [string] $InfoPath)
    # Started once per worker, maybe while the machine is busiest: it may take longer than a file's own.
    $sandbox = Start-ExoSandbox -Tenant $sharedTenants -Mailboxes 100 -ExtraArguments $sharedArguments -TimeoutSeconds 180
    $sandbox.Info | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $InfoPath
    $env:EXOADMIN_TEST_SHARED_SANDBOX = $InfoPath
    $sandbox
}

function Start-TestSandbox {
    # -Fault takes the control endpoint's rules as 'kind=429;path=/adminapi/*;rate=0.1' (one per string);
    # -RateLimit 'REQUESTS/SECONDS' sets every tenant's request budget; -OwnProcess for a file that reads the sandbox
    # process's output or stops it itself (never the shared one).
    param([string[]] $Tenant = @('contoso.onmicrosoft.com'), [int] $Mailboxes = 100, [int] $LatencyMs = 0, [string[]] $ExtraArguments = @(),
        [string[]] $Fault = @(), [string] $RateLimit, [switch] $OwnProcess)
    $caller = (Get-PSCallStack)[1].ScriptName
    $shared = $env:EXOADMIN_TEST_SHARED_SANDBOX
    # What the shared sandbox was not started with goes to its reset, which sets the service's behaviour options
    # (latency, token lifetime, claims challenges, a throttled token endpoint, next links' lifetime, roles) as if given at
    # start and refuses every other option: then the file gets a sandbox of its own, started with them.
    $resetArguments = @(Get-UnsharedArgument $ExtraArguments) + @(if ($LatencyMs) { '--latency-ms', "$LatencyMs" })
    # -Fault and -RateLimit stay on the command line: SandboxFaults.Tests.ps1 proves they reach it. A throttled token
    # endpoint gets a sandbox (an authority) of its own: MSAL remembers the throttling for its authority in this process
    # for Retry-After seconds, and would refuse the worker's next files their sign-ins without asking the shared one.
    $fits = $shared -and -not $OwnProcess -and -not $Fault -and -not $RateLimit -and '--throttle-token-endpoint' -notin $ExtraArguments -and
        -not ($Tenant | Where-Object { $_ -notin $sharedTenants }) -and [AppDomain]::CurrentDomain.GetData($leaseKey) -ne $caller
    $info = if ($fits) { Get-Content -Raw -LiteralPath $shared | ConvertFrom-Json }
    # Only the file's tenants get its mailboxes; the others go back to the start's few (nobody reads them).
    $body = @{ mailboxes = $Mailboxes; tenants = @($Tenant) }
    if ($resetArguments) { $body.arguments = $resetArguments }
    # The file's sandbox: the shared one, as if just started with these tenants, mailboxes and options.
    $reset = if ($fits) {
        try { Invoke-SandboxControl -Sandbox @{ Info = $info } -Method Post -Path '/reset' -Body $body }
        catch { if ("$_" -notlike '*is set only when the sandbox starts*') { throw } }
    }
    if (-not $reset) {
        return Start-ExoSandbox -Tenant $Tenant -Mailboxes $Mailboxes -LatencyMs $LatencyMs -ExtraArguments $ExtraArguments -Fault $Fault -RateLimit $RateLimit
    }

    # Until the file stops it (Stop-ExoSandbox), a second sandbox the file asks for is one of its own.
    [AppDomain]::CurrentDomain.SetData($leaseKey, $caller)
    $tenants = foreach ($name in $Tenant) {
        $t = $info.tenants | Where-Object organization -EQ $name
        $t.mailboxCount = ($reset.tenants | Where-Object organization -EQ $name).mailboxes
        $t
    }
    $info.tenants = @($tenants)
    [pscustomobject]@{
        PSTypeName        = 'ExoAdmin.SandboxInstance'
        Process           = $null   # the worker's: Stop-ExoSandbox leaves it running
        Info              = $info
        ConnectionUri     = $info.connectionUri
        AuthorityUri      = $info.azureADAuthorizationEndpointUri
        CaCertificatePath = $info.caCertificatePath
        Tenants           = @($tenants)
    }
}

function Get-UnsharedArgument {
    # A file's -ExtraArguments without the option/value pairs the shared sandbox was started with.
    param([string[]] $Argument)
    $pairs = for ($j = 0; $j + 1 -lt $sharedArguments.Count; $j += 2) { "$($sharedArguments[$j]) $($sharedArguments[$j + 1])" }
    for ($i = 0; $i -lt $Argument.Count; $i += 2) {
        if ("$($Argument[$i]) $($Argument[$i + 1])" -notin $pairs) { $Argument[$i]; if ($i + 1 -lt $Argument.Count) { $Argument[$i + 1] } }
    }
}

function Stop-ExoSandbox {
    # Stops a sandbox the file started; the shared one keeps running for the worker's next file.
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Sandbox)
    process {
        if ($Sandbox.Process) { $Sandbox | & $sandboxHost.ExportedFunctions['Stop-ExoSandbox'] }
        # The shared one: the file is done with it, so the next sandbox it asks for may be the shared one again.
        else { [AppDomain]::CurrentDomain.SetData($leaseKey, $null) }
    }
}

function New-SandboxHttpClient {
    # An HttpClient that trusts the sandbox CA and nothing else (custom root trust; the host name is still checked), with
    # its own cookies: the helpers' calls work in a pwsh started without SSL_CERT_FILE, as Invoke-Pester from a clone is.
    param([Parameter(Mandatory)] [string] $CaCertificatePath)
    $policy = [System.Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
    $policy.TrustMode = [System.Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
    $policy.RevocationMode = [System.Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
    $null = $policy.CustomTrustStore.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem([IO.File]::ReadAllText($CaCertificatePath)))
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.SslOptions.CertificateChainPolicy = $policy
    $handler.CookieContainer = [System.Net.CookieContainer]::new()
    [System.Net.Http.HttpClient]::new($handler)
}

function Invoke-SandboxRequest {
    # One request through such a client; -Json sends a JSON body, -Form a form. Returns StatusCode, Content and Json.
    param([Parameter(Mandatory)] [System.Net.Http.HttpClient] $Client, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Uri,
        [hashtable] $Headers = @{}, $Json, [System.Collections.IDictionary] $Form)
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($Method.ToUpperInvariant()), $Uri)
    try {
        foreach ($name in $Headers.Keys) { $request.Headers.Add($name, [string]$Headers[$name]) }
        if ($null -ne $Json) { $request.Content = [System.Net.Http.StringContent]::new(($Json | ConvertTo-Json -Depth 10 -Compress), [Text.Encoding]::UTF8, 'application/json') }
        if ($Form) {
            $fields = [Collections.Generic.List[Collections.Generic.KeyValuePair[string, string]]]::new()
            foreach ($name in $Form.Keys) { $fields.Add([Collections.Generic.KeyValuePair[string, string]]::new($name, [string]$Form[$name])) }
            $request.Content = [System.Net.Http.FormUrlEncodedContent]::new($fields)
        }
        $response = $Client.SendAsync($request).GetAwaiter().GetResult()
        try {
            $content = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            $parsed = if ($content -and "$($response.Content.Headers.ContentType)" -like '*json*') { $content | ConvertFrom-Json } else { $null }
            [pscustomobject]@{ StatusCode = [int]$response.StatusCode; Content = $content; Json = $parsed }
        }
        finally { $response.Dispose() }
    }
    finally { $request.Dispose() }
}

function Get-SandboxClient {
    # The helpers' client for a sandbox's CA, made once per CA.
    param([Parameter(Mandatory)] $Sandbox)
    $ca = $Sandbox.Info.caCertificatePath
    if (-not $script:clients) { $script:clients = @{} }
    if (-not $script:clients[$ca]) { $script:clients[$ca] = New-SandboxHttpClient -CaCertificatePath $ca }
    $script:clients[$ca]
}

function Invoke-SandboxControl {
    # One call to the sandbox's control endpoint (/_sandbox/...) with the run's key; JSON in and out.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body, [hashtable] $Query)
    $uri = $Sandbox.Info.control.uri + $Path
    if ($Query) {
        $pairs = foreach ($key in $Query.Keys) { if ($null -ne $Query[$key]) { '{0}={1}' -f $key, [uri]::EscapeDataString([string]$Query[$key]) } }
        if ($pairs) { $uri += '?' + ($pairs -join '&') }
    }
    $response = Invoke-SandboxRequest -Client (Get-SandboxClient $Sandbox) -Method $Method -Uri $uri -Headers @{ 'X-Sandbox-Control-Key' = $Sandbox.Info.control.key } -Json $Body
    if ($response.StatusCode -ge 400) {
        # The control endpoint says why in error_description: make that the error.
        $reason = if ($response.Json.error_description) { $response.Json.error_description } else { "HTTP $($response.StatusCode)" }
        throw "The sandbox refused $Method ${Path}: $reason"
    }
    $response.Json
}

function Add-SandboxFault {
    # Adds a fault rule (see src/ExoAdmin.Sandbox/README.md, "Faults") and returns its id.
    param(
        [Parameter(Mandatory)] $Sandbox,
        [Parameter(Mandatory)] [ValidateSet('429', '503', '500', 'latency', 'reset', 'truncate', 'expired-token', 'claims-challenge',
            'non-json', 'empty-body', 'no-context', 'oversized', 'foreign-next-link')] [string] $Kind,
        [string] $Path, [string] $Method, [string] $Tenant,
        [double] $Rate, [long] $Count, [long] $Every, [int] $Seed,
        [int] $RetryAfterSeconds, [int] $LatencyMs, [int] $SizeBytes,
        [ValidateSet('before', 'after')] [string] $Phase
    )
    $rule = [ordered]@{ kind = $Kind }
    foreach ($name in 'Path', 'Method', 'Tenant', 'Rate', 'Count', 'Every', 'Seed', 'RetryAfterSeconds', 'LatencyMs', 'SizeBytes', 'Phase') {
        if ($PSBoundParameters.ContainsKey($name)) { $rule[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = $PSBoundParameters[$name] }
    }
    (Invoke-SandboxControl -Sandbox $Sandbox -Method Post -Path '/faults' -Body $rule).id
}

function Get-SandboxFault {
    # The fault rules with their matched and injected counts.
    param([Parameter(Mandatory)] $Sandbox)
    @((Invoke-SandboxControl -Sandbox $Sandbox -Method Get -Path '/faults').faults)
}

function Clear-SandboxFault {
    # Removes one rule by id, or all of them.
    param([Parameter(Mandatory)] $Sandbox, [string] $Id)
    $path = if ($Id) { "/faults/$([uri]::EscapeDataString($Id))" } else { '/faults' }
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Method Delete -Path $path
}

function Set-SandboxRateLimit {
    # Sets the request budget of one tenant, or of all tenants without their own; their windows start over.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [int] $Limit, [Parameter(Mandatory)] [int] $WindowSeconds, [string] $Tenant)
    $body = [ordered]@{ limit = $Limit; windowSeconds = $WindowSeconds }
    if ($Tenant) { $body.tenant = $Tenant }
    Invoke-SandboxControl -Sandbox $Sandbox -Method Put -Path '/rate-limit' -Body $body
}

function Reset-SandboxRateLimit {
    # Back to the budget the sandbox started with, for every tenant.
    param([Parameter(Mandatory)] $Sandbox)
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Method Delete -Path '/rate-limit'
}

function Get-SandboxAudit {
    # The changes the sandbox applied, in order: sequence, time, tenant, cmdlet, identity, parameters, requestId, clientRequestId.
    param([Parameter(Mandatory)] $Sandbox, [string] $Tenant, [string] $Cmdlet)
    @((Invoke-SandboxControl -Sandbox $Sandbox -Method Get -Path '/audit' -Query @{ tenant = $Tenant; cmdlet = $Cmdlet }).entries)
}

function Clear-SandboxAudit {
    param([Parameter(Mandatory)] $Sandbox)
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Method Delete -Path '/audit'
}

function Get-SandboxStats {
    # Requests answered by shape, faults injected by kind, requests the rate limiter refused.
    param([Parameter(Mandatory)] $Sandbox)
    Invoke-SandboxControl -Sandbox $Sandbox -Method Get -Path '/stats'
}

function Clear-SandboxStats {
    param([Parameter(Mandatory)] $Sandbox)
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Method Delete -Path '/stats'
}

function Invoke-Terminal {
    # Runs a shell command on a pseudo-terminal of its own (script(1)) and returns its exit code and everything drawn on
    # the terminal. Like a person's terminal it answers cursor position queries (ESC[6n), which PowerShell's console
    # host sends around every progress redraw; left unanswered, each one waits out a timeout (about two seconds).
    param([Parameter(Mandatory)] [string] $Command)
    $start = [Diagnostics.ProcessStartInfo]::new('script')
    foreach ($argument in '-qec', $Command, '/dev/null') { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $decoder = [Text.Encoding]::UTF8.GetDecoder()
        $bytes = [byte[]]::new(65536)
        $chars = [char[]]::new(65536)
        $screen = [Text.StringBuilder]::new()
        $answered = 0
        while (($read = $process.StandardOutput.BaseStream.Read($bytes, 0, $bytes.Length)) -gt 0) {
            $null = $screen.Append($chars, 0, $decoder.GetChars($bytes, 0, $read, $chars, 0))
            # A query may arrive split over two reads: count them in everything received so far.
            for ($asked = [regex]::Matches($screen.ToString(), "`e\[6n").Count; $answered -lt $asked; $answered++) {
                $process.StandardInput.Write("`e[1;1R")
                $process.StandardInput.Flush()
            }
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Screen = $screen.ToString() }
    }
    finally { $process.Dispose() }
}

function Set-SandboxClock {
    # Moves the sandbox's clock (the time it issues and checks tokens by) this many seconds from the real time; 0 puts
    # it back. A test makes the service see a token expire, or get a token already expired, without waiting.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [double] $OffsetSeconds)
    $null = Invoke-SandboxControl -Sandbox $Sandbox -Method Put -Path '/clock' -Body @{ offsetSeconds = $OffsetSeconds }
}

function Wait-SandboxIdle {
    # Returns once the sandbox answers no request (it says so: GET /_sandbox/idle answers when its in-flight count
    # reaches 0): a change it applied is then recorded, and a response it delayed is over or abandoned. Fails after
    # -TimeoutSeconds.
    param([Parameter(Mandatory)] $Sandbox, [int] $TimeoutSeconds = 30)
    $idle = Invoke-SandboxControl -Sandbox $Sandbox -Method Get -Path '/idle' -Query @{ timeoutMs = $TimeoutSeconds * 1000 }
    if (-not $idle.idle) { throw "The sandbox was still answering $($idle.inFlight) request(s) after $TimeoutSeconds s." }
}

function Set-ClientClock {
    # Moves the clock of ExoAdmin's connections to sandboxes this many seconds from the real time
    # (EXOADMIN_TEST_CLOCK_OFFSET, read at every reading, so connections already made move too): a token expires, a
    # circuit's break ends, a sampling window passes, without waiting. A connection reads the moved clock only if the
    # variable was set when it connected: call this (with 0) before connecting. -Remove gives every connection the
    # real time again; a file that sets it removes it in its AfterAll. Waits still take real time.
    param([double] $OffsetSeconds = 0, [switch] $Remove)
    if ($Remove) { Remove-Item Env:EXOADMIN_TEST_CLOCK_OFFSET -ErrorAction SilentlyContinue }
    else { $env:EXOADMIN_TEST_CLOCK_OFFSET = $OffsetSeconds.ToString([cultureinfo]::InvariantCulture) }
}

function Import-ExoAdmin {
    Import-Module $env:EXOADMIN_MODULE_PATH -Force -Global
}

function Connect-TestTenant {
    # Signs in app-only with the tenant's certificate file, exactly as a runbook would.
    param(
        [Parameter(Mandatory)] $Sandbox,
        $Tenant = $Sandbox.Tenants[0],
        [string] $Prefix = '',
        [int] $PageSize = 1000,
        [string[]] $CommandName
    )
    $extra = @{}
    if ($CommandName) { $extra.CommandName = $CommandName }
    $password = ConvertTo-SecureString $Tenant.certificatePassword -AsPlainText -Force
    Connect-ExchangeOnline -AppId $Tenant.appId -Organization $Tenant.organization `
        -CertificateFilePath $Tenant.certificatePath -CertificatePassword $password `
        -ConnectionUri $Sandbox.ConnectionUri -AzureADAuthorizationEndpointUri $Sandbox.AuthorityUri `
        -Prefix $Prefix -PageSize $PageSize -ShowBanner:$false @extra
}

function Get-SeededMailboxes {
    # The sandbox's own record of a tenant's mailboxes, to compare cmdlet output against: its export command, or with
    # -Sandbox the same export from that running sandbox's control endpoint (no process to start).
    param([Parameter(Mandatory)] [string] $Tenant, [Parameter(Mandatory)] [int] $Mailboxes, [int] $Seed = 1, $Sandbox)
    if ($Sandbox) { return Invoke-SandboxControl -Sandbox $Sandbox -Method Get -Path '/export' -Query @{ tenant = $Tenant; mailboxes = $Mailboxes; seed = $Seed } }
    $json = & dotnet $env:EXOADMIN_SANDBOX_PATH export --tenant $Tenant --mailboxes $Mailboxes --seed $Seed
    if ($LASTEXITCODE -ne 0) { throw "sandbox export failed with exit code $LASTEXITCODE" }
    ($json -join "`n") | ConvertFrom-Json
}

function Get-TestUser {
    # A sandbox user of a tenant by alias: admin (Exchange admin, MFA), legacy (Exchange admin, no MFA), helpdesk (no role).
    param([Parameter(Mandatory)] $Tenant, [Parameter(Mandatory)] [string] $Alias)
    $Tenant.users | Where-Object userPrincipalName -eq "$Alias@$($Tenant.organization)"
}

function Get-TotpCode {
    # RFC 6238 (HMAC-SHA1, 6 digits, 30 s), what an authenticator app shows for a base32 secret.
    param([Parameter(Mandatory)] [string] $Secret, [datetimeoffset] $At = [datetimeoffset]::UtcNow)
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    $bits = ($Secret.ToUpperInvariant().ToCharArray() | ForEach-Object { [Convert]::ToString($alphabet.IndexOf($_), 2).PadLeft(5, '0') }) -join ''
    $key = [byte[]]@(for ($i = 0; $i + 8 -le $bits.Length; $i += 8) { [Convert]::ToByte($bits.Substring($i, 8), 2) })
    $counter = [BitConverter]::GetBytes([long][Math]::Floor($At.ToUnixTimeSeconds() / 30))
    if ([BitConverter]::IsLittleEndian) { [array]::Reverse($counter) }
    $hmac = [System.Security.Cryptography.HMACSHA1]::new($key)
    try { $hash = $hmac.ComputeHash($counter) } finally { $hmac.Dispose() }
    $offset = $hash[19] -band 0x0F
    $value = (([int]($hash[$offset] -band 0x7F) -shl 24) -bor ([int]$hash[$offset + 1] -shl 16) -bor ([int]$hash[$offset + 2] -shl 8) -bor [int]$hash[$offset + 3]) % 1000000
    $value.ToString('D6')
}

function Get-FormFlowId {
    param([string] $Html)
    if ($Html -match 'name="flow" value="([^"]+)"') { return $Matches[1] }
    throw "The page has no sign-in form: $Html"
}

function Submit-SandboxSignIn {
    # What a person does on the sandbox's sign-in page: the password, then the authenticator's code when the user has
    # MFA. -Page is the page holding the sign-in form; returns the page that follows.
    param([Parameter(Mandatory)] [System.Net.Http.HttpClient] $Client, [Parameter(Mandatory)] [string] $SignInUri, [Parameter(Mandatory)] $Page,
        [Parameter(Mandatory)] $User)
    $Page = Invoke-SandboxRequest -Client $Client -Method Post -Uri $SignInUri -Form @{ flow = (Get-FormFlowId $Page.Content); login = $User.userPrincipalName; passwd = $User.password }
    if ($User.mfaSecret) {
        $Page = Invoke-SandboxRequest -Client $Client -Method Post -Uri $SignInUri -Form @{ flow = (Get-FormFlowId $Page.Content); otc = (Get-TotpCode $User.mfaSecret) }
    }
    $Page
}

function Complete-DeviceLogin {
    # Does what a person does with a device code: opens the verification page, enters the code, signs in
    # (and types the authenticator code when the user has MFA). Returns the final page's text.
    param([Parameter(Mandatory)] [string] $VerificationUri, [Parameter(Mandatory)] [string] $UserCode, [Parameter(Mandatory)] $User,
        [string] $CaCertificatePath = (Join-Path $env:EXOADMIN_SANDBOX_CA_DIR 'ca.pem'))
    $browser = New-SandboxHttpClient -CaCertificatePath $CaCertificatePath   # its own cookies, as a browser's
    try {
        $signIn = $VerificationUri -replace '/devicelogin$', '/signin'
        $null = Invoke-SandboxRequest -Client $browser -Method Get -Uri $VerificationUri
        $page = Invoke-SandboxRequest -Client $browser -Method Post -Uri $VerificationUri -Form @{ otc = $UserCode }
        (Submit-SandboxSignIn -Client $browser -SignInUri $signIn -Page $page -User $User).Content
    }
    finally { $browser.Dispose() }
}

function Get-UserAccessToken {
    # A delegated token straight from the sandbox's token endpoint (ROPC as the public client), for -AccessToken tests;
    # -Resource names another audience (the compliance endpoint's URI).
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] $User, [string] $Tenant = 'organizations', [string] $Resource = $Sandbox.ConnectionUri)
    $form = @{
        grant_type = 'password'; client_id = 'fb78d390-0c51-40cd-8e17-fdbfab77341b'
        username = $User.userPrincipalName; password = $User.password; scope = "$Resource/.default"
    }
    $response = Invoke-SandboxRequest -Client (Get-SandboxClient $Sandbox) -Method Post -Uri "$($Sandbox.ConnectionUri)/$Tenant/oauth2/v2.0/token" -Form $form
    if ($response.StatusCode -ne 200) { throw "The sandbox refused the token request: $($response.Content)" }
    $response.Json.access_token
}

Export-ModuleMember -Function Start-TestSandbox, Start-SharedTestSandbox, Invoke-Terminal, Import-ExoAdmin, Connect-TestTenant, Get-SeededMailboxes, Stop-ExoSandbox,
    Get-TestUser, Get-TotpCode, Complete-DeviceLogin, Get-UserAccessToken, New-SandboxHttpClient, Invoke-SandboxRequest, Submit-SandboxSignIn,
    Invoke-SandboxControl, Add-SandboxFault, Get-SandboxFault, Clear-SandboxFault, Set-SandboxRateLimit, Reset-SandboxRateLimit,
    Get-SandboxAudit, Clear-SandboxAudit, Get-SandboxStats, Clear-SandboxStats, Set-SandboxClock, Set-ClientClock, Wait-SandboxIdle
