using System;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Marks a parameter a compiled classic cmdlet takes from the service's cmdlet catalogue (the source generator puts it
/// there): ExoAdmin sends it as given, and its meaning is the service's. The help builder describes such a parameter
/// from here when the cmdlet's page does not, pointing to Microsoft's reference.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ServiceParameterAttribute : Attribute
{
    public ServiceParameterAttribute(string cmdletName, string parameterName, string serviceTypeName)
    {
        CmdletName = cmdletName;
        ParameterName = parameterName;
        ServiceTypeName = serviceTypeName;
    }

    public string CmdletName { get; }

    public string ParameterName { get; }

    /// <summary>The type the service's reference gives (MultiValuedProperty, Unlimited, MailboxIdParameter…).</summary>
    public string ServiceTypeName { get; }

    /// <summary>A help description for a page that has none of its own.</summary>
    public string Description =>
        $"Sent to the service's {CmdletName} as given; the service's reference types it {ServiceTypeName}. Microsoft's reference describes it: "
        + $"https://learn.microsoft.com/powershell/module/exchange/{CmdletName.ToLowerInvariant()}#-{ParameterName.ToLowerInvariant()}";
}
