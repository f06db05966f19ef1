using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ExoAdmin.Engine.Errors;
using ExoAdmin.Engine.Model;

namespace ExoAdmin.Engine.Filters;

/// <summary>
/// Converts an OPATH -Filter ("DisplayName -like 'Alex*' -and RecipientTypeDetails -eq 'UserMailbox'")
/// into the OData $filter the Get-EXO* endpoints take, as the original module does client-side
/// (protocol notes §6.3): -like with a wildcard at either end becomes startswith/endswith/contains,
/// collection properties use any() lambdas, and only schema properties are allowed.
/// </summary>
public static class OpathFilter
{
    public static string ToOData(string filter, string entityType)
    {
        var type = EdmModel.Instance.GetType(entityType);
        var tokens = OpathTokenizer.Tokenize(Unwrap(filter), filter);
        var parser = new Parser(tokens, type, filter);
        var result = parser.ParseExpression();
        parser.ExpectEnd();
        return result;
    }

    /// <summary>Scripts often pass the filter as "{ ... }"; the braces are not part of OPATH.</summary>
    private static string Unwrap(string filter)
    {
        var text = filter.Trim();
        return text.Length >= 2 && text[0] == '{' && text[text.Length - 1] == '}' ? text.Substring(1, text.Length - 2) : text;
    }

    private sealed class Parser
    {
        private readonly IReadOnlyList<OpathToken> _tokens;
        private readonly EdmStructuredType _type;
        private readonly string _filter;
        private int _position;

        public Parser(IReadOnlyList<OpathToken> tokens, EdmStructuredType type, string filter)
        {
            _tokens = tokens;
            _type = type;
            _filter = filter;
        }

        public string ParseExpression()
        {
            var left = ParseAnd();
            while (TryOperator("-or"))
            {
                left = $"{left} or {ParseAnd()}";
            }

            return left;
        }

        public void ExpectEnd()
        {
            if (_position < _tokens.Count)
            {
                throw Invalid($"unexpected '{_tokens[_position].Text}'");
            }
        }

        private string ParseAnd()
        {
            var left = ParseUnary();
            while (TryOperator("-and"))
            {
                left = $"{left} and {ParseUnary()}";
            }

            return left;
        }

        private string ParseUnary()
        {
            if (TryOperator("-not"))
            {
                return $"not({ParseUnary()})";
            }

            if (Peek(OpathTokenKind.OpenParen))
            {
                _position++;
                var inner = ParseExpression();
                Expect(OpathTokenKind.CloseParen, "')'");
                return $"({inner})";
            }

            return ParseComparison();
        }

        private string ParseComparison()
        {
            var propertyToken = Expect(OpathTokenKind.Word, "a property name");
            var property = _type.Find(propertyToken.Text)
                ?? throw Invalid($"'{propertyToken.Text}' is not a property of {_type.Name}");
            var op = Expect(OpathTokenKind.Operator, "a comparison operator such as -eq or -like").Text.ToLowerInvariant();
            var value = ParseValue();

            switch (op)
            {
                case "-eq" or "-ne" or "-lt" or "-gt" or "-le" or "-ge":
                    return Compare(property, op.Substring(1), value);
                case "-like":
                    return Like(property, value);
                case "-notlike":
                    return $"not({Like(property, value)})";
                default:
                    throw Invalid($"'{op}' is not a supported operator (use -eq -ne -lt -gt -le -ge -like -notlike)");
            }
        }

        private static string Compare(EdmProperty property, string op, OpathValue value)
        {
            if (property.IsCollection)
            {
                return op switch
                {
                    "eq" => $"{property.Name}/any(d:d eq {value.ToLiteral(property)})",
                    "ne" => $"not({property.Name}/any(d:d eq {value.ToLiteral(property)}))",
                    _ => $"{property.Name}/any(d:d {op} {value.ToLiteral(property)})",
                };
            }

            return $"{property.Name} {op} {value.ToLiteral(property)}";
        }

