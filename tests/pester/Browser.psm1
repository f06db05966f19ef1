# Drives real headless Chromium as the system browser of interactive sign-in: a launcher that BROWSER names
# (the Unix convention ExoAdmin honours) starts Chromium as a desktop would, with a fresh profile whose NSS
# certificate database trusts the sandbox CA (nothing about TLS validation is relaxed), and a DevTools port
# through which the test types into the sign-in page.

function Get-BrowserUnavailableReason {
    # Why the browser tests cannot run here (Chromium or certutil missing), with the command that fixes it; $null when
    # they can. Outside CI such a test reports itself skipped with this reason; CI (.ci/run) installs both, and there a
    # missing browser is a failure, never a skip.
    $missing = @('chromium', 'certutil') | Where-Object { -not (Get-Command $_ -ErrorAction SilentlyContinue) }
    if (-not $missing) { return $null }
    "$($missing -join ' and ') not installed; install with: apt-get install --no-install-recommends chromium libnss3-tools (CI's .ci/run does)"
}

function Test-BrowserSkip {
    # Whether a browser test skips itself here: only outside CI, and only when the browser is missing.
    $env:CI -ne 'true' -and [bool](Get-BrowserUnavailableReason)
}

function Start-TestBrowser {
    # Returns a browser context: set $env:BROWSER = $context.Launcher before signing in.
    param([Parameter(Mandatory)] [string] $CaCertificatePath)
    # CI (.ci/run) installs the browser while the build runs, holding a lock on this file until the install ends.
    if ($env:EXOADMIN_BROWSER_INSTALL_LOCK) { & flock --shared --wait 600 $env:EXOADMIN_BROWSER_INSTALL_LOCK true }
    if ($reason = Get-BrowserUnavailableReason) { throw "The browser test cannot run: $reason." }
    $chromium = (Get-Command chromium).Source

    $root = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "exoadmin-browser-$([guid]::NewGuid().ToString('n').Substring(0, 8))")
    $homeDir = New-Item -ItemType Directory -Path (Join-Path $root 'home')
    $nssdb = New-Item -ItemType Directory -Path (Join-Path $homeDir '.pki/nssdb')
    & certutil -d "sql:$nssdb" -N --empty-password | Out-Null
    & certutil -d "sql:$nssdb" -A -t 'C,,' -n 'ExoAdmin sandbox CA' -i $CaCertificatePath | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'certutil could not add the sandbox CA to the browser profile.' }

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()

    $launcher = Join-Path $root 'browser.sh'
    $flags = '--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --no-default-browser-check'
    Set-Content -Path $launcher -Value @"
#!/bin/sh
HOME='$homeDir' '$chromium' $flags --user-data-dir='$root/profile' --remote-debugging-address=127.0.0.1 --remote-debugging-port=$port "`$1" > '$root/chromium.log' 2>&1 &
echo `$! > '$root/chromium.pid'
"@
    & chmod +x $launcher
    [pscustomobject]@{ Root = $root.FullName; Launcher = $launcher; DevToolsPort = $port }
}

function Stop-TestBrowser {
    param([Parameter(Mandatory)] $Browser)
    $pidFile = Join-Path $Browser.Root 'chromium.pid'
    if (Test-Path $pidFile) {
        $process = Get-Process -Id ([int](Get-Content $pidFile)) -ErrorAction SilentlyContinue
        if ($process) { $process.Kill($true); $process.WaitForExit(10000) | Out-Null }
    }
    Remove-Item -Recurse -Force $Browser.Root -ErrorAction SilentlyContinue
}

function Connect-BrowserPage {
    # Waits for a page whose URL matches and opens a DevTools session to it.
    param([Parameter(Mandatory)] $Browser, [Parameter(Mandatory)] [string] $UrlPattern, [int] $TimeoutSeconds = 60)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        try {
            $page = (Invoke-RestMethod "http://127.0.0.1:$($Browser.DevToolsPort)/json/list" -ErrorAction Stop) |
                Where-Object { $_.type -eq 'page' -and $_.url -match $UrlPattern } | Select-Object -First 1
            if ($page) {
                $socket = [System.Net.WebSockets.ClientWebSocket]::new()
                [void]$socket.ConnectAsync([uri]$page.webSocketDebuggerUrl, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
                return [pscustomobject]@{ Socket = $socket; NextId = 0 }
            }
        }
        catch [System.Net.Http.HttpRequestException] { }
        Start-Sleep -Milliseconds 250
    }
    throw "No browser page matching '$UrlPattern' appeared within $TimeoutSeconds s."
}

function Invoke-DevTools {
    # One DevTools protocol call; returns its result.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Method, [hashtable] $Params = @{})
    $id = ++$Session.NextId
    $bytes = [Text.Encoding]::UTF8.GetBytes((@{ id = $id; method = $Method; params = $Params } | ConvertTo-Json -Depth 6 -Compress))
    [void]$Session.Socket.SendAsync([ArraySegment[byte]]::new($bytes), 'Text', $true, [Threading.CancellationToken]::None).GetAwaiter().GetResult()
    $buffer = [byte[]]::new(1MB)
    while ($true) {
        $text = [Text.StringBuilder]::new()
        do {
            $received = $Session.Socket.ReceiveAsync([ArraySegment[byte]]::new($buffer), [Threading.CancellationToken]::None).GetAwaiter().GetResult()
            [void]$text.Append([Text.Encoding]::UTF8.GetString($buffer, 0, $received.Count))
        } until ($received.EndOfMessage)
        $message = $text.ToString() | ConvertFrom-Json
        if ($message.PSObject.Properties['id'] -and $message.id -eq $id) {
            if ($message.PSObject.Properties['error']) { throw "DevTools $Method failed: $($message.error.message)" }
            return $message.result
        }
    }
}

function Invoke-PageScript {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Expression)
    (Invoke-DevTools $Session 'Runtime.evaluate' @{ expression = $Expression; returnByValue = $true }).result.value
}

function Wait-PageElement {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Selector, [int] $TimeoutSeconds = 30)
    $deadline = [datetime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([datetime]::UtcNow -lt $deadline) {
        # Right after a form is sent the page is navigating, and DevTools cannot evaluate in it until the next one
        # loads: not yet there, like a page still loading.
        $shown = try { Invoke-PageScript $Session "document.readyState === 'complete' && !!document.querySelector('$Selector')" }
        catch { if ("$_" -notmatch 'navigated or closed|Cannot find context') { throw }; $false }
        if ($shown) { return }
        Start-Sleep -Milliseconds 200
    }
    throw "The page never showed '$Selector'. It shows: $(Invoke-PageScript $Session 'document.body ? document.body.innerText : ''''')"
}

function Send-PageKeys {
    # Focuses a field and types into it as a keyboard would (DevTools Input.insertText).
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Selector, [Parameter(Mandatory)] [string] $Text)
    Invoke-PageScript $Session "(() => { const e = document.querySelector('$Selector'); e.focus(); e.select && e.select(); return true; })()" | Out-Null
    Invoke-DevTools $Session 'Input.insertText' @{ text = $Text } | Out-Null
}

function Invoke-PageClick {
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Selector)
    Invoke-PageScript $Session "(() => { document.querySelector('$Selector').click(); return true; })()" | Out-Null
}

Export-ModuleMember -Function Get-BrowserUnavailableReason, Test-BrowserSkip, Start-TestBrowser, Stop-TestBrowser, Connect-BrowserPage, Invoke-DevTools, Invoke-PageScript, Wait-PageElement, Send-PageKeys, Invoke-PageClick
