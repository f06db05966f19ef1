# Progress bars as a person sees them: a real console host on a pseudo-terminal (script(1)), with
# the output the terminal received searched for the bars' text. Non-interactive hosts and
# -ShowProgress:$false must draw nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Every page waits 300 ms, longer than the console's 200 ms between progress redraws, so each page's bar is drawn.
    $script:sandbox = Start-TestSandbox -Mailboxes 150 -LatencyMs 300
    $script:sandboxFile = Join-Path $TestDrive 'sandbox.json'
    $sandbox.Info | ConvertTo-Json -Depth 5 | Set-Content $sandboxFile
    $script:session = Join-Path $TestDrive 'session.ps1'
    Set-Content -Path $session -Value {
        param($ModulePath, $SandboxFile, [string] $ShowProgress)
        $ErrorActionPreference = 'Stop'
        $s = Get-Content -Raw $SandboxFile | ConvertFrom-Json
        $t = $s.tenants[0]
        Import-Module $ModulePath
        $password = ConvertTo-SecureString $t.certificatePassword -AsPlainText -Force
        Connect-ExchangeOnline -AppId $t.appId -Organization $t.organization -CertificateFilePath $t.certificatePath -CertificatePassword $password `
            -ConnectionUri $s.connectionUri -AzureADAuthorizationEndpointUri $s.azureADAuthorizationEndpointUri -PageSize 50 -ShowBanner:$false `
            -ShowProgress:([bool]::Parse($ShowProgress)) -MaxConcurrency 1 # one item at a time: eight items last long enough for a redraw
        $all = @(Get-EXOMailbox -ResultSize Unlimited).Count
        $piped = @((Get-EXOMailbox -ResultSize 8).UserPrincipalName | Get-EXOMailbox).Count
        "RESULT $all $piped"
    }.ToString()

    function Start-OnTerminal([string] $ShowProgress, [switch] $NonInteractive) {
        # script(1) gives pwsh a terminal of its own; everything drawn on it comes back as text. The three sessions run
        # at once (a thread job each), so their sandbox latency is waited out together rather than one after another.
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $flags = if ($NonInteractive) { '-NonInteractive' } else { '' }
        $command = "stty cols 160 rows 50; dotnet '$pwsh' -NoProfile $flags -File '$session' '$env:EXOADMIN_MODULE_PATH' '$sandboxFile' $ShowProgress"
        Start-ThreadJob -ArgumentList (Join-Path $PSScriptRoot 'TestHelpers.psm1'), $command -ScriptBlock {
            param($Helpers, $Command)
            Import-Module $Helpers
            Invoke-Terminal $Command
        }
    }

    function Receive-Screen($Job) {
        $terminal = $Job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
        $terminal.ExitCode | Should -Be 0
        $terminal.Screen -replace '\x1b(\[[0-9;?]*[A-Za-z]|[=>])', ''   # the text drawn, without the terminal's control sequences
    }

    $script:interactive = Start-OnTerminal -ShowProgress True
    $script:turnedOff = Start-OnTerminal -ShowProgress False
    $script:nonInteractive = Start-OnTerminal -ShowProgress True -NonInteractive
}

AfterAll {
    Get-Job | Where-Object Id -In @($interactive, $turnedOff, $nonInteractive).Id | Remove-Job -Force
    $sandbox | Stop-ExoSandbox
}

Describe 'Progress' {
    It 'an interactive console shows the read (count, rate, page) and the pipelined items' {
        $screen = Receive-Screen $interactive

        $screen | Should -Match 'RESULT 150 8'
        $screen | Should -Match 'Reading Mailbox \[\d[\d,]* read, [\d,]+/s, page \d+'
        $screen | Should -Match 'Reading Mailbox \[1[0-4]\d read, [\d,]+/s, page [34]'
        # The console redraws at most every 200 ms, so which item counts appear varies; one must.
        $screen | Should -Match 'Get-EXOMailbox \[[1-8] done, [\d.]+/s'
    }

    It 'Connect-ExchangeOnline -ShowProgress:$false turns it off' {
        $screen = Receive-Screen $turnedOff

        $screen | Should -Match 'RESULT 150 8'
        $screen | Should -Not -Match 'Reading Mailbox|done, [\d.]+/s'
    }

    It 'pwsh -NonInteractive never shows it' {
        $screen = Receive-Screen $nonInteractive

        $screen | Should -Match 'RESULT 150 8'
        $screen | Should -Not -Match 'Reading Mailbox|done, [\d.]+/s'
    }
}
