using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Text.Json;
using ExoAdmin.Commands.Module;
using ExoAdmin.Engine.ModuleFile;
using ExoAdmin.Engine.Operations;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Tests;

/// <summary>
/// Commands made from the service's module file, in a real runspace against an in-memory service: their syntax is the
/// service's, they live in a module ExoAdmin owns, they shadow nothing, and piped items fan out in order.
/// </summary>
public sealed class ServiceCommandsTests : IDisposable
{
    private const string ModuleText = """
        function Execute-Command { param($CmdletName) Invoke-WebRequest https://evil.example }

        # .ExternalHelp Microsoft.Exchange.Widgets-Help.xml
        function script:Get-Widget
        {
            [CmdletBinding(DefaultParameterSetName='Identity')]
            param(
            [Parameter(ParameterSetName='Identity', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
            [System.Object]
            ${Identity},

            [Parameter(ParameterSetName='AnrSet')]
            [string]
            ${Anr},

            [Parameter(ParameterSetName='Identity')]
            [Parameter(ParameterSetName='AnrSet')]
            [Alias('Size')]
            [System.Object]
            ${ResultSize},

            [ValidateScript({ Remove-Item -Recurse / })]
            [System.IO.FileInfo] $Path = (Get-Secret)
            )
            Process { Execute-Command -CmdletName 'Get-Widget' }
        }

        # .ExternalHelp Microsoft.Exchange.Widgets-Help.xml
        function script:Remove-Widget
        {
            [CmdletBinding(SupportsShouldProcess=$true, ConfirmImpact='High')]
            param(
            [Parameter(Mandatory=$true, Position=0, ValueFromPipeline=$true)]
            [string] ${Identity},
            [switch] ${Force},
            [System.Security.SecureString] ${Password}
            )
        }

        function script:ConvertTo-SecureString { param([string] ${String}) }
        function script:Get-Credential { param([string] ${UserName}) }
        # .ExternalHelp Microsoft.Exchange.RolesAndAccess-Help.xml
        function script:Get-Mailbox
        {
            [CmdletBinding(DefaultParameterSetName='Identity')]
            param(
            [Parameter(ParameterSetName='Identity', Position=0, ValueFromPipeline=$true, ValueFromPipelineByPropertyName=$true)]
            [string] ${Identity},

            [Parameter(Position=0)]
            [Alias('ea', 'anr', 'Preview')]
            [bool] ${IncludePreview},

            [Parameter(ParameterSetName='PreviewSet', Mandatory=$true)]
            [switch] ${PreviewOnly}
            )
        }
        function script:Get-Widget2 { param([string] ${Identity}) }
        """;

    private static readonly string[] Exported = ["Get-Widget", "Remove-Widget", "ConvertTo-SecureString", "Get-Credential", "Get-Mailbox", "Get-Widget2"];

    private readonly Runspace _runspace;
    private readonly ConcurrentQueue<JsonElement> _bodies = new();
    private int _inFlight;
    private int _maxInFlight;

