# Issue 12 item 7 / issue 13 (client side of the agreed contract): a read slower than the service keeps its next links
# fails once, as ExoPageLinkExpired naming the cmdlet and how many objects it wrote, and is never retried. The sandbox's
# links live 60 s here; its clock (PUT /_sandbox/clock) is moved past that while the pipeline holds the first object,
# so the read is "too slow" without any wait.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # Many more pages than the pipeline can be ahead of its first object (its queue of 256 objects and one page read
    # ahead), so however slowly the pipeline starts, the read still has links to follow after the clock moved.
    $script:pageSize = 10
    $script:mailboxes = 1000
    # The clock this file moves is the whole sandbox's; the next file's reset of a shared one puts it back.
    $script:sandbox = Start-TestSandbox -Mailboxes $mailboxes -ExtraArguments '--page-link-lifetime', '60s'
    Import-ExoAdmin
    Connect-TestTenant -Sandbox $sandbox -PageSize $pageSize

    # Runs a read whose pipeline moves the sandbox's clock 2 minutes further ahead on the first object, and returns what
    # the pipeline received, the error that ended the read and the Exchange requests it made. The clock only ever moves
    # forward: back, it would make tokens and links issued meanwhile look issued in the future.
    $script:clockOffset = 0
    function script:Invoke-SlowRead([scriptblock] $Read) {
        Clear-SandboxStats -Sandbox $sandbox
        $received = [System.Collections.Generic.List[object]]::new()
        $failure = $null
        try {
            & $Read | ForEach-Object {
                if ($received.Count -eq 0) {
                    $script:clockOffset += 120
                    Set-SandboxClock -Sandbox $sandbox -OffsetSeconds $clockOffset
                }
                $received.Add($_)
            }
        }
        catch { $failure = $_ }
        [pscustomobject]@{ Received = $received; Error = $failure; Requests = (Get-SandboxStats -Sandbox $sandbox).total }
    }
}

AfterAll {
    Disconnect-ExchangeOnline -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module ExoAdmin -ErrorAction SilentlyContinue
    $sandbox | Stop-ExoSandbox
}

Describe 'A next link that expired before the read followed it' {
    It '<Cmdlet> fails once with ExoPageLinkExpired naming itself and the count written, without retrying' -ForEach @(
        @{ Cmdlet = 'Get-EXOMailbox'; Read = { Get-EXOMailbox -ResultSize Unlimited -ErrorAction Stop } }
        @{ Cmdlet = 'Get-Mailbox'; Read = { Get-Mailbox -ResultSize Unlimited -ErrorAction Stop } }
    ) {
        $run = Invoke-SlowRead $Read

        $run.Error | Should -Not -BeNullOrEmpty -Because 'a link past its lifetime must end the read'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'ExoPageLinkExpired*'
        $run.Error.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $written = $run.Received.Count
        $written | Should -BeGreaterOrEqual $pageSize
        $written | Should -BeLessThan $mailboxes
        $written % $pageSize | Should -Be 0 -Because 'every page read before the expired link is written whole, nothing more'
        $run.Error.Exception.Message | Should -BeLike "$Cmdlet stopped after writing $written object(s): the service's link to the next page had expired (*Expired or Invalid pagination request. Default Expiry time is 00:01:00*"
        $run.Error.Exception.Message | Should -BeLike '*too slow for the service*'
        # One request per page written, and one for the expired link: it was not sent again.
        $run.Requests | Should -Be ($written / $pageSize + 1)
    }

    It 'the same read within the link lifetime returns every mailbox' {
        Clear-SandboxStats -Sandbox $sandbox
        @(Get-EXOMailbox -ResultSize Unlimited).Count | Should -Be $mailboxes
        # The last page is full and has no next link: one request per page.
        (Get-SandboxStats -Sandbox $sandbox).total | Should -Be ($mailboxes / $pageSize)
    }
}
