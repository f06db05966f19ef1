using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExoAdmin.Sandbox.Catalogue;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// The @adminapi.confirmationmessage of a planned change: Exchange's "&lt;Verb&gt;ing &lt;object&gt; "&lt;identity&gt;"." followed by
/// the values it would set, so -WhatIf says what would change. Secrets show as asterisks, never as given.
/// </summary>
internal static partial class Confirmations
{
    private static readonly Dictionary<string, string> Gerunds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Set"] = "Setting", ["New"] = "Creating", ["Remove"] = "Removing", ["Add"] = "Adding", ["Enable"] = "Enabling",
        ["Disable"] = "Disabling", ["Update"] = "Updating", ["Undo"] = "Restoring",
    };

    /// <summary>"Setting mailbox "alex": CustomAttribute7 = 'x', ProhibitSendQuota = '49GB'."</summary>
    public static string Of(CmdletContext context, string target, params string[] excluded)
    {
        var cmdlet = context.Parameters.Cmdlet;
        var verb = Gerunds.GetValueOrDefault(cmdlet.Verb) ?? cmdlet.Verb + "ing";
        var text = new StringBuilder($"{verb} {Words(cmdlet.Noun)} \"{target}\"");
        var values = context.Parameters.Bound
            .Where(b => !b.Parameter.Name.Equals("Identity", StringComparison.OrdinalIgnoreCase) && !excluded.Contains(b.Parameter.Name, StringComparer.OrdinalIgnoreCase))
            .Select(b => $"{b.Parameter.Name} = {Shown(b.Parameter, b.Value)}")
            .ToArray();
        if (values.Length > 0)
        {
            text.Append(": ").AppendJoin(", ", values);
        }

        return text.Append('.').ToString();
    }

    /// <summary>"MailboxAutoReplyConfiguration" → "mailbox auto reply configuration"; acronyms keep their case ("CAS mailbox").</summary>
    public static string Words(string noun) =>
        string.Join(' ', NounWord().Matches(noun).Select(m => m.Value.Length > 1 && m.Value.All(char.IsUpper) ? m.Value : m.Value.ToLowerInvariant()));

    private static string Shown(CatalogueParameter parameter, JsonElement value) =>
        ParameterTypes.Of(parameter.TypeName).Kind is ParameterKind.SecureString or ParameterKind.Credential ? "'********'"
        : value.ValueKind switch
        {
            JsonValueKind.String => $"'{value.GetString()}'",
            JsonValueKind.True or JsonValueKind.False => "$" + value.GetRawText(),
            JsonValueKind.Null => "$null",
            JsonValueKind.Object => "@{" + string.Join("; ", value.EnumerateObject().Where(p => !p.Name.Contains('@')).Select(p => $"{p.Name}={Plain(p.Value)}")) + "}",
            _ => Plain(value),
        };

    private static string Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"'{value.GetString()}'",
        JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(Plain)),
        _ => value.GetRawText(),
    };

    [GeneratedRegex("[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex NounWord();
}