    public ServiceCommandsTests()
    {
        var state = InitialSessionState.CreateDefault2();
        // ExoAdmin's compiled cmdlets, as the module would have them (Get-Mailbox among them).
        state.Commands.Add(new SessionStateCmdletEntry("Get-Mailbox", typeof(ExoAdmin.Commands.Mailbox.GetMailboxCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Connect-TestService", typeof(ConnectTestServiceCommand), null));
        // PowerShell's own commands under names the module file also exports, and a function a script defined.
        state.Commands.Add(new SessionStateCmdletEntry("ConvertTo-SecureString", typeof(Microsoft.PowerShell.Commands.ConvertToSecureStringCommand), null));
        state.Commands.Add(new SessionStateCmdletEntry("Get-Credential", typeof(Microsoft.PowerShell.Commands.GetCredentialCommand), null));
        state.Commands.Add(new SessionStateFunctionEntry("Get-Widget2", "'the session''s own'"));
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
    }

    public void Dispose() => _runspace.Dispose();

    /// <summary>Answers InvokeCommand with one object per call, named after the Identity sent, after a delay that lets calls overlap.</summary>
    private FakeService Service() => new(async (request, cancellation) =>
    {
        var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellation)).RootElement.Clone();
        _bodies.Enqueue(body);
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            await Task.Delay(30, cancellation);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var parameters = body.GetProperty("CmdletInput").GetProperty("Parameters");
        var identity = parameters.TryGetProperty("Identity", out var id) ? id.GetString() : "none";
        if (identity == "nobody")
        {
            return FakeService.Json("""{"error":{"code":"NotFound","message":"x","details":[{"code":"13","message":"Ex1|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn't find object \"nobody\".","target":"nobody"}]}}""", HttpStatusCode.NotFound);
        }

        if (parameters.TryGetProperty("Confirm", out var confirm) && confirm.GetBoolean())
        {
            return FakeService.Json($$"""{"@odata.context":"x","value":[],"@adminapi.confirmationmessage":"Removing widget \"{{identity}}\"."}""");
        }

        return FakeService.Json($$"""{"@odata.context":"x","value":[{"Identity":"{{identity}}","Name":"{{identity}}"}]}""");
    });

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private Collection<PSObject> Run(string script, out PSDataStreams streams, string prefix = "")
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddCommand("Connect-TestService").AddParameter("Service", Service()).AddParameter("ModuleText", ModuleText).AddParameter("Exported", Exported).AddParameter("Prefix", prefix);
        shell.Invoke();
        Assert.Empty(shell.Streams.Error);
        shell.Commands.Clear();
        shell.AddScript(script);
        var output = shell.Invoke();
        streams = shell.Streams;
        return output;
    }

    [Fact]
    public void Commands_have_the_services_syntax_and_live_in_a_module_ExoAdmin_owns()
    {
        var output = Run("""
            (Get-Command -Module ExoAdmin.Exchange).Name -join ','
            (Get-Command Get-Widget).Source
            Get-Command Get-Widget -Syntax
            (Get-Command Get-Widget).Parameters['ResultSize'].Aliases -join ','
            (Get-Command Get-Widget).Parameters['Anr'].ParameterType.Name
            (Get-Command Remove-Widget).Parameters['Password'].ParameterType.Name
            @((Get-Command Get-Widget).Parameters['Path'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateArgumentsAttribute] }).Count
            """, out var streams);

        Assert.Empty(streams.Error);
        Assert.Equal("Get-Widget,Remove-Widget", output[0].ToString()); // the other three keep their commands
        Assert.Equal("ExoAdmin.Exchange", output[1].ToString());
        var syntax = output[2].ToString();
        Assert.Contains("Get-Widget [[-Identity] <Object>] [-ResultSize <Object>] [-Path <Object>] [<CommonParameters>]", syntax);
        Assert.Contains("Get-Widget [-Anr <string>] [-ResultSize <Object>] [-Path <Object>] [<CommonParameters>]", syntax);
        Assert.Equal("Size", output[3].ToString());
        Assert.Equal("String", output[4].ToString());
        Assert.Equal("SecureString", output[5].ToString());
        Assert.Equal("0", output[6].ToString()); // the declaration is kept; its script (and its default) are not
    }

    [Fact]
    public void Making_a_command_with_one_parameter_set_reads_none_of_its_parameters()
    {
        // The param block is one the reader refuses: reading it would throw, so connecting must not read it.
        var cmdlet = Assert.Single(ModuleFileReader.Read("function script:Set-Thing { [CmdletBinding(SupportsShouldProcess=$true)] param([string] X) }"));

        var script = ServiceFunctionBuilder.Build(cmdlet).ToString();

        Assert.Contains("SupportsShouldProcess = $true", script);
        Assert.DoesNotContain("DefaultParameterSetName", script);
    }

    [Fact]
    public void Names_that_exist_keep_their_command()
    {
        var output = Run("""
            (Get-Command ConvertTo-SecureString).CommandType
            (Get-Command Get-Credential).CommandType
            (Get-Command Get-Mailbox).CommandType
            (ConvertTo-SecureString 'x' -AsPlainText -Force).GetType().Name
            (Get-Command Get-Credential).ImplementingType.FullName
            Get-Widget2
            """, out var streams);

        Assert.Empty(streams.Error);
        Assert.Equal(["Cmdlet", "Cmdlet", "Cmdlet", "SecureString", "Microsoft.PowerShell.Commands.GetCredentialCommand", "the session's own"], output.Select(o => o.ToString()));
    }

