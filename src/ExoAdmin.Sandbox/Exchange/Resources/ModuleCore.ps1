# What every cmdlet of this module shares: the calls into Microsoft's module (§4.2), the InvokeCommand request
# (§5), its retries (§9.2), its errors (§8.2, §18.4) and its pages (§7.2). Requires PowerShell 7.

$script:DefaultMaxRetryTimes = 5
$script:DefaultRetryIntervalInMilliSeconds = 2000
$script:DefaultRetryIntervalExponentBase = 2
$script:HttpTimeoutSeconds = 300
$script:RetryableHTTPResponses = @(500, 502, 503, 504)
$script:RetryableExceptions = @('You have reached the maximum number of concurrent requests per tenant')
$script:CommonParameters = @('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
    'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm', 'UseCustomRouting')

function Get-ConnectionContext {
    # Without the two id lines the client appends (X-ClientConfigurations asked it not to), find them by the module's folder (§4.1).
    $factory = [Microsoft.Exchange.Management.ExoPowershellSnapin.ConnectionContextFactory]
    if ([string]::IsNullOrEmpty($script:ConnectionContextObjectId)) {
        $script:ConnectionContextObjectId = $factory::GetConnectionContextIdByModulePath($PSScriptRoot)
    }

    $factory::GetCurrentConnectionContext($script:ConnectionContextObjectId)
}

function Protect-Value {
    # SecureString parameters travel RSA-encrypted (PKCS#1 v1.5, UTF-8, base64) with the key this module carries (§5.2).
    param([System.Security.SecureString] $Value)
    $rsa = [System.Security.Cryptography.RSA]::Create()
    try {
        $rsa.FromXmlString($script:PublicKeyXml)
        $bytes = [System.Text.Encoding]::UTF8.GetBytes([System.Net.NetworkCredential]::new('', $Value).Password)
        try { [Convert]::ToBase64String($rsa.Encrypt($bytes, [System.Security.Cryptography.RSAEncryptionPadding]::Pkcs1)) }
        finally { [Array]::Clear($bytes, 0, $bytes.Length) }
    }
    finally { $rsa.Dispose() }
}

function ConvertTo-ServiceValue {
    # One bound value in the §5.2 encoding. Arrays come back whole (-NoEnumerate), never unrolled.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSObject]) { $Value = $Value.PSObject.BaseObject }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return $Value.IsPresent }
    if ($Value -is [string] -or $Value -is [bool] -or ($Value -is [ValueType] -and $Value.GetType().IsPrimitive)) { return $Value }
    if ($Value -is [System.Security.SecureString]) { return Protect-Value $Value }
    if ($Value -is [pscredential]) {
        return [ordered]@{ '@odata.type' = '#Exchange.GenericHashTable'; UserName = $Value.UserName; Password = (Protect-Value $Value.Password) }
    }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffffffZ', [cultureinfo]::InvariantCulture) }
    if ($Value -is [datetimeoffset]) { return $Value.UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss.fffffffZ', [cultureinfo]::InvariantCulture) }
    if ($Value -is [byte[]]) { return [ordered]@{ '@odata.type' = '#Exchange.ByteArrayType'; Data = [Convert]::ToBase64String($Value) } }
    if ($Value -is [System.Collections.IDictionary]) {
        $table = [ordered]@{ '@odata.type' = '#Exchange.GenericHashTable' }
        foreach ($key in $Value.Keys) { $table[[string]$key] = ConvertTo-ServiceValue $Value[$key] }
        return $table
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $items.Add((ConvertTo-ServiceValue $item)) }
        Write-Output -NoEnumerate $items.ToArray()
        return
    }
    $Value.ToString()
}

function ConvertTo-ServiceParameters {
    param([System.Collections.IDictionary] $Parameters)
    $sent = [ordered]@{}
    foreach ($name in $Parameters.Keys) {
        if ($script:CommonParameters -contains $name) { continue }
        $value = $Parameters[$name]
        $sent[$name] = ConvertTo-ServiceValue $value
        if ($value -is [hashtable[]]) { $sent["$name@odata.type"] = '#Collection(Exchange.GenericHashTable)' }
        elseif ($value -is [byte[][]]) { $sent["$name@odata.type"] = '#Collection(Exchange.ByteArrayType)' }
    }
    $sent
}

function Get-ResponseHeader {
    param($Response, [string] $Name)
    $values = $null
    if ($Response.Headers.TryGetValue($Name, [ref] $values)) { return @($values)[0] }
}

