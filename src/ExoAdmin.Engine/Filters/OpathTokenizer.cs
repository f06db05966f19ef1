using System;
using System.Collections.Generic;
using System.Text;
using ExoAdmin.Engine.Errors;

namespace ExoAdmin.Engine.Filters;

internal enum OpathTokenKind
{
    Word,
    Operator,
    String,
    Variable,
    OpenParen,
    CloseParen,
}

internal readonly struct OpathToken
{
    public OpathToken(OpathTokenKind kind, string text)
    {
        Kind = kind;
        Text = text;
    }

    public OpathTokenKind Kind { get; }

    public string Text { get; }
}

/// <summary>Splits OPATH text into words, -operators, quoted strings, $variables and parentheses.</summary>
internal static class OpathTokenizer
{
    public static IReadOnlyList<OpathToken> Tokenize(string text, string original)
    {
        var tokens = new List<OpathToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(' || c == ')')
            {
                tokens.Add(new OpathToken(c == '(' ? OpathTokenKind.OpenParen : OpathTokenKind.CloseParen, c.ToString()));
                i++;
            }
            else if (c == '\'' || c == '"')
            {
                tokens.Add(new OpathToken(OpathTokenKind.String, ReadQuoted(text, ref i, original)));
            }
            else if (c == '-' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                var start = i++;
                while (i < text.Length && char.IsLetter(text[i]))
                {
                    i++;
                }

                tokens.Add(new OpathToken(OpathTokenKind.Operator, text.Substring(start, i - start)));
            }
            else if (c == '$')
            {
                var start = ++i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new OpathToken(OpathTokenKind.Variable, text.Substring(start, i - start)));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '(' && text[i] != ')' && text[i] != '\'' && text[i] != '"')
                {
                    i++;
                }

                tokens.Add(new OpathToken(OpathTokenKind.Word, text.Substring(start, i - start)));
            }
        }

        return tokens;
    }

    /// <summary>A quoted string; a doubled quote inside stands for one.</summary>
    private static string ReadQuoted(string text, ref int i, string original)
    {
        var quote = text[i++];
        var value = new StringBuilder();
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }

        throw Failures.InvalidArgument($"The filter \"{original}\" is not valid: a quoted value is not closed.", "InvalidFilter", original);
    }
}
