using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ExoAdmin.Engine.Operations;

/// <summary>Builds the Get-EXO* URLs of notes §6.3: base64 keys with isEncoded=true, and query options.</summary>
internal sealed class ODataUrl
{
    private readonly StringBuilder _path;
    private readonly List<KeyValuePair<string, string>> _query = new();

    private ODataUrl(Uri apiBase, string entitySet)
    {
        ApiBase = apiBase;
        _path = new StringBuilder(entitySet);
    }

    public Uri ApiBase { get; }

    public static ODataUrl For(Uri apiBase, string entitySet) => new(apiBase, entitySet);

    /// <summary>Identities travel base64-encoded (UTF-8) inside the key, paired with isEncoded=true.</summary>
    public ODataUrl Key(string identity)
    {
        PathKey(identity);
        return Option("isEncoded", "true");
    }

    /// <summary>Appends a path segment as given ("/MailboxPermission", "/Exchange.GetMailboxStatistics()").</summary>
    public ODataUrl Path(string segment)
    {
        _path.Append(segment);
        return this;
    }

    /// <summary>A key on a later segment: ('base64'), with '=' as %3D as the original's OData client sends it (§6.3).</summary>
    public ODataUrl PathKey(string identity)
    {
        _path.Append("('").Append(Uri.EscapeDataString(EncodeIdentity(identity))).Append("')");
        return this;
    }

    public ODataUrl Option(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _query.Add(new KeyValuePair<string, string>(name, value!));
        }

        return this;
    }

    public ODataUrl ListOption(string name, IEnumerable<string>? values) =>
        Option(name, values is null ? null : string.Join(",", values.Where(v => !string.IsNullOrWhiteSpace(v))));

    public Uri Build()
    {
        var text = new StringBuilder(_path.ToString());
        for (var i = 0; i < _query.Count; i++)
        {
            text.Append(i == 0 ? '?' : '&')
                .Append(_query[i].Key)
                .Append('=')
                .Append(EscapeOptionValue(_query[i].Value));
        }

        return new Uri(ApiBase, text.ToString());
    }

    internal static string EncodeIdentity(string identity) => Convert.ToBase64String(Encoding.UTF8.GetBytes(identity));

    // Commas separate list values and stay readable; everything else that is not unreserved is escaped.
    private static string EscapeOptionValue(string value) => Uri.EscapeDataString(value).Replace("%2C", ",");
}
