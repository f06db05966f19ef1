# One measurement of build/Benchmark.ps1, run in its own `dotnet pwsh.dll -NoProfile` process so every
# figure starts from a fresh process. Prints exactly one JSON line (the figures) as its last output.
# The sandbox CA is trusted through SSL_CERT_FILE, inherited from the parent.
param(
    [Parameter(Mandatory)] [string] $Measurement,
    [string] $ModulePath,
    # The sandbox's ready line (JSON), for connection details and the control endpoint.
    [string] $SandboxJson,
    [string] $OutputPath,
    [int] $Count
)

$ErrorActionPreference = 'Stop'
$sandbox = if ($SandboxJson) { $SandboxJson | ConvertFrom-Json }
$tenant = if ($sandbox) { $sandbox.tenants[0] }

function Connect-Sandbox {
    # -CommandName narrows the module file the service sends (the full one: every cmdlet Organization Management has).
    param([string[]] $CommandName)
    Import-Module $ModulePath
    $password = ConvertTo-SecureString $tenant.certificatePassword -AsPlainText -Force
    $narrow = if ($CommandName) { @{ CommandName = $CommandName } } else { @{} }
    Connect-ExchangeOnline -AppId $tenant.appId -Organization $tenant.organization `
        -CertificateFilePath $tenant.certificatePath -CertificatePassword $password `
        -ConnectionUri $sandbox.connectionUri -AzureADAuthorizationEndpointUri $sandbox.azureADAuthorizationEndpointUri -ShowBanner:$false @narrow
}

function Get-SandboxStats { Invoke-RestMethod -Uri "$($sandbox.control.uri)/stats" -Headers @{ 'X-Sandbox-Control-Key' = $sandbox.control.key } }

function Get-RequestCount {
    # The sandbox's own count of the requests it has answered (control calls excluded).
    (Get-SandboxStats).total
}

function Get-RefusedCount {
    # Requests the sandbox's rate limiter refused (429): how often the client ran into the tenant's budget.
    (Get-SandboxStats).rateLimited
}

function ConvertTo-Base64Url([byte[]] $Bytes) { [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }

function Get-ScriptToken {
    # What an independent script does without a module: a certificate client assertion (RFC 7523) signed here
    # with the tenant's pfx, posted to the token endpoint for a client-credentials token.
    $certificate = [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($tenant.certificatePath, $tenant.certificatePassword)
    try {
        $endpoint = "$($sandbox.connectionUri)/$($tenant.organization)/oauth2/v2.0/token"
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $header = @{ alg = 'RS256'; typ = 'JWT'; x5t = (ConvertTo-Base64Url $certificate.GetCertHash()); kid = $certificate.Thumbprint } | ConvertTo-Json -Compress
        $claims = @{ aud = $endpoint; iss = $tenant.appId; sub = $tenant.appId; jti = [guid]::NewGuid().ToString(); nbf = $now; iat = $now; exp = $now + 600 } | ConvertTo-Json -Compress
        $unsigned = (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($header))) + '.' + (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes($claims)))
        $rsa = [System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($certificate)
        $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($unsigned), [Security.Cryptography.HashAlgorithmName]::SHA256, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $body = @{
            grant_type = 'client_credentials'; client_id = $tenant.appId; scope = "$($sandbox.connectionUri)/.default"
            client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
            client_assertion = $unsigned + '.' + (ConvertTo-Base64Url $signature)
        }
        (Invoke-RestMethod -Method Post -Uri $endpoint -Body $body).access_token
    }
    finally { $certificate.Dispose() }
}

function Measure-Block([scriptblock] $Block) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $result = & $Block
    $watch.Stop()
    [pscustomobject]@{ Seconds = $watch.Elapsed.TotalSeconds; Result = $result }
}

