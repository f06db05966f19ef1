using System;
using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXORecipientPermission: SendAs permissions, of one recipient or all, optionally for one trustee.</summary>
[Cmdlet(VerbsCommon.Get, "EXORecipientPermission", DefaultParameterSetName = DefaultSet)]
[OutputType("ExoAdmin.RecipientPermission")]
public sealed class GetExoRecipientPermissionCommand : GetExoCmdlet
{
    private const string DefaultSet = "Default";
    private const string IdentitySet = "Identity";

    [Parameter(ParameterSetName = IdentitySet, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public override string? Identity { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? UserPrincipalName { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? PrimarySmtpAddress { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? Trustee { get; set; }

    /// <summary>The rights to list; the service has one, SendAs.</summary>
    [Parameter]
    [ValidateSet("SendAs")]
    public string[]? AccessRights { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    protected override void ProcessRecord()
    {
        var identity = OptionalIdentity(ExternalDirectoryObjectId?.ToString());
        var connection = ResolveConnection();
        var (trustee, resultSize) = (Trustee, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetRecipientPermissionsAsync(
            connection, identity, trustee, resultSize, sink, cancellation), identity);
    }
}
