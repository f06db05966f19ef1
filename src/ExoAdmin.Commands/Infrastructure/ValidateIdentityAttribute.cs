using System.Globalization;
using System.Management.Automation;

namespace ExoAdmin.Commands.Infrastructure;

/// <summary>
/// Refuses an -Identity that cannot name anything before it is sent: control characters (a pasted line break, a NUL
/// from a broken CSV) or text longer than any name, address, GUID or distinguished name. PowerShell reports it as a
/// parameter validation error, so a bad pipeline item is skipped with its own error and the others go on.
/// </summary>
public sealed class ValidateIdentityAttribute : ValidateArgumentsAttribute
{
    /// <summary>Longer than any distinguished name Exchange accepts.</summary>
    internal const int MaxLength = 2048;

    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        if (arguments is not string identity)
        {
            return; // null and empty are ValidateNotNullOrEmpty's to report
        }

        if (identity.Length > MaxLength)
        {
            throw new ValidationMetadataException(string.Format(
                CultureInfo.InvariantCulture,
                "The identity is {0:N0} characters long; an identity (a name, alias, email address, GUID or distinguished name) is at most {1:N0}.",
                identity.Length,
                MaxLength));
        }

        for (var i = 0; i < identity.Length; i++)
        {
            if (char.IsControl(identity[i]))
            {
                throw new ValidationMetadataException(string.Format(
                    CultureInfo.InvariantCulture,
                    "The identity '{0}' contains a control character (U+{1:X4}) at position {2}; an identity is a name, alias, email address, GUID or distinguished name.",
                    Printable(identity),
                    (int)identity[i],
                    i + 1));
            }
        }
    }

    private static string Printable(string identity)
    {
        var text = new System.Text.StringBuilder(identity.Length);
        foreach (var c in identity)
        {
            text.Append(char.IsControl(c) ? '?' : c);
        }

        return text.Length > 80 ? text.ToString(0, 80) + "…" : text.ToString();
    }
}
