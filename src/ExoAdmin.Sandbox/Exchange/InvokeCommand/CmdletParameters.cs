using System.Globalization;
using System.Text.Json;

namespace ExoAdmin.Sandbox.Exchange.InvokeCommand;

/// <summary>
/// The "Parameters" object of an InvokeCommand body, bound to a cmdlet: names are matched case-insensitively,
/// annotations ("X@odata.type") are skipped, and values are converted the way PowerShell binding would.
/// </summary>
internal sealed class CmdletParameters
{
    private readonly Dictionary<string, JsonElement> _values;

    private CmdletParameters(Dictionary<string, JsonElement> values) => _values = values;

    /// <exception cref="ExchangeErrorException">A parameter the cmdlet does not have.</exception>
    public static CmdletParameters Bind(ICmdlet cmdlet, JsonElement? parameters)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (parameters is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var parameter in obj.EnumerateObject().Where(p => !p.Name.Contains('@')))
            {
                if (!cmdlet.ParameterNames.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new ExchangeErrorException(ExchangeErrors.ParameterNotFound(parameter.Name));
                }

                values[parameter.Name] = parameter.Value;
            }
        }

        return new CmdletParameters(values);
    }

    /// <summary>A single-valued parameter as text; null when not given.</summary>
    /// <param name="typeName">The parameter's .NET type, named in the binding error.</param>
    public string? GetString(string name, string typeName) =>
        _values.TryGetValue(name, out var value) ? Scalar(name, value, typeName) : null;

    /// <summary>A multi-valued parameter: one value or an array of values; empty when not given.</summary>
    public IReadOnlyList<string> GetStrings(string name, string typeName)
    {
        if (!_values.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => Scalar(name, item, typeName)).ToArray()
            : [Scalar(name, value, typeName)];
    }

    /// <summary>-ResultSize: a positive number (as a JSON number or string) or "Unlimited".</summary>
    public ResultSize GetResultSize()
    {
        const string name = "ResultSize";
        const string typeName = "Microsoft.Exchange.Data.Unlimited`1[System.UInt32]";
        if (GetString(name, typeName) is not { } text)
        {
            return ResultSize.Default;
        }

        if (text.Equals("Unlimited", StringComparison.OrdinalIgnoreCase))
        {
            return new ResultSize(null, IsDefault: false);
        }

        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? new ResultSize(limit, IsDefault: false)
            : throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, text, typeName));
    }

    private static string Scalar(string name, JsonElement value, string typeName) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => throw new ExchangeErrorException(ExchangeErrors.InvalidParameterValue(name, value.GetRawText(), typeName)),
    };
}