        private string Like(EdmProperty property, OpathValue value)
        {
            if (value.Kind != OpathValueKind.String)
            {
                throw Invalid($"-like needs a text pattern for {property.Name}");
            }

            var pattern = value.Text;
            var starts = pattern.StartsWith("*", StringComparison.Ordinal);
            var ends = pattern.EndsWith("*", StringComparison.Ordinal) && pattern.Length > 1;
            var core = pattern.Trim('*');
            if (core.IndexOf('*') >= 0 || core.IndexOf('?') >= 0)
            {
                throw Invalid($"wildcards are supported only at the start or end of a -like pattern ('{pattern}')");
            }

            var subject = property.IsCollection ? "d" : property.Name;
            var literal = OpathValue.QuoteString(core);
            string test;
            if (core.Length == 0)
            {
                test = $"{subject} ne null";
            }
            else if (starts && ends)
            {
                test = $"contains({subject}, {literal})";
            }
            else if (starts)
            {
                test = $"endswith({subject}, {literal})";
            }
            else if (ends)
            {
                test = $"startswith({subject}, {literal})";
            }
            else
            {
                test = $"{subject} eq {literal}";
            }

            return property.IsCollection ? $"{property.Name}/any(d:{test})" : test;
        }

        private OpathValue ParseValue()
        {
            if (_position >= _tokens.Count)
            {
                throw Invalid("a value is missing at the end");
            }

            var token = _tokens[_position++];
            return token.Kind switch
            {
                OpathTokenKind.String => OpathValue.String(token.Text),
                OpathTokenKind.Variable => OpathValue.FromVariable(token.Text) ?? throw Invalid($"variables such as '${token.Text}' are not expanded inside a filter string; only $true, $false and $null are allowed"),
                OpathTokenKind.Word => OpathValue.Bare(token.Text),
                _ => throw Invalid($"expected a value but found '{token.Text}'"),
            };
        }

        private bool TryOperator(string name)
        {
            if (_position < _tokens.Count && _tokens[_position].Kind == OpathTokenKind.Operator &&
                string.Equals(_tokens[_position].Text, name, StringComparison.OrdinalIgnoreCase))
            {
                _position++;
                return true;
            }

            return false;
        }

        private bool Peek(OpathTokenKind kind) => _position < _tokens.Count && _tokens[_position].Kind == kind;

        private OpathToken Expect(OpathTokenKind kind, string what)
        {
            if (!Peek(kind))
            {
                throw Invalid(_position < _tokens.Count ? $"expected {what} but found '{_tokens[_position].Text}'" : $"expected {what} at the end");
            }

            return _tokens[_position++];
        }

        private ExoException Invalid(string reason) =>
            Failures.InvalidArgument($"The filter \"{_filter}\" is not valid: {reason}.", "InvalidFilter", _filter);
    }
}

internal enum OpathValueKind
{
    String,
    Number,
    Boolean,
    Null,
}

internal readonly struct OpathValue
{
    private OpathValue(OpathValueKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public OpathValueKind Kind { get; }

    public string Text { get; }

    public static OpathValue String(string text) => new(OpathValueKind.String, text);

    /// <summary>An unquoted word: a number, or text (OPATH accepts bare values).</summary>
    public static OpathValue Bare(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? new(OpathValueKind.Number, text) : String(text);

    public static OpathValue? FromVariable(string name) => name.ToLowerInvariant() switch
    {
        "true" => new OpathValue(OpathValueKind.Boolean, "true"),
        "false" => new OpathValue(OpathValueKind.Boolean, "false"),
        "null" => new OpathValue(OpathValueKind.Null, "null"),
        _ => null,
    };

    /// <summary>The OData literal, typed by the property: booleans and numbers bare, text quoted.</summary>
    public string ToLiteral(EdmProperty property)
    {
        switch (Kind)
        {
            case OpathValueKind.Null:
                return "null";
            case OpathValueKind.Boolean when property.ElementType == "Edm.Boolean":
                return Text;
            case OpathValueKind.Boolean:
                return QuoteString(Text == "true" ? "True" : "False"); // §5.2: $true becomes 'True' in text
            case OpathValueKind.Number when property.ElementType is "Edm.Int32" or "Edm.Int64" or "Edm.Int16" or "Edm.Double" or "Edm.Decimal":
                return Text;
            default:
                if (property.ElementType == "Edm.Boolean" && bool.TryParse(Text, out var flag))
                {
                    return flag ? "true" : "false";
                }

                return property.ElementType == "Edm.Guid" && Guid.TryParse(Text, out var guid) ? guid.ToString() : QuoteString(Text);
        }
    }

    public static string QuoteString(string text) => "'" + text.Replace("'", "''") + "'";
}
