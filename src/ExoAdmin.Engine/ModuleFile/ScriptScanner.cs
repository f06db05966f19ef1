using System;
using System.Text;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>
/// A cursor over PowerShell script text that knows only what is needed to walk past code without understanding it:
/// comments, the four kinds of string (and here-strings), backtick escapes and nested brackets. The module file reader
/// uses it to find function declarations and read their param blocks; everything else is skipped.
/// </summary>
internal sealed class ScriptScanner
{
    private readonly string _text;

    public ScriptScanner(string text) => _text = text;

    public int Position { get; set; }

    /// <summary>The whole text scanned.</summary>
    public string Text => _text;

    public bool AtEnd => Position >= _text.Length;

    public char Current => Position < _text.Length ? _text[Position] : '\0';

    public char Peek(int ahead = 1) => Position + ahead < _text.Length ? _text[Position + ahead] : '\0';

    /// <summary>1-based line of the cursor, for error messages.</summary>
    public int Line
    {
        get
        {
            var line = 1;
            for (var i = 0; i < Position && i < _text.Length; i++)
            {
                if (_text[i] == '\n')
                {
                    line++;
                }
            }

            return line;
        }
    }

    /// <summary>The text of each line comment skipped, for the "# .ExternalHelp" line; set by the caller.</summary>
    public Action<string>? OnLineComment { get; set; }

