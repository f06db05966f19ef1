namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The query options of a request, decoded for reading but also kept as sent, so a next link can repeat
/// every option verbatim and only replace $skiptoken.
/// </summary>
internal sealed class ODataQuery
{
    public const string SkipToken = "$skiptoken";

    private readonly IReadOnlyList<Option> _options;

    private ODataQuery(IReadOnlyList<Option> options) => _options = options;

    public IEnumerable<string> Names => _options.Select(o => o.Name);

    /// <param name="rawQuery">The query string without its leading '?'.</param>
    public static ODataQuery Parse(string rawQuery) =>
        new(rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                return equals < 0
                    ? new Option(pair, Decode(pair), string.Empty)
                    : new Option(pair, Decode(pair[..equals]), Decode(pair[(equals + 1)..]));
            })
            .ToArray());

    /// <summary>The first value of an option, by name (case-insensitive); null when absent.</summary>
    public string? Get(string name) =>
        _options.FirstOrDefault(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>"?…" with every option as sent except $skiptoken, then the new $skiptoken.</summary>
    public string WithSkipToken(string token)
    {
        var kept = _options.Where(o => !o.Name.Equals(SkipToken, StringComparison.OrdinalIgnoreCase)).Select(o => o.Raw);
        return "?" + string.Join('&', kept.Append($"{SkipToken}={Uri.EscapeDataString(token)}"));
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    private sealed record Option(string Raw, string Name, string Value);
}
