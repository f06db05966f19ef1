using System;
using System.Management.Automation;
using ExoAdmin.Commands.Completion;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Operations;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// Get-EXOMailboxFolderPermission -Identity 'alex:\Calendar'. The mailbox may also be named by -ExternalDirectoryObjectId,
/// -UserPrincipalName or -PrimarySmtpAddress (in that order of precedence), with the folder after ':\' as for -Identity;
/// without a folder the mailbox's top folder is read.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EXOMailboxFolderPermission")]
[OutputType("ExoAdmin.MailboxFolderPermission")]
public sealed class GetExoMailboxFolderPermissionCommand : GetExoCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ValidateIdentity]
    public override string? Identity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? UserPrincipalName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string? PrimarySmtpAddress { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid? ExternalDirectoryObjectId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(MailboxIdentityCompleter))]
    public string? User { get; set; }

    /// <summary>The folder is in a Microsoft 365 group's mailbox (the service's GroupMailbox option).</summary>
    [Parameter]
    public SwitchParameter GroupMailbox { get; set; }

    protected override void ProcessRecord()
    {
        var connection = ResolveConnection();
        var (identity, user, groupMailbox) = (RequireIdentity(ExternalDirectoryObjectId?.ToString()), User, GroupMailbox.IsPresent);
        RunItem((sink, cancellation) => MailboxDetailOperations.GetFolderPermissionsAsync(connection, identity, user, groupMailbox, sink, cancellation), identity);
    }
}
