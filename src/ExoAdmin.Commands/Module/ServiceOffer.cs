using System;
using System.Collections.Generic;
using System.Management.Automation;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Sessions;

namespace ExoAdmin.Commands.Module;

/// <summary>
/// What the service offers a connection, checked before anything is sent: the cmdlet must be in its module file (the role
/// and -CommandName decide), and each parameter in that cmdlet's declaration there (Exchange's roles can give a cmdlet
/// with only some of its parameters). A compiled cmdlet has every parameter the service has for anyone; this is where
/// it refuses, clearly, the ones this connection's role lacks.
/// </summary>
internal static class ServiceOffer
{
    public static void Check(ExoConnection connection, string cmdletName, IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        var module = connection.Module;
        if (module is null)
        {
            return; // the service did not say: it alone decides
        }

        if (!module.Offers(cmdletName))
        {
            throw new ExoException(
                $"The cmdlet '{cmdletName}' is not available on this connection: the role assigned to you does not include it, or Connect-ExchangeOnline -CommandName left it out.",
                "CmdletNotAvailable", ErrorCategory.PermissionDenied, cmdletName);
        }

        var declared = module.Find(cmdletName);
        if (declared is null)
        {
            return; // offered without a declaration: the service checks the parameters
        }

        foreach (var parameter in parameters)
        {
            if (declared.Find(parameter.Key) is null && !Cmdlet.CommonParameters.Contains(parameter.Key) && !Cmdlet.OptionalCommonParameters.Contains(parameter.Key))
            {
                throw new ExoException(
                    $"The parameter -{parameter.Key} of {cmdletName} is not available on this connection: the role assigned to you gives {cmdletName} {declared.Parameters.Count} parameters, not this one (the service's module file for this connection lists them). Nothing was sent.",
                    "ParameterNotAvailable", ErrorCategory.PermissionDenied, parameter.Key);
            }
        }
    }
}
