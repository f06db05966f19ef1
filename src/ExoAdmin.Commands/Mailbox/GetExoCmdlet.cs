using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Commands.Mailbox;

/// <summary>
/// Base of the nine Get-EXO* cmdlets. Each declares Microsoft's parameters with Microsoft's sets and positions (their
/// identity parameters differ from cmdlet to cmdlet, so each declares its own); this base resolves the mailbox they
/// name and refuses, before anything is sent, the parameters Microsoft's reference lists that the REST service has no
/// request for, with the words Microsoft's module uses ("X is not a supported parameter.") and what to use instead.
/// </summary>
public abstract class GetExoCmdlet : ConnectedCmdlet
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>The mailbox (or recipient) by name, alias, address, GUID or distinguished name.</summary>
    public abstract string? Identity { get; set; }

    /// <summary>The mailbox by user principal name.</summary>
    public abstract string? UserPrincipalName { get; set; }

    /// <summary>The mailbox by primary SMTP address.</summary>
    public abstract string? PrimarySmtpAddress { get; set; }

    /// <summary>
    /// Microsoft's parameters of this cmdlet that no REST request carries, each with what to do instead. Microsoft's
    /// own module refuses them too (notes §6.3); they are declared so scripts get this answer rather than "a parameter
    /// cannot be found".
    /// </summary>
    private protected virtual IReadOnlyDictionary<string, string> Unsupported => None;

    protected override void BeginProcessing()
    {
        foreach (var parameter in Unsupported)
        {
            if (MyInvocation.BoundParameters.ContainsKey(parameter.Key))
            {
                ThrowTerminatingError(Failures.InvalidArgument(
                    $"{parameter.Key} is not a supported parameter. {parameter.Value}", "ParameterNotSupported", parameter.Key).ToErrorRecord());
            }
        }
    }

    /// <summary>The identity by the original's precedence (a cmdlet's own preferred one first), or null for a list.</summary>
    protected string? OptionalIdentity(string? preferred = null) =>
        NullIfEmpty(preferred) ?? NullIfEmpty(UserPrincipalName) ?? NullIfEmpty(PrimarySmtpAddress) ?? NullIfEmpty(Identity);

    /// <summary>The identity by the original's precedence; a missing one is a terminating error.</summary>
    protected string RequireIdentity(string? preferred = null) =>
        OptionalIdentity(preferred)
        ?? Guard<string>(() => throw Failures.InvalidArgument(
            $"{MyInvocation.MyCommand.Name} needs a mailbox: give -Identity, -UserPrincipalName or -PrimarySmtpAddress, or pipe mailboxes in.", "IdentityMissing", null));

    protected static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>A reserved parameter's answer: Microsoft reserves it for its own use, and no request carries it.</summary>
    private protected const string ReservedForMicrosoft = "Microsoft reserves it for its own use and no REST request carries it; Microsoft's module refuses it the same way.";
}