    [Fact]
    public void Piped_items_fan_out_and_come_back_in_input_order()
    {
        var identities = Enumerable.Range(1, 60).Select(i => $"w{i:D2}").ToArray();

        var output = Run($"'{string.Join("','", identities)}' | Get-Widget | ForEach-Object Name", out var streams);

        Assert.Empty(streams.Error);
        Assert.Equal(identities, output.Select(o => o.ToString()));
        Assert.True(_maxInFlight > 1, $"at most {_maxInFlight} request(s) were in flight");
        Assert.True(_maxInFlight <= ExoConnection.DefaultMaxConcurrency);
        Assert.All(_bodies, b => Assert.Equal("Get-Widget", b.GetProperty("CmdletInput").GetProperty("CmdletName").GetString()));
    }

    [Fact]
    public void Verbose_names_the_cmdlet_and_the_identity_of_each_item_in_input_order()
    {
        var identities = Enumerable.Range(1, 12).Select(i => $"w{i:D2}").ToArray();

        var output = Run($"'{string.Join("','", identities)}' | Get-Widget -Verbose 4>&1 | Where-Object {{ $_ -is [System.Management.Automation.VerboseRecord] }} | ForEach-Object Message", out var streams);

        Assert.Empty(streams.Error);
        var named = output.Select(o => o.ToString()).Where(line => line.StartsWith("POST ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(identities.Select(i => $"(Get-Widget '{i}')"), named.Select(line => line.Substring(line.LastIndexOf(" (", StringComparison.Ordinal) + 1)));
        Assert.True(_maxInFlight > 1, $"at most {_maxInFlight} request(s) were in flight");
    }

    [Fact]
    public void Output_carries_the_service_type_name_and_errors_read_as_Exchanges()
    {
        var output = Run("""
            $items = 'alpha', 'nobody', 'beta' | Get-Widget -ErrorVariable failed -ErrorAction SilentlyContinue
            $items | ForEach-Object { $_.PSObject.TypeNames[0] }
            $failed[0].CategoryInfo.Category
            $failed[0].CategoryInfo.Reason
            $failed[0].CategoryInfo.Activity
            $failed[0].TargetObject
            $failed[0].FullyQualifiedErrorId
            $failed[0].InvocationInfo.MyCommand.Name
            """, out _);

        Assert.Equal("ExoAdmin.Widget", output[0].ToString());
        Assert.Equal("ExoAdmin.Widget", output[1].ToString());
        Assert.Equal("ObjectNotFound", output[2].ToString());
        Assert.Equal("ManagementObjectNotFoundException", output[3].ToString());
        Assert.Equal("Get-Widget", output[4].ToString());
        Assert.Equal("nobody", output[5].ToString());
        Assert.Equal("Ex1[Server=,RequestId=,TimeStamp=],Get-Widget", output[6].ToString());
        Assert.Equal("Get-Widget", output[7].ToString());
    }

    [Fact]
    public void WhatIf_asks_the_service_and_sends_nothing_and_a_missing_target_fails_as_for_real()
    {
        var output = Run("""
            'alpha', 'nobody' | Remove-Widget -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count
            $failed[0].CategoryInfo.Reason
            """, out _);

        var bodies = _bodies.ToArray();
        Assert.All(bodies, b => Assert.True(b.GetProperty("CmdletInput").GetProperty("Parameters").GetProperty("Confirm").GetBoolean()));
        Assert.Equal(2, bodies.Length); // two probes, no change sent
        Assert.Equal(["1", "ManagementObjectNotFoundException"], output.Select(o => o.ToString()));
    }

    [Fact]
    public void A_change_that_will_not_be_shown_is_sent_once_with_Confirm_false()
    {
        Run("'alpha', 'beta' | Remove-Widget -Confirm:$false -Force", out var streams);

        Assert.Empty(streams.Error);
        var parameters = _bodies.Select(b => b.GetProperty("CmdletInput").GetProperty("Parameters")).ToArray();
        Assert.Equal(2, parameters.Length);
        Assert.All(parameters, p => Assert.False(p.GetProperty("Confirm").GetBoolean()));
        Assert.All(parameters, p => Assert.True(p.GetProperty("Force").GetBoolean()));
    }

    [Fact]
    public void A_prefix_goes_on_the_noun_covers_compiled_cmdlets_and_names_the_module()
    {
        var output = Run("(Get-Command -Module ExoAdmin.Exchange.Fab).Name -join ','", out var streams, prefix: "Fab");

        Assert.Empty(streams.Error);
        Assert.Equal("ConvertTo-FabSecureString,Get-FabCredential,Get-FabMailbox,Get-FabWidget,Get-FabWidget2,Remove-FabWidget", output[0].ToString());
    }

    [Fact]
    public void Connecting_again_replaces_the_module_and_Remove_Module_takes_the_commands_away()
    {
        var output = Run("""
            @(Get-Module ExoAdmin.Exchange).Count
            Remove-Module ExoAdmin.Exchange
            [bool](Get-Command Get-Widget -ErrorAction SilentlyContinue)
            """, out var streams);
        Run("", out _); // connects again in the same runspace

        Assert.Equal(["1", "False"], output.Select(o => o.ToString()));
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        Assert.Single(shell.AddScript("Get-Module ExoAdmin.Exchange").Invoke());
    }

    [Fact]
    public void A_compiled_cmdlet_takes_a_parameter_the_module_file_has_beyond_the_catalogue_and_sends_it()
    {
        var output = Run("""
            $parameter = (Get-Command Get-Mailbox).Parameters['IncludePreview']
            $parameter.ParameterType.Name
            $parameter.Aliases -join ','
            @($parameter.ParameterSets.Values | Where-Object Position -ge 0).Count
            (Get-Command Get-Mailbox).Parameters['Identity'].ParameterType.Name
            (Get-Mailbox w1 -Preview $true).Name
            (Get-Mailbox w2 -PreviewOnly).Name
            """, out var streams);

        Assert.Empty(streams.Error);
        // Its own type and its alias; the aliases and the position the compiled cmdlet (and PowerShell) already hold are not taken.
        // -PreviewOnly's set is not the compiled cmdlet's, so it is in every set: it can go with the compiled -Identity.
        Assert.Equal(["Boolean", "Preview", "0", "String", "w1", "w2"], output.Select(o => o.ToString()));
        var sent = _bodies.Select(b => b.GetProperty("CmdletInput")).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.All(sent, b => Assert.Equal("Get-Mailbox", b.GetProperty("CmdletName").GetString()));
        Assert.True(sent[0].GetProperty("Parameters").GetProperty("IncludePreview").GetBoolean());
        Assert.True(sent[1].GetProperty("Parameters").GetProperty("PreviewOnly").GetBoolean());
        Assert.Equal("w2", sent[1].GetProperty("Parameters").GetProperty("Identity").GetString());
    }

    [Fact]
    public void A_compiled_cmdlet_refuses_a_catalogue_parameter_the_module_file_lacks_before_sending()
    {
        var output = Run("""
            try { Get-Mailbox w1 -Archive } catch { $failed = $_ }
            $failed.FullyQualifiedErrorId.Split(',')[0]
            $failed.CategoryInfo.Category
            $failed.TargetObject
            """, out _);

        Assert.Equal(["ParameterNotAvailable", "PermissionDenied", "Archive"], output.Select(o => o.ToString()));
        Assert.Empty(_bodies);
    }

    [Fact]
    public void Without_a_connection_a_compiled_cmdlet_has_only_its_compiled_parameters()
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        var output = shell.AddScript("(Get-Command Get-Mailbox).Parameters.ContainsKey('IncludePreview')").Invoke();

        Assert.Equal("False", Assert.Single(output).ToString());
    }

    /// <summary>Registers a connection to the fake service in the runspace and makes its commands, as Connect-ExchangeOnline does.</summary>
    [Cmdlet("Connect", "TestService")]
    public sealed class ConnectTestServiceCommand : PSCmdlet
    {
        [Parameter(Mandatory = true)]
        public object? Service { get; set; }

        [Parameter(Mandatory = true)]
        public string? ModuleText { get; set; }

        [Parameter(Mandatory = true)]
        public string[]? Exported { get; set; }

        [Parameter]
        [AllowEmptyString]
        public string Prefix { get; set; } = string.Empty;

        protected override void EndProcessing()
        {
            var sessions = RunspaceSessions.Current;
            var connection = TestConnections.Create((FakeService)Service!, Prefix);
            connection.Module = ServiceModule.Read(new ExoModuleFile(ModuleText!, Exported!));
            sessions.Add(connection);
            ServiceCommands.Expose(this, connection, sessions);
        }
    }
}
