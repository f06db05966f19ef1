using System.Globalization;
using System.Text;
using ExoAdmin.Sandbox.Data;
using ExoAdmin.Sandbox.Edm;

namespace ExoAdmin.Sandbox.Exchange;

/// <summary>
/// Evaluates OData $filter as the Get-EXO* endpoints receive it: the subset clients convert OPATH into
/// (eq ne lt gt le ge, and or not, parentheses, startswith endswith contains, and Collection/any(d:…) on
/// multi-valued properties). Text compares case-insensitively, as Exchange does. Property names are checked
/// against the schema type, so a typo is a 400 with the property named, never an empty result.
/// </summary>
internal sealed class ODataFilter
{
    private readonly Func<Func<string, object?>, object?> _root;

    private ODataFilter(Func<Func<string, object?>, object?> root) => _root = root;

    /// <exception cref="ExchangeErrorException">400 when the filter cannot be parsed or names an unknown property.</exception>
    public static ODataFilter Parse(string filter, string typeName) => Parse(filter, EdmSchema.Instance.GetType(typeName));

    /// <summary>For shapes the schema has no type for (a classic cmdlet's output), with their own filterable properties.</summary>
    public static ODataFilter Parse(string filter, EdmStructuredType type) => new(new Parser(filter, type).ParseAll());

    public bool Matches(Func<string, object?> property) => _root(property) is true;

