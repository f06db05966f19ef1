# A stand-in for the asset cmdlets Azure Automation gives runbooks, so a runbook runs unchanged
# outside Automation. Assets come from the JSON file named by EXOADMIN_TEST_AUTOMATION_ASSETS:
#   { "variables": { "Name": "value" }, "certificates": { "Name": { "path": "...pfx", "password": "..." } } }
# Like the real ones, asking for an asset the account does not have is an error.

function Get-AssetFile {
    Get-Content -Raw $env:EXOADMIN_TEST_AUTOMATION_ASSETS | ConvertFrom-Json -AsHashtable
}

function Get-AutomationVariable {
    param([Parameter(Mandatory)] [string] $Name)
    $variables = (Get-AssetFile).variables
    if (-not $variables.ContainsKey($Name)) { throw "Variable asset not found: $Name" }
    $variables[$Name]
}

function Get-AutomationCertificate {
    param([Parameter(Mandatory)] [string] $Name)
    $certificates = (Get-AssetFile).certificates
    if (-not $certificates.ContainsKey($Name)) { throw "Certificate asset not found: $Name" }
    [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(
        $certificates[$Name].path, $certificates[$Name].password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::EphemeralKeySet)
}

Export-ModuleMember -Function Get-AutomationVariable, Get-AutomationCertificate
