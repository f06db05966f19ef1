# Shared set-up for the end-to-end tests: each test file starts its own sandbox (signed by the
# run's CA, which SSL_CERT_FILE trusts) and imports the built module from out/ExoAdmin.

Import-Module (Join-Path $PSScriptRoot '../../build/SandboxHost.psm1') -Force

function Start-TestSandbox {
    # -Fault takes the control endpoint's rules as 'kind=429;path=/adminapi/*;rate=0.1' (one per string);
    # -RateLimit 'REQUESTS/SECONDS' sets every tenant's request budget.
    param([string[]] $Tenant = @('contoso.onmicrosoft.com'), [int] $Mailboxes = 100, [int] $LatencyMs = 0, [string[]] $ExtraArguments = @(),
        [string[]] $Fault = @(), [string] $RateLimit)
    if (-not $env:EXOADMIN_MODULE_PATH) { throw 'Run the tests through ./build.ps1 test, which sets EXOADMIN_MODULE_PATH.' }
    Start-ExoSandbox -Tenant $Tenant -Mailboxes $Mailboxes -LatencyMs $LatencyMs -ExtraArguments $ExtraArguments -Fault $Fault -RateLimit $RateLimit
}

function Invoke-SandboxControl {
    # One call to the sandbox's control endpoint (/_sandbox/...) with the run's key; JSON in and out.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path, $Body, [hashtable] $Query)
    $uri = $Sandbox.Info.control.uri + $Path
    if ($Query) {
        $pairs = foreach ($key in $Query.Keys) { if ($null -ne $Query[$key]) { '{0}={1}' -f $key, [uri]::EscapeDataString([string]$Query[$key]) } }
        if ($pairs) { $uri += '?' + ($pairs -join '&') }
    }
    $request = @{ Method = $Method; Uri = $uri; Headers = @{ 'X-Sandbox-Control-Key' = $Sandbox.Info.control.key } }
    if ($null -ne $Body) { $request.Body = $Body | ConvertTo-Json -Depth 10 -Compress; $request.ContentType = 'application/json' }
    try { Invoke-RestMethod @request }
    catch {
        # The control endpoint says why in error_description: make that the error.
        $detail = try { $_.ErrorDetails.Message | ConvertFrom-Json } catch { $null }
        if ($detail.error_description) { throw "The sandbox refused $Method ${Path}: $($detail.error_description)" }
        throw
    }
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
    # The sandbox's own record of a tenant's mailboxes, to compare cmdlet output against.
    param([Parameter(Mandatory)] [string] $Tenant, [Parameter(Mandatory)] [int] $Mailboxes, [int] $Seed = 1)
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

function Complete-DeviceLogin {
    # Does what a person does with a device code: opens the verification page, enters the code, signs in
    # (and types the authenticator code when the user has MFA). Returns the final page's text.
    param([Parameter(Mandatory)] [string] $VerificationUri, [Parameter(Mandatory)] [string] $UserCode, [Parameter(Mandatory)] $User)
    $session = [Microsoft.PowerShell.Commands.WebRequestSession]::new()
    $null = Invoke-WebRequest -Uri $VerificationUri -WebSession $session
    $page = Invoke-WebRequest -Uri $VerificationUri -Method Post -Body @{ otc = $UserCode } -WebSession $session
    $page = Invoke-WebRequest -Uri ($VerificationUri -replace '/devicelogin$', '/signin') -Method Post -WebSession $session -SkipHttpErrorCheck `
        -Body @{ flow = (Get-FormFlowId $page.Content); login = $User.userPrincipalName; passwd = $User.password }
    if ($User.mfaSecret) {
        $page = Invoke-WebRequest -Uri ($VerificationUri -replace '/devicelogin$', '/signin') -Method Post -WebSession $session -SkipHttpErrorCheck `
            -Body @{ flow = (Get-FormFlowId $page.Content); otc = (Get-TotpCode $User.mfaSecret) }
    }
    $page.Content
}

function Get-UserAccessToken {
    # A delegated token straight from the sandbox's token endpoint (ROPC as the public client), for -AccessToken tests.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] $User, [string] $Tenant = 'organizations')
    $body = @{
        grant_type = 'password'; client_id = 'fb78d390-0c51-40cd-8e17-fdbfab77341b'
        username = $User.userPrincipalName; password = $User.password; scope = "$($Sandbox.ConnectionUri)/.default"
    }
    (Invoke-RestMethod -Method Post -Uri "$($Sandbox.ConnectionUri)/$Tenant/oauth2/v2.0/token" -Body $body).access_token
}

Export-ModuleMember -Function Start-TestSandbox, Import-ExoAdmin, Connect-TestTenant, Get-SeededMailboxes, Stop-ExoSandbox,
    Get-TestUser, Get-TotpCode, Complete-DeviceLogin, Get-UserAccessToken,
    Invoke-SandboxControl, Add-SandboxFault, Get-SandboxFault, Clear-SandboxFault, Set-SandboxRateLimit, Reset-SandboxRateLimit,
    Get-SandboxAudit, Clear-SandboxAudit, Get-SandboxStats, Clear-SandboxStats