function New-ServiceErrorRecord {
    # The service's error as scripts see it (§8.2, §18.4): its exception type as the reason, the server and request in the id.
    param($Response, [string] $Text, [string] $CmdletName)
    $detail = try { ($Text | ConvertFrom-Json -ErrorAction Stop).error.details[0] } catch { $null }
    $status = [int]$Response.StatusCode
    if ($detail.message) {
        $errorId, $exceptionType, $message = $detail.message -split '\|', 3
    }
    elseif ($status -eq 429) {
        $errorId, $exceptionType, $message = 'ThrottlingError', '', "The request was throttled by the service. $Text"
    }
    else {
        $errorId, $exceptionType = 'ServerSideError', ''
        $message = 'A server side error has occurred because of which the operation could not be completed. Please try again after some time. If the problem still persists, please reach out to MS support.'
    }

    $reason = Get-ResponseHeader $Response 'x-ExceptionType'
    if (-not $reason) { $reason = ($exceptionType -split '\.')[-1] }
    $category = if ($detail.code -as [int]) { [System.Management.Automation.ErrorCategory][int]$detail.code }
        elseif ($status -eq 429) { [System.Management.Automation.ErrorCategory]::LimitsExceeded }
        else { [System.Management.Automation.ErrorCategory]::ConnectionError }
    $server = "$(Get-ResponseHeader $Response 'X-CalculatedBETarget')".Split('.')[0]
    $fullId = "[Server=$server,RequestId=$(Get-ResponseHeader $Response 'request-id'),TimeStamp=$(Get-ResponseHeader $Response 'Date')] [FailureCategory=Cmdlet-$reason] $errorId,$CmdletName"
    $record = [System.Management.Automation.ErrorRecord]::new([System.Exception]::new($message), $fullId, $category, $detail.target)
    if ($reason) { $record.CategoryInfo.Reason = $reason }
    $targetType = Get-ResponseHeader $Response 'x-ExceptionTargetType'
    if ($targetType) { $record.CategoryInfo.TargetType = $targetType }
    $record
}

