namespace ExoAdmin.Engine.Operations;

/// <summary>
/// The options that narrow a Get-EXO* list on the server (notes §6.3): ambiguous name resolution, the
/// organizational unit, and (for recipients) the recipient type.
/// </summary>
public sealed class ListScope
{
    public string? Anr { get; set; }

    public string? OrganizationalUnit { get; set; }

    public string[]? RecipientType { get; set; }

    internal ODataUrl ApplyTo(ODataUrl url) =>
        url.Option("Anr", Anr).Option("OrganizationalUnit", OrganizationalUnit).ListOption("RecipientType", RecipientType);
}
