using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Remoting;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Connection;

/// <summary>
/// Signs in to Exchange Online and registers the connection for this runspace, under -Prefix when given.
/// Parameter names, types, positions and defaults follow ExchangeOnlineManagement.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ExchangeOnline")]
public sealed class ConnectExchangeOnlineCommand : ConnectCommandBase
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public override string? ConnectionUri { get; set; }

    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public override string? AzureADAuthorizationEndpointUri { get; set; }

    [Parameter(Position = 2)]
    public override ExchangeEnvironment ExchangeEnvironmentName { get; set; } = ExchangeEnvironment.O365Default;

    [Parameter(Position = 3)]
    public override PSSessionOption? PSSessionOption { get; set; }

    [Parameter(Position = 4)]
    [ValidateNotNullOrEmpty]
    public override string? DelegatedOrganization { get; set; }

    [Parameter(Position = 5)]
    [AllowEmptyString]
    public override string? Prefix { get; set; }

    [Parameter(Position = 6)]
    [ValidateNotNullOrEmpty]
    public override string[]? CommandName { get; set; }

    [Parameter(Position = 7)]
    public override string[]? FormatTypeName { get; set; }

    /// <summary>Device-code sign-in: the code and URL are shown here, the sign-in happens in any browser.</summary>
    [Parameter]
    public SwitchParameter Device { get; set; }

    /// <summary>Asks for the user name and password here, in the console (no MFA), instead of taking a -Credential.</summary>
    [Parameter]
    public SwitchParameter InlineCredential { get; set; }

    /// <summary>Help for the service's cmdlets, from the service's help files (EXOHelpFile).</summary>
    [Parameter]
    public SwitchParameter LoadCmdletHelp { get; set; }

    /// <summary>Default: requests, retries and errors. All: also every cmdlet run on the connection, with its parameters.</summary>
    [Parameter]
    [ValidateSet("Default", "All", IgnoreCase = true)]
    public string? LogLevel { get; set; }

    /// <summary>
    /// How many requests a pipeline may have in flight: pipelined per-identity cmdlets (Get-EXOMailboxStatistics,
    /// Set-Mailbox…) run this many items at once, their output still in input order. 1 runs them one at a time.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int MaxConcurrency { get; set; } = ExoConnection.DefaultMaxConcurrency;

    /// <summary>Objects per page for bulk reads, 1 to 1000.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public uint PageSize { get; set; } = 1000;

    /// <summary>Progress bars for long reads and pipelined changes; only ever shown in interactive hosts.</summary>
    [Parameter]
    public bool ShowProgress { get; set; } = true;

    /// <summary>Signs the temporary module Microsoft's module writes: accepted, without effect (nothing is written).</summary>
    [Parameter]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? SigningCertificate { get; set; }

    /// <summary>Help is only ever loaded with -LoadCmdletHelp, as in Microsoft's module since 3.7.</summary>
    [Parameter]
    public SwitchParameter SkipLoadingCmdletHelp { get; set; }

    /// <summary>Asks the service to leave its format data out of the module file; nothing is loaded at connect either way.</summary>
    [Parameter]
    public SwitchParameter SkipLoadingFormatData { get; set; }

    /// <summary>Adds the process's CPU time and memory to every line of the connection's log.</summary>
    [Parameter]
    public bool TrackPerformance { get; set; }

    /// <summary>$false reads and changes one request at a time (-MaxConcurrency 1).</summary>
    [Parameter]
    public bool UseMultithreading { get; set; } = true;

    private protected override bool IsCompliance => false;

    private protected override ConnectionLogLevel RequestedLogLevel =>
        string.Equals(LogLevel, "All", System.StringComparison.OrdinalIgnoreCase) ? ConnectionLogLevel.All : ConnectionLogLevel.Default;

    private protected override bool TracksPerformance => TrackPerformance;

    private static readonly IReadOnlyDictionary<string, string> OwnWithoutEffect = new Dictionary<string, string>((IDictionary<string, string>)SharedWithoutEffect, System.StringComparer.OrdinalIgnoreCase)
    {
        [nameof(SigningCertificate)] = "it signs the temporary module Microsoft's module writes to disk, and ExoAdmin writes none: the service's cmdlets become commands in memory, which no execution policy checks",
    };

    private protected override IReadOnlyDictionary<string, string> WithoutEffect => OwnWithoutEffect;

    protected override void EndProcessing()
    {
        if (InlineCredential.IsPresent)
        {
            Credential = AskForCredential();
        }

        var request = BuildRequest();
        request.Device = Device.IsPresent;
        request.PageSize = (int)PageSize;
        request.MaxConcurrency = Concurrency();
        request.ShowProgress = ShowProgress;
        request.SkipLoadingFormatData = SkipLoadingFormatData.IsPresent;
        // The classic cmdlets this connection may run come from the service's module file (§3.2): read, never run. It is
        // asked for alongside the connect's own check of the service, one round trip instead of two.
        var connection = Connect(request, async (connected, sink, cancellation) =>
            connected.Module = ServiceModule.Read(await ModuleFileOperations.GetAsync(connected, request.CommandName, sink, cancellation, request.SkipLoadingFormatData).ConfigureAwait(false)));
        ServiceCommands.Expose(this, connection, Sessions);
    }

    /// <summary>-InlineCredential: the user name and password typed here, in the host's own prompt (never a window).</summary>
    private PSCredential AskForCredential()
    {
        if (Credential is not null)
        {
            ThrowTerminatingError(Engine.Errors.Failures.InvalidArgument(
                "Use one way of signing in at a time; -Credential and -InlineCredential were given together.", "ConflictingSignInParameters", null).ToErrorRecord());
        }

        PSCredential? typed = null;
        try
        {
            typed = Host.UI.PromptForCredential(
                "Connect-ExchangeOnline",
                "Sign in to Exchange Online with a user name and password. Accounts that need multi-factor authentication cannot sign in this way: leave out -InlineCredential to sign in in the browser, or use -Device.",
                UserPrincipalName ?? string.Empty,
                string.Empty);
        }
        catch (System.Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(new Engine.Errors.ExoException(
                $"-InlineCredential asks for the password in this console, and this host cannot ask ({ex.Message}) Pass -Credential, or sign in with a certificate or a managed identity.",
                "InlineCredentialNeedsConsole", ErrorCategory.InvalidOperation, null, ex).ToErrorRecord());
        }

        if (typed is null || string.IsNullOrEmpty(typed.UserName))
        {
            ThrowTerminatingError(Engine.Errors.Failures.InvalidArgument("No user name was entered; nothing was sent.", "InlineCredentialEmpty", null).ToErrorRecord());
        }

        return typed!;
    }

    /// <summary>-UseMultithreading:$false is one request at a time; a -MaxConcurrency above 1 beside it contradicts it.</summary>
    private int Concurrency()
    {
        if (UseMultithreading)
        {
            return MaxConcurrency;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(MaxConcurrency)) && MaxConcurrency > 1)
        {
            ThrowTerminatingError(Engine.Errors.Failures.InvalidArgument(
                $"-UseMultithreading:$false runs one request at a time, and -MaxConcurrency {MaxConcurrency} asks for more: give one of them.",
                "ConflictingConcurrency", MaxConcurrency).ToErrorRecord());
        }

        return 1;
    }
}