function Invoke-ServiceRequest {
    # One POST with the §9.2 retries: 429 after Retry-After, 5xx and the concurrency refusal with back-off, 401 with a
    # claims challenge with a token for those claims. Returns the 2xx response, or throws the service's ErrorRecord.
    param($Context, [string] $CmdletName, [string] $Uri, [byte[]] $Body, [string] $RequestId, [int] $PageSize)
    $claims = ''
    $origin = $null
    for ($retry = 0; ; $retry++) {
        $auth = $Context.GetAuthHeader($claims, $RequestId)
        if (-not $origin) { $origin = ([uri]$auth.BaseUri).GetLeftPart([System.UriPartial]::Authority) }
        if (([uri]$Uri).GetLeftPart([System.UriPartial]::Authority) -ne $origin) {
            throw [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("The service named a next page on another host ($Uri); it is not followed."), 'ForeignNextLink', 'SecurityError', $Uri)
        }

        $anchor = if ($Context.RoutingHint) { "$($Context.RoutingHintPrefix):$($Context.RoutingHint)" } else { "UPN:$($auth.UserPrincipalName)" }
        $headers = @{
            'Authorization' = $auth.AuthorizationHeader; 'X-AnchorMailbox' = $anchor; 'X-CmdletName' = $CmdletName
            'client-request-id' = $RequestId; 'connection-id' = "$($Context.ConnectionId)"; 'Prefer' = "odata.maxpagesize=$PageSize"
            'X-ResponseFormat' = 'json'; 'X-SerializationLevel' = 'Partial'; 'X-ClientApplication' = 'ExoManagementModule'
            'X-ClientModuleVersion' = "$($Context.ExoModuleVersion)"; 'Accept' = 'application/json'; 'Accept-Charset' = 'UTF-8'
            'Accept-Language' = "$PSUICulture"; 'WarningAction' = ''
        }
        $response = Invoke-WebRequest -UseBasicParsing -Method POST -Uri $Uri -Headers $headers -Body $Body -ContentType 'application/json' `
            -SkipHttpErrorCheck -MaximumRedirection 0 -TimeoutSec $script:HttpTimeoutSeconds -ErrorAction Stop
        $status = [int]$response.StatusCode
        if ($status -ge 200 -and $status -lt 300) { return $response }

        $text = [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
        $challenge = "$(Get-ResponseHeader $response 'WWW-Authenticate')"
        $wait = $null
        if ($status -eq 401 -and $challenge -match 'claims="(.*?)"') {
            $claims = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Matches[1]))
            $wait = 0
        }
        elseif ($status -eq 429 -or ($script:RetryableExceptions | Where-Object { $text.Contains($_) })) {
            $retryAfter = Get-ResponseHeader $response 'Retry-After'
            $wait = if ($retryAfter -as [double] -ne $null) { [double]$retryAfter * 1000 }
                else { $script:DefaultRetryIntervalInMilliSeconds * [Math]::Pow($script:DefaultRetryIntervalExponentBase, $retry) }
        }
        elseif ($script:RetryableHTTPResponses -contains $status) {
            $wait = $script:DefaultRetryIntervalInMilliSeconds * [Math]::Pow($script:DefaultRetryIntervalExponentBase, $retry)
        }

        if ($null -eq $wait) { throw (New-ServiceErrorRecord $response $text $CmdletName) }
        if ($retry -ge $script:DefaultMaxRetryTimes) {
            throw [System.Management.Automation.ErrorRecord]::new([System.Exception]::new('Maximum retry count reached.'), 'MaxRetryReached', 'LimitsExceeded', $CmdletName)
        }

        Write-Verbose "Retrying $CmdletName after HTTP $status in $([int]$wait) ms (retry $($retry + 1) of $script:DefaultMaxRetryTimes)."
        Start-Sleep -Milliseconds ([int]$wait)
    }
}

function Execute-Command {
    param([string] $CmdletName, [System.Collections.IDictionary] $Parameters, [System.Management.Automation.PSCmdlet] $Caller, [switch] $ShowConfirmPrompt)
    $global:EXO_LastExecutionStatus = $true
    try {
        $context = Get-ConnectionContext
        $sent = ConvertTo-ServiceParameters $Parameters
        $requestId = [guid]::NewGuid().ToString()
        $pageSize = if ($context.PageSize -ge 1 -and $context.PageSize -le 1000) { [int]$context.PageSize } else { 1000 }
        $auth = $context.GetAuthHeader('', $requestId)
        $uri = "$($auth.BaseUri)/$($auth.TenantId)/InvokeCommand"

        if ($ShowConfirmPrompt) {
            # The service validates the change and says what it would do (Confirm=true), then it is sent for real (§5.2).
            $probe = [ordered]@{}
            foreach ($name in $sent.Keys) { $probe[$name] = $sent[$name] }
            $probe['Confirm'] = $true
            $body = [System.Text.Encoding]::UTF8.GetBytes((@{ CmdletInput = @{ CmdletName = $CmdletName; Parameters = $probe } } | ConvertTo-Json -Depth 10 -Compress))
            $answer = [System.Text.Encoding]::UTF8.GetString((Invoke-ServiceRequest $context $CmdletName $uri $body $requestId $pageSize).RawContentStream.ToArray()) | ConvertFrom-Json
            $message = $answer.'@adminapi.confirmationmessage'
            if (-not $message) { $message = "Performing the operation `"$CmdletName`" on target `"$($Parameters['Identity'])`"." }
            if (-not $Caller.ShouldProcess($message, "Are you sure you want to perform this action?`n$message", 'Confirm')) { return }
            $sent['Confirm'] = $false
        }

        $body = [System.Text.Encoding]::UTF8.GetBytes((@{ CmdletInput = @{ CmdletName = $CmdletName; Parameters = $sent } } | ConvertTo-Json -Depth 10 -Compress))
        $unlimited = "$($Parameters['ResultSize'])" -eq 'Unlimited'
        $remaining = if ($Parameters['ResultSize'] -as [long]) { [long]$Parameters['ResultSize'] } else { $pageSize }
        $warned = [System.Collections.Generic.HashSet[string]]::new()
        while ($uri) {
            $wanted = if ($unlimited) { $pageSize } else { [Math]::Min($remaining, $pageSize) }
            $response = Invoke-ServiceRequest $context $CmdletName $uri $body $requestId $wanted
            $page = [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray()) | ConvertFrom-Json
            foreach ($warning in $page.'@adminapi.warnings') { if ($warned.Add($warning)) { $Caller.WriteWarning($warning) } }
            foreach ($failure in $page.'@adminapi.errors') {
                $Caller.WriteError([System.Management.Automation.ErrorRecord]::new([System.Exception]::new("$failure"), 'AdminApiError', 'NotSpecified', $null))
            }

            $count = 0
            foreach ($item in $page.value) {
                $count++
                foreach ($name in @($item.PSObject.Properties.Name)) { if ($name.Contains('@')) { $item.PSObject.Properties.Remove($name) } }
                if ($script:OutputTypeNames[$CmdletName]) { $item.PSObject.TypeNames.Insert(0, $script:OutputTypeNames[$CmdletName]) }
                $Caller.WriteObject($item)
            }

            $remaining -= $count
            $uri = if ($page.'@odata.nextLink' -and ($unlimited -or ($count -ge $wanted -and $remaining -gt 0))) { $page.'@odata.nextLink' } else { $null }
        }
    }
    catch {
        $global:EXO_LastExecutionStatus = $false
        # Invoke-ServiceRequest throws the service's ErrorRecord itself: it reaches the caller as one error of this item.
        $Caller.WriteError($_)
    }
}
