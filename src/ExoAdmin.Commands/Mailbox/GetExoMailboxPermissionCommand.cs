using System;
using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>Get-EXOMailboxPermission: who has FullAccess and other rights on a mailbox.</summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxPermission", DefaultParameterSetName = DefaultSet)]
[OutputType("ExoAdmin.MailboxPermission")]
public sealed class GetExoMailboxPermissionCommand : GetExoCmdlet
{
    // Microsoft's two sets: Default has only -ResultSize (the service reads one mailbox at a time, so it fails asking for
    // one, as here); Identity names the mailbox.
    private const string DefaultSet = "Default";
    private const string IdentitySet = "Identity";

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public override string? Identity { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? UserPrincipalName { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? PrimarySmtpAddress { get; set; }

    [Parameter(ParameterSetName = IdentitySet, ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    [Parameter(ParameterSetName = IdentitySet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? User { get; set; }

    [Parameter(ParameterSetName = IdentitySet)]
    public SwitchParameter Owner { get; set; }

    [Parameter(ParameterSetName = IdentitySet)]
    public SwitchParameter SoftDeletedMailbox { get; set; }

    [Parameter]
    public Unlimited ResultSize { get; set; } = new(1000);

    protected override void ProcessRecord()
    {
        var identity = RequireIdentity(ExternalDirectoryObjectId?.ToString());
        var connection = ResolveConnection();
        var (user, owner, softDeleted, resultSize) = (User, Owner.IsPresent, SoftDeletedMailbox.IsPresent, ResultSize.ToResultSize());
        RunItem((sink, cancellation) => MailboxDetailOperations.GetMailboxPermissionsAsync(
            connection, identity, user, owner, softDeleted, resultSize, sink, cancellation), identity);
    }
}