$figures = [ordered]@{}
switch ($Measurement) {
    # 1. Start-up: the parent times the whole process; the child adds its peak RSS.
    'bare' { }
    'import' { Import-Module $ModulePath }
    'connect' { Connect-Sandbox }
    # The same connect with a one-cmdlet module file: the difference is what the full file costs.
    'connect-small' { Connect-Sandbox -CommandName Get-Mailbox }

    # 2 and 6. Bulk read through the module.
    'exo-bulk' {
        Connect-Sandbox
        $run = Measure-Block { (Get-EXOMailbox -ResultSize Unlimited | Measure-Object).Count }
        $figures.Objects = $run.Result; $figures.Seconds = $run.Seconds
    }
    # 2. Baseline: the Invoke-RestMethod loop scripts write, following @odata.nextLink.
    'irm-bulk' {
        $token = Get-ScriptToken
        $run = Measure-Block {
            $headers = @{ Authorization = "Bearer $token" }
            $url = "$($sandbox.connectionUri)/adminapi/beta/$($tenant.organization)/Mailbox"
            $n = 0
            while ($url) {
                $page = Invoke-RestMethod -Uri $url -Headers $headers
                $n += @($page.value).Count
                $url = $page.'@odata.nextLink'
            }
            $n
        }
        $figures.Objects = $run.Result; $figures.Seconds = $run.Seconds
    }
    # 2. The physical limit: an HttpClient that only downloads each page and finds the next link in its bytes.
    'raw-bulk' {
        Add-Type -TypeDefinition @'
using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
public static class RawPageReader
{
    private static readonly byte[] NextLink = Encoding.ASCII.GetBytes("\"@odata.nextLink\":\"");
    public static async Task<long[]> ReadAllAsync(string url, string token)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        long pages = 0, bytes = 0;
        while (url != null)
        {
            var body = await http.GetByteArrayAsync(url);
            pages++; bytes += body.Length;
            var at = body.AsSpan().LastIndexOf(NextLink);
            if (at < 0) { url = null; continue; }
            var start = at + NextLink.Length;
            var length = body.AsSpan(start).IndexOf((byte)'"');
            url = Encoding.UTF8.GetString(body, start, length).Replace("\\/", "/");
        }
        return new[] { pages, bytes };
    }
}
'@
        $token = Get-ScriptToken
        $run = Measure-Block { [RawPageReader]::ReadAllAsync("$($sandbox.connectionUri)/adminapi/beta/$($tenant.organization)/Mailbox", $token).GetAwaiter().GetResult() }
        $figures.Pages = $run.Result[0]; $figures.Bytes = $run.Result[1]; $figures.Seconds = $run.Seconds
        $figures.Objects = $tenant.mailboxCount
    }

    # 3. Time to the first ten objects, and the requests that took.
    'exo-first10' {
        Connect-Sandbox
        $before = Get-RequestCount
        $run = Measure-Block { @(Get-EXOMailbox -ResultSize Unlimited | Select-Object -First 10).Count }
        # Requests the cancelled read may still have in flight land before this is read: the pump waits for them.
        $figures.Requests = (Get-RequestCount) - $before
        $figures.Objects = $run.Result; $figures.Seconds = $run.Seconds
    }
    # 3. Baseline: the script's first page by Invoke-RestMethod, first ten taken.
    'irm-first10' {
        $token = Get-ScriptToken
        $before = Get-RequestCount
        $run = Measure-Block {
            @(Invoke-RestMethod -Uri "$($sandbox.connectionUri)/adminapi/beta/$($tenant.organization)/Mailbox" -Headers @{ Authorization = "Bearer $token" } |
                Select-Object -ExpandProperty value | Select-Object -First 10).Count
        }
        $figures.Requests = (Get-RequestCount) - $before
        $figures.Objects = $run.Result; $figures.Seconds = $run.Seconds
    }

    # 4. The statistics report, pipelined and one request at a time; both write a CSV to compare.
    'stats-pipeline' {
        Connect-Sandbox
        $before = Get-RequestCount; $refusedBefore = Get-RefusedCount
        $run = Measure-Block { Get-EXOMailbox -ResultSize Unlimited | Get-EXOMailboxStatistics | Select-Object DisplayName, TotalItemSize | Export-Csv -Path $OutputPath -NoTypeInformation }
        $figures.Requests = (Get-RequestCount) - $before; $figures.Seconds = $run.Seconds; $figures.Refused = (Get-RefusedCount) - $refusedBefore
    }
    'stats-sequential' {
        Connect-Sandbox
        $before = Get-RequestCount; $refusedBefore = Get-RefusedCount
        $run = Measure-Block {
            $mailboxes = Get-EXOMailbox -ResultSize Unlimited
            $(foreach ($mailbox in $mailboxes) { Get-EXOMailboxStatistics -Identity $mailbox.UserPrincipalName }) |
                Select-Object DisplayName, TotalItemSize | Export-Csv -Path $OutputPath -NoTypeInformation
        }
        $figures.Requests = (Get-RequestCount) - $before; $figures.Seconds = $run.Seconds; $figures.Refused = (Get-RefusedCount) - $refusedBefore
    }

    # 5. The bulk change: the same Set-Mailbox on every mailbox (and one unknown identity in the middle, whose
    # error must come out the same), pipelined or one call at a time; then the state a Get reads back.
    { $_ -in 'set-pipeline', 'set-sequential' } {
        Connect-Sandbox
        $identities = [Collections.Generic.List[string]]@((Get-EXOMailbox -ResultSize $Count).UserPrincipalName)
        $identities.Insert([int]($identities.Count / 2), "nobody@$($tenant.organization)")
        $before = Get-RequestCount; $refusedBefore = Get-RefusedCount
        $failed = $null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        if ($Measurement -eq 'set-pipeline') {
            $identities | Set-Mailbox -HiddenFromAddressListsEnabled $true -ErrorAction SilentlyContinue -ErrorVariable +failed
        }
        else {
            foreach ($identity in $identities) { Set-Mailbox -Identity $identity -HiddenFromAddressListsEnabled $true -ErrorAction SilentlyContinue -ErrorVariable +failed }
        }
        $watch.Stop()
        $figures.Requests = (Get-RequestCount) - $before; $figures.Seconds = $watch.Elapsed.TotalSeconds; $figures.Refused = (Get-RefusedCount) - $refusedBefore
        # The request-id and the time differ per request by design (in the message, and in the error id's
        # [Server=…,RequestId=…,TimeStamp=…] as the real module writes it); the rest of each record must match.
        $figures.Errors = @($failed | ForEach-Object { "$($_.FullyQualifiedErrorId -replace 'RequestId=[^,\]]+', 'RequestId=…' -replace 'TimeStamp=[^\]]+', 'TimeStamp=…') [$($_.TargetObject)]: $($_.Exception.Message -replace ' ?\(request-id [0-9a-f-]+\)', '')" })
        Get-EXOMailbox -ResultSize Unlimited -Properties HiddenFromAddressListsEnabled |
            Select-Object UserPrincipalName, HiddenFromAddressListsEnabled | Export-Csv -Path $OutputPath -NoTypeInformation
    }
    default { throw "Unknown measurement '$Measurement'." }
}

$figures.PeakRss = [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
$figures | ConvertTo-Json -Compress