    /// <summary>Keeps the items a filter accepts; all of them when there is no filter.</summary>
    public static IEnumerable<PropertyBag> Apply(string? filter, IEnumerable<PropertyBag> items, string typeName)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return items;
        }

        var parsed = Parse(filter, typeName);
        return items.Where(item => parsed.Matches(item.Get));
    }

    private sealed class Parser(string text, EdmStructuredType type)
    {
        private readonly List<string> _tokens = Tokenize(text);
        private readonly Stack<string> _lambdaVariables = new();
        private int _position;

        public Func<Func<string, object?>, object?> ParseAll()
        {
            var expression = ParseOr();
            if (_position < _tokens.Count)
            {
                throw Invalid($"unexpected '{_tokens[_position]}'");
            }

            return expression;
        }

        private Func<Func<string, object?>, object?> ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                var (l, r) = (left, ParseAnd());
                left = p => l(p) is true || r(p) is true;
            }

            return left;
        }

        private Func<Func<string, object?>, object?> ParseAnd()
        {
            var left = ParseUnary();
            while (TryKeyword("and"))
            {
                var (l, r) = (left, ParseUnary());
                left = p => l(p) is true && r(p) is true;
            }

            return left;
        }

        private Func<Func<string, object?>, object?> ParseUnary()
        {
            if (TryKeyword("not"))
            {
                var inner = ParseUnary();
                return p => inner(p) is not true;
            }

            return ParseComparison();
        }

        private Func<Func<string, object?>, object?> ParseComparison()
        {
            var left = ParseOperand();
            if (_position < _tokens.Count && Operators.Contains(_tokens[_position].ToLowerInvariant()))
            {
                var op = _tokens[_position++].ToLowerInvariant();
                var right = ParseOperand();
                return p => Compare(left(p), op, right(p));
            }

            return left;
        }

        private Func<Func<string, object?>, object?> ParseOperand()
        {
            var token = Next("a value");
            if (token == "(")
            {
                var inner = ParseOr();
                Expect(")");
                return inner;
            }

            if (token.StartsWith('\''))
            {
                var literal = token[1..^1].Replace("''", "'");
                return _ => literal;
            }

            if (long.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                return _ => number;
            }

            switch (token.ToLowerInvariant())
            {
                case "true":
                    return _ => true;
                case "false":
                    return _ => false;
                case "null":
                    return _ => null;
                case "startswith" or "endswith" or "contains" when Peek("("):
                    return ParseFunction(token.ToLowerInvariant());
            }

            if (Guid.TryParse(token, out var guid))
            {
                return _ => guid;
            }

            if (_lambdaVariables.Contains(token))
            {
                var variable = token;
                return p => p(variable);
            }

            if (!type.TryGetProperty(token, out var property))
            {
                throw new ExchangeErrorException(ExchangeErrors.BadRequest($"Could not find a property named '{token}' on type 'Exchange.{type.Name}'."));
            }

            if (Peek("/"))
            {
                _position++;
                if (!Next("any").Equals("any", StringComparison.OrdinalIgnoreCase))
                {
                    throw Invalid("only the any() lambda is supported on collections");
                }

                Expect("(");
                var variable = Next("a lambda variable");
                Expect(":");
                _lambdaVariables.Push(variable);
                var body = ParseOr();
                _lambdaVariables.Pop();
                Expect(")");
                var name = property.Name;
                return p => p(name) is System.Collections.IEnumerable items and not string
                    && items.Cast<object?>().Any(item => body(n => n == variable ? item : p(n)) is true);
            }

            var propertyName = property.Name;
            return p => p(propertyName);
        }

        private Func<Func<string, object?>, object?> ParseFunction(string name)
        {
            Expect("(");
            var subject = ParseOperand();
            Expect(",");
            var argument = ParseOperand();
            Expect(")");
            return p =>
            {
                if (subject(p) is not { } s || argument(p) is not { } a)
                {
                    return false;
                }

                var (text, part) = (Text(s), Text(a));
                return name switch
                {
                    "startswith" => text.StartsWith(part, StringComparison.OrdinalIgnoreCase),
                    "endswith" => text.EndsWith(part, StringComparison.OrdinalIgnoreCase),
                    _ => text.Contains(part, StringComparison.OrdinalIgnoreCase),
                };
            };
        }

        private static readonly HashSet<string> Operators = ["eq", "ne", "lt", "gt", "le", "ge"];

        private static object Compare(object? left, string op, object? right)
        {
            if (left is null || right is null)
            {
                var same = left is null && right is null;
                return op switch { "eq" => same, "ne" => !same, _ => false };
            }

            var order = (left, right) switch
            {
                (long l, long r) => l.CompareTo(r),
                (bool l, bool r) => l.CompareTo(r),
                (Guid l, _) => string.Compare(l.ToString(), Text(right), StringComparison.OrdinalIgnoreCase),
                _ => string.Compare(Text(left), Text(right), StringComparison.OrdinalIgnoreCase),
            };
            return op switch
            {
                "eq" => order == 0,
                "ne" => order != 0,
                "lt" => order < 0,
                "gt" => order > 0,
                "le" => order <= 0,
                _ => order >= 0,
            };
        }

        private static string Text(object value) => value switch
        {
            bool b => b ? "True" : "False",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };

        private bool TryKeyword(string keyword)
        {
            if (_position < _tokens.Count && _tokens[_position].Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        private bool Peek(string token) => _position < _tokens.Count && _tokens[_position] == token;

        private string Next(string what) =>
            _position < _tokens.Count ? _tokens[_position++] : throw Invalid($"expected {what} at the end");

        private void Expect(string token)
        {
            if (!Peek(token))
            {
                throw Invalid(_position < _tokens.Count ? $"expected '{token}' but found '{_tokens[_position]}'" : $"expected '{token}' at the end");
            }

            _position++;
        }

        private ExchangeErrorException Invalid(string reason) =>
            new(ExchangeErrors.BadRequest($"The query specified in the URI is not valid. $filter \"{text}\": {reason}."));

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
                else if (c is '(' or ')' or ',' or '/' or ':')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == '\'')
                {
                    var literal = new StringBuilder("'");
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new ExchangeErrorException(ExchangeErrors.BadRequest($"The query specified in the URI is not valid. $filter \"{text}\": a text literal is not closed."));
                        }

                        if (text[i] == '\'' && (i + 1 >= text.Length || text[i + 1] != '\''))
                        {
                            break;
                        }

                        if (text[i] == '\'')
                        {
                            literal.Append("''");
                            i += 2;
                            continue;
                        }

                        literal.Append(text[i++]);
                    }

                    tokens.Add(literal.Append('\'').ToString());
                    i++;
                }
                else
                {
                    var start = i;
                    while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '/' or ':' or '\''))
                    {
                        i++;
                    }

                    tokens.Add(text[start..i]);
                }
            }

            return tokens;
        }
    }
}
