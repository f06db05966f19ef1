using System.Text;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// The classic cmdlets' -Filter, which travels as OPATH text (§5.2): -eq -ne -lt -gt -le -ge -like -notlike
/// -and -or -not, parentheses, quoted or bare values, $true/$false/$null, wildcards at either end of a -like
/// pattern, multi-valued properties matching when any value does. Translated into the OData filter the
/// Get-EXO* endpoints evaluate, so both API styles filter identically.
/// </summary>
internal static class OpathFilter
{
    /// <exception cref="ExchangeErrorException">400 naming the filter when it does not parse or names an unknown property.</exception>
    public static ODataFilter Parse(string opath, string typeName) => Parse(opath, EdmSchema.Instance.GetType(typeName));

    /// <inheritdoc cref="Parse(string, string)"/>
    public static ODataFilter Parse(string opath, EdmStructuredType type)
    {
        var tokens = Tokenize(opath);
        var position = 0;
        string Fail(string reason) => throw new ExchangeErrorException(ExchangeErrors.InvalidFilter(opath, reason));
        string Next(string what) => position < tokens.Count ? tokens[position++] : Fail($"{what} is missing at the end");
        bool TryOperator(string op)
        {
            if (position < tokens.Count && tokens[position].Equals(op, StringComparison.OrdinalIgnoreCase))
            {
                position++;
                return true;
            }

            return false;
        }

        string Or()
        {
            var left = And();
            while (TryOperator("-or"))
            {
                left = $"{left} or {And()}";
            }

            return left;
        }

        string And()
        {
            var left = Unary();
            while (TryOperator("-and"))
            {
                left = $"{left} and {Unary()}";
            }

            return left;
        }

        string Unary()
        {
            if (TryOperator("-not"))
            {
                return $"not({Unary()})";
            }

            if (TryOperator("("))
            {
                var inner = Or();
                return TryOperator(")") ? $"({inner})" : Fail("a ')' is missing");
            }

            var name = Next("a property name");
            if (!type.TryGetProperty(name, out var property))
            {
                return Fail($"'{name}' is not a recognized filterable property");
            }

            var op = Next("an operator").ToLowerInvariant();
            var value = Literal(Next("a value"));
            var subject = property.IsCollection ? "d" : property.Name;
            string test;
            switch (op)
            {
                case "-eq" or "-ne" or "-lt" or "-gt" or "-le" or "-ge":
                    test = $"{subject} {(op == "-ne" && property.IsCollection ? "eq" : op[1..])} {value}";
                    break;
                case "-like" or "-notlike":
                    if (!value.StartsWith('\''))
                    {
                        return Fail($"-like needs a text pattern for {property.Name}");
                    }

                    var pattern = value[1..^1];
                    var core = pattern.Trim('*');
                    if (core.Contains('*'))
                    {
                        return Fail("wildcards are allowed only at the start or end of a pattern");
                    }

                    test = (pattern.StartsWith('*'), pattern.EndsWith('*') && pattern.Length > 1) switch
                    {
                        _ when core.Length == 0 => $"{subject} ne null",
                        (true, true) => $"contains({subject}, '{core}')",
                        (true, false) => $"endswith({subject}, '{core}')",
                        (false, true) => $"startswith({subject}, '{core}')",
                        _ => $"{subject} eq '{core}'",
                    };
                    break;
                default:
                    return Fail($"'{op}' is not a supported operator");
            }

            if (property.IsCollection)
            {
                test = $"{property.Name}/any(d:{test})";
            }

            return op is "-notlike" || (op == "-ne" && property.IsCollection) ? $"not({test})" : test;
        }

        var odata = Or();
        if (position < tokens.Count)
        {
            Fail($"'{tokens[position]}' is unexpected");
        }

        return ODataFilter.Parse(odata, type);
    }

    private static string Literal(string token) => token switch
    {
        _ when token.StartsWith('\'') || token.StartsWith('"') => "'" + token[1..^1].Replace("'", "''") + "'",
        _ when token.Equals("$true", StringComparison.OrdinalIgnoreCase) => "true",
        _ when token.Equals("$false", StringComparison.OrdinalIgnoreCase) => "false",
        _ when token.Equals("$null", StringComparison.OrdinalIgnoreCase) => "null",
        _ when long.TryParse(token, out _) => token,
        _ => "'" + token.Replace("'", "''") + "'",
    };

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '\'' or '"')
            {
                var literal = new StringBuilder();
                i++;
                while (i < text.Length && !(text[i] == c && (i + 1 >= text.Length || text[i + 1] != c)))
                {
                    if (text[i] == c)
                    {
                        i++;
                    }

                    literal.Append(text[i++]);
                }

                if (i >= text.Length)
                {
                    throw new ExchangeErrorException(ExchangeErrors.InvalidFilter(text, "a quoted value is not closed"));
                }

                i++;
                tokens.Add("'" + literal + "'");
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }
}