    /// <summary>Skips spaces, line breaks, line continuations and comments.</summary>
    public void SkipTrivia()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || c == '\u00A0' || c == '\uFEFF')
            {
                Position++;
            }
            else if (c == '`' && (Peek() == '\n' || Peek() == '\r'))
            {
                Position += 2;
            }
            else if (c == '<' && Peek() == '#')
            {
                SkipBlockComment();
            }
            else if (c == '#')
            {
                var start = Position;
                while (!AtEnd && Current != '\n' && Current != '\r')
                {
                    Position++;
                }

                OnLineComment?.Invoke(_text.Substring(start, Position - start));
            }
            else
            {
                return;
            }
        }
    }

    /// <summary>True when the text at the cursor is this word (any case), followed by something that ends a word.</summary>
    public bool AtWord(string word)
    {
        if (Position + word.Length > _text.Length || string.Compare(_text, Position, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }

        var after = Position + word.Length < _text.Length ? _text[Position + word.Length] : '\0';
        return !IsWordChar(after);
    }

    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '-';

    public string TextBetween(int start, int end) => _text.Substring(start, end - start);

    /// <summary>Reads a run of identifier characters (letters, digits, '_', '.', ':').</summary>
    public string ReadIdentifier()
    {
        var start = Position;
        while (!AtEnd && (char.IsLetterOrDigit(Current) || Current == '_' || Current == '.' || Current == ':'))
        {
            Position++;
        }

        return _text.Substring(start, Position - start);
    }

    /// <summary>Reads what is between the cursor and the next whitespace or one of the stop characters.</summary>
    public string ReadUntil(string stops)
    {
        var start = Position;
        while (!AtEnd && !char.IsWhiteSpace(Current) && stops.IndexOf(Current) < 0)
        {
            Position++;
        }

        return _text.Substring(start, Position - start);
    }

    /// <summary>Reads ${...} (the cursor on '$'), undoing backtick escapes.</summary>
    public string ReadBracedName()
    {
        Position += 2; // "${"
        var name = new StringBuilder();
        while (!AtEnd && Current != '}')
        {
            if (Current == '`' && Position + 1 < _text.Length)
            {
                Position++;
            }

            name.Append(Current);
            Position++;
        }

        Expect('}');
        return name.ToString();
    }

    public void Expect(char c)
    {
        if (Current != c)
        {
            throw Error($"'{c}' expected, found {Describe()}");
        }

        Position++;
    }

    /// <summary>Skips one element of code: a string, a comment, a bracketed group with everything in it, or one character.</summary>
    public void SkipElement()
    {
        var c = Current;
        if (IsSingleQuote(c))
        {
            ReadSingleQuoted();
        }
        else if (IsDoubleQuote(c))
        {
            ReadDoubleQuoted();
        }
        else if (c == '@' && (IsSingleQuote(Peek()) || IsDoubleQuote(Peek())) && IsHereStringStart())
        {
            SkipHereString();
        }
        else if (c == '<' && Peek() == '#')
        {
            SkipBlockComment();
        }
        else if (c == '#')
        {
            SkipTrivia();
        }
        else if (c == '`')
        {
            Position = Math.Min(_text.Length, Position + 2);
        }
        else if (c == '{' || c == '(' || c == '[')
        {
            SkipGroup();
        }
        else if (c == '}' || c == ')' || c == ']')
        {
            throw Error($"unbalanced '{c}'");
        }
        else
        {
            Position++;
        }
    }

    /// <summary>Skips a bracketed group, the cursor on its opener; nested groups, strings and comments included.</summary>
    public void SkipGroup()
    {
        var closer = Closer(Current);
        var start = Position;
        Position++;
        while (true)
        {
            if (AtEnd)
            {
                Position = start;
                throw Error($"'{_text[start]}' is never closed");
            }

            if (Current == closer)
            {
                Position++;
                return;
            }

            SkipElement();
        }
    }

    /// <summary>Reads a single-quoted string (the cursor on its quote) and returns its value ('' is a quote).</summary>
    public string ReadSingleQuoted()
    {
        var start = Position;
        Position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                Position = start;
                throw Error("a quoted string is never closed");
            }

            var c = Current;
            Position++;
            if (IsSingleQuote(c))
            {
                if (IsSingleQuote(Current))
                {
                    value.Append(Current);
                    Position++;
                    continue;
                }

                return value.ToString();
            }

            value.Append(c);
        }
    }

    /// <summary>Reads a double-quoted string (the cursor on its quote): escapes undone, $(…) skipped and kept as written.</summary>
    public string ReadDoubleQuoted()
    {
        var start = Position;
        Position++;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                Position = start;
                throw Error("a quoted string is never closed");
            }

            var c = Current;
            if (c == '`' && Position + 1 < _text.Length)
            {
                value.Append(_text[Position + 1]);
                Position += 2;
            }
            else if (c == '$' && Peek() == '(')
            {
                var from = Position;
                Position++;
                SkipGroup();
                value.Append(_text, from, Position - from);
            }
            else if (IsDoubleQuote(c))
            {
                Position++;
                if (IsDoubleQuote(Current))
                {
                    value.Append(Current);
                    Position++;
                    continue;
                }

                return value.ToString();
            }
            else
            {
                value.Append(c);
                Position++;
            }
        }
    }

    public FormatException Error(string what) => new ModuleFileFormatException($"line {Line}: {what}");

    public string Describe() => AtEnd ? "the end of the file" : $"'{Current}'";

    public static bool IsSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    public static bool IsDoubleQuote(char c) => c is '"' or '\u201C' or '\u201D' or '\u201E';

    private static char Closer(char opener) => opener switch
    {
        '{' => '}',
        '(' => ')',
        _ => ']',
    };

    private bool IsHereStringStart()
    {
        // @' or @" followed by nothing but spaces up to the line break.
        var i = Position + 2;
        while (i < _text.Length && (_text[i] == ' ' || _text[i] == '\t'))
        {
            i++;
        }

        return i < _text.Length && (_text[i] == '\n' || _text[i] == '\r');
    }

    private void SkipHereString()
    {
        var quote = Current == '@' ? Peek() : Current;
        var single = IsSingleQuote(quote);
        var start = Position;
        Position += 2;
        while (!AtEnd)
        {
            if (Current == '\n' || Current == '\r')
            {
                var next = Position + 1;
                if (Current == '\r' && next < _text.Length && _text[next] == '\n')
                {
                    next++;
                }

                if (next + 1 < _text.Length && (single ? IsSingleQuote(_text[next]) : IsDoubleQuote(_text[next])) && _text[next + 1] == '@')
                {
                    Position = next + 2;
                    return;
                }
            }

            Position++;
        }

        Position = start;
        throw Error("a here-string is never closed");
    }

    private void SkipBlockComment()
    {
        var start = Position;
        var end = _text.IndexOf("#>", Position + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("a <# comment is never closed");
        }

        Position = end + 2;
        OnBlockComment?.Invoke(_text.Substring(start, Position - start));
    }

    /// <summary>The text of each block comment skipped (a help comment may name the help file).</summary>
    public Action<string>? OnBlockComment { get; set; }
}

/// <summary>The module file's text is not PowerShell the reader understands.</summary>
public sealed class ModuleFileFormatException : FormatException
{
    public ModuleFileFormatException(string message)
        : base(message)
    {
    }
}
