using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>
/// Reads the cmdlets of the service's module file (§18.1) without running or fully parsing it: a reader made for the
/// shape, because PowerShell's parser takes most of a second on the several-hundred-cmdlet file an organization
/// administrator gets. It finds each top-level <c>function</c> (any scope qualifier; the
/// "# .ExternalHelp" line before it or a help comment inside it), reads [CmdletBinding()] and the param block (Parameter,
/// Alias and type attributes, in any order and across lines; defaults and other attributes skipped) when the cmdlet's
/// parameters are first asked for, and walks past every other statement and function body by its brackets, strings
/// and comments. Text it cannot follow is a
/// <see cref="ModuleFileFormatException"/>, and PowerShell's parser then reads it instead: the whole file when its outline
/// is not followed, the one function when its param block is not.
/// </summary>
public static class ModuleFileReader
{
    private static readonly Regex ExternalHelp = new(@"\.ExternalHelp\s+(?<file>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static IReadOnlyList<ServiceCmdlet> Read(string moduleText)
    {
        var scanner = new ScriptScanner(moduleText);
        string? pendingHelp = null;
        scanner.OnLineComment = comment => pendingHelp = HelpFileIn(comment) ?? pendingHelp;
        scanner.OnBlockComment = comment => pendingHelp = HelpFileIn(comment) ?? pendingHelp;
        var cmdlets = new List<ServiceCmdlet>();
        var atStatementStart = true;
        while (true)
        {
            scanner.SkipTrivia();
            if (scanner.AtEnd)
            {
                return cmdlets;
            }

            if (atStatementStart && (scanner.AtWord("function") || scanner.AtWord("filter")))
            {
                cmdlets.Add(ReadFunction(scanner, pendingHelp));
                pendingHelp = null;
                atStatementStart = true;
                continue;
            }

            var c = scanner.Current;
            var lineBefore = scanner.Position;
            scanner.SkipElement();
            atStatementStart = c is ';' or '}' || EndsLine(moduleText, lineBefore, scanner.Position);
            if (!atStatementStart)
            {
                pendingHelp = null; // the help line belongs to the function right after it
            }
        }
    }

    private static bool EndsLine(string text, int from, int to)
    {
        // A statement ends at a line break; SkipTrivia stops before the next element, so a break after this one starts a statement.
        for (var i = to; i < text.Length; i++)
        {
            switch (text[i])
            {
                case ' ' or '\t':
                    continue;
                case '\n' or '\r':
                    return true;
                default:
                    return false;
            }
        }

        return true;
    }

    private static string? HelpFileIn(string comment)
    {
        var match = ExternalHelp.Match(comment);
        return match.Success ? match.Groups["file"].Value : null;
    }

    private static ServiceCmdlet ReadFunction(ScriptScanner scanner, string? helpFile)
    {
        var functionStart = scanner.Position;
        scanner.Position += scanner.AtWord("function") ? "function".Length : "filter".Length;
        scanner.SkipTrivia();
        var name = WithoutScope(scanner.ReadUntil("{("));
        if (name.Length == 0)
        {
            throw scanner.Error("a function has no name");
        }

        scanner.SkipTrivia();
        var parameterList = -1; // where the '(' of the parameters is: after the name (function Get-X($a)), or in a param block
        if (scanner.Current == '(')
        {
            parameterList = scanner.Position;
            scanner.SkipGroup();
            scanner.SkipTrivia();
        }

        if (scanner.Current != '{')
        {
            throw scanner.Error($"the body of function {name} expected, found {scanner.Describe()}");
        }

        var bodyStart = scanner.Position;
        scanner.Position++;

        // A help comment inside the body may name the help file (the sandbox's older shape did).
        var help = helpFile;
        var previousLine = scanner.OnLineComment;
        var previousBlock = scanner.OnBlockComment;
        scanner.OnLineComment = comment => help ??= HelpFileIn(comment);
        scanner.OnBlockComment = comment => help ??= HelpFileIn(comment);
        var binding = CmdletBindingInfo.None;
        try
        {
            scanner.SkipTrivia();
            while (scanner.Current == '[')
            {
                var attribute = ReadAttribute(scanner);
                if (attribute.Is("CmdletBinding"))
                {
                    binding = new CmdletBindingInfo(
                        declared: true,
                        attribute.Text("DefaultParameterSetName"),
                        attribute.Flag("SupportsShouldProcess"),
                        attribute.Text("ConfirmImpact"),
                        attribute.Flag("PositionalBinding"));
                }

                scanner.SkipTrivia();
            }

            if (scanner.AtWord("param"))
            {
                scanner.Position += "param".Length;
                scanner.SkipTrivia();
                if (scanner.Current != '(')
                {
                    throw scanner.Error($"'(' expected after param, found {scanner.Describe()}");
                }

                parameterList = scanner.Position;
            }
        }
        finally
        {
            scanner.OnLineComment = previousLine;
            scanner.OnBlockComment = previousBlock;
        }

        // The rest of the body is code: walked past, never read. The parameters are read when first asked for.
        scanner.Position = bodyStart;
        scanner.SkipGroup();
        var text = scanner.Text;
        var functionEnd = scanner.Position;
        // A plain text search, far cheaper than reading the parameters; a mention in a comment only costs that read.
        var mayNameSets = parameterList >= 0 && text.IndexOf("ParameterSetName", parameterList, functionEnd - parameterList, StringComparison.OrdinalIgnoreCase) >= 0;
        return new ServiceCmdlet(name, help, binding, () =>
        {
            if (parameterList < 0)
            {
                return Array.Empty<ServiceParameter>();
            }

            try
            {
                return ReadParameters(new ScriptScanner(text) { Position = parameterList + 1 });
            }
            catch (ModuleFileFormatException)
            {
                // A declaration this reader does not follow: PowerShell's parser reads this one function.
                var function = PowerShellAstReader.Read(text.Substring(functionStart, functionEnd - functionStart));
                if (function.Count != 1)
                {
                    throw;
                }

                return function[0].Parameters;
            }
        }, mayNameSets);
    }

    private static string WithoutScope(string name)
    {
        var colon = name.IndexOf(':');
        if (colon > 0)
        {
            var scope = name.Substring(0, colon);
            if (scope.Equals("script", StringComparison.OrdinalIgnoreCase) || scope.Equals("global", StringComparison.OrdinalIgnoreCase)
                || scope.Equals("local", StringComparison.OrdinalIgnoreCase) || scope.Equals("private", StringComparison.OrdinalIgnoreCase))
            {
                return name.Substring(colon + 1);
            }
        }

        return name;
    }

    /// <summary>Reads parameters up to and including the closing ')'.</summary>
    private static IReadOnlyList<ServiceParameter> ReadParameters(ScriptScanner scanner)
    {
        var parameters = new List<ServiceParameter>();
        var setNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase); // one string per set name
        while (true)
        {
            scanner.SkipTrivia();
            if (scanner.Current == ')')
            {
                scanner.Position++;
                return parameters;
            }

            string? typeName = null;
            var aliases = new List<string>();
            var bindings = new List<ParameterBinding>();
            while (scanner.Current == '[')
            {
                var attribute = ReadAttribute(scanner);
                if (attribute.IsTypeConstraint)
                {
                    typeName = attribute.Name;
                }
                else if (attribute.Is("Parameter"))
                {
                    var set = attribute.Text("ParameterSetName");
                    if (set is not null)
                    {
                        set = setNames.TryGetValue(set, out var known) ? known : setNames[set] = set;
                    }

                    bindings.Add(new ParameterBinding(
                        set,
                        attribute.Flag("Mandatory") ?? false,
                        attribute.Integer("Position"),
                        attribute.Flag("ValueFromPipeline") ?? false,
                        attribute.Flag("ValueFromPipelineByPropertyName") ?? false));
                }
                else if (attribute.Is("Alias"))
                {
                    aliases.AddRange(attribute.Positional);
                }

                scanner.SkipTrivia();
            }

            if (scanner.Current != '$')
            {
                throw scanner.Error($"a parameter variable expected, found {scanner.Describe()}");
            }

            var name = scanner.Peek() == '{' ? scanner.ReadBracedName() : ReadVariableName(scanner);
            scanner.SkipTrivia();
            if (scanner.Current == '=')
            {
                scanner.Position++;
                SkipExpression(scanner);
            }

            parameters.Add(new ServiceParameter(name, typeName, aliases.ToArray(), bindings.Count == 0 ? new[] { ParameterBinding.AllSets } : bindings.ToArray()));
            scanner.SkipTrivia();
            if (scanner.Current == ',')
            {
                scanner.Position++;
            }
            else if (scanner.Current != ')')
            {
                throw scanner.Error($"',' or ')' expected after parameter ${name}, found {scanner.Describe()}");
            }
        }
    }

    private static string ReadVariableName(ScriptScanner scanner)
    {
        scanner.Position++; // '$'
        var name = scanner.ReadIdentifier();
        var colon = name.IndexOf(':');
        return colon >= 0 ? name.Substring(colon + 1) : name;
    }

    /// <summary>A default value: everything up to the ',' or ')' that ends it.</summary>
    private static void SkipExpression(ScriptScanner scanner)
    {
        while (true)
        {
            scanner.SkipTrivia();
            if (scanner.AtEnd || scanner.Current == ',' || scanner.Current == ')')
            {
                return;
            }

            scanner.SkipElement();
        }
    }

    /// <summary>Reads [Name], [Name(arguments)] or a type constraint such as [string[]] or [System.Nullable[bool]].</summary>
    private static AttributeText ReadAttribute(ScriptScanner scanner)
    {
        var start = scanner.Position;
        scanner.Position++; // '['
        scanner.SkipTrivia();
        var nameStart = scanner.Position;
        var depth = 0;
        while (!scanner.AtEnd && !(depth == 0 && (scanner.Current == ']' || scanner.Current == '(')))
        {
            if (scanner.Current == '[')
            {
                depth++;
            }
            else if (scanner.Current == ']')
            {
                depth--;
            }

            scanner.Position++;
        }

        var name = scanner.TextBetween(nameStart, scanner.Position).Trim();
        if (scanner.Current == ']')
        {
            scanner.Position++;
            return new AttributeText(name, isTypeConstraint: !AttributeText.IsKnownAttribute(name));
        }

        if (scanner.AtEnd)
        {
            scanner.Position = start;
            throw scanner.Error("'[' is never closed");
        }

        scanner.Position++; // '('
        var attribute = new AttributeText(name, isTypeConstraint: false);
        while (true)
        {
            scanner.SkipTrivia();
            if (scanner.Current == ')')
            {
                scanner.Position++;
                break;
            }

            if (char.IsLetter(scanner.Current))
            {
                var argumentStart = scanner.Position;
                var argument = scanner.ReadIdentifier();
                scanner.SkipTrivia();
                if (scanner.Current == '=')
                {
                    scanner.Position++;
                    scanner.SkipTrivia();
                    attribute.Named[argument] = ReadValue(scanner);
                }
                else if (scanner.Current is ',' or ')')
                {
                    attribute.Named[argument] = "$true"; // [Parameter(Mandatory)]
                }
                else
                {
                    scanner.Position = argumentStart;
                    attribute.Positional.AddRange(ReadValues(scanner));
                }
            }
            else
            {
                attribute.Positional.AddRange(ReadValues(scanner));
            }

            scanner.SkipTrivia();
            if (scanner.Current == ',')
            {
                scanner.Position++;
            }
            else if (scanner.Current != ')')
            {
                throw scanner.Error($"',' or ')' expected in [{name}(…)], found {scanner.Describe()}");
            }
        }

        scanner.SkipTrivia();
        scanner.Expect(']');
        return attribute;
    }

    /// <summary>A value, or @(…) / ('a','b') of values (Alias takes lists).</summary>
    private static IEnumerable<string> ReadValues(ScriptScanner scanner)
    {
        if ((scanner.Current == '@' && scanner.Peek() == '(') || scanner.Current == '(')
        {
            scanner.Position += scanner.Current == '@' ? 2 : 1;
            var values = new List<string>();
            while (true)
            {
                scanner.SkipTrivia();
                if (scanner.Current == ')')
                {
                    scanner.Position++;
                    return values;
                }

                if (scanner.AtEnd)
                {
                    throw scanner.Error("a list of values is never closed");
                }

                values.AddRange(ReadValues(scanner));
                scanner.SkipTrivia();
                if (scanner.Current == ',')
                {
                    scanner.Position++;
                }
            }
        }

        return new[] { ReadValue(scanner) };
    }

    /// <summary>A string's value, a variable as "$name", a number, [Type]::Member as "Member", or a word; other expressions skipped.</summary>
    private static string ReadValue(ScriptScanner scanner)
    {
        var c = scanner.Current;
        if (ScriptScanner.IsSingleQuote(c))
        {
            return scanner.ReadSingleQuoted();
        }

        if (ScriptScanner.IsDoubleQuote(c))
        {
            return scanner.ReadDoubleQuoted();
        }

        if (c == '$')
        {
            scanner.Position++;
            return "$" + scanner.ReadIdentifier();
        }

        if (c == '[')
        {
            scanner.SkipGroup(); // [ConfirmImpact]::High
            if (scanner.Current == ':' && scanner.Peek() == ':')
            {
                scanner.Position += 2;
                return scanner.ReadIdentifier();
            }

            return string.Empty;
        }

        if (c == '{' || c == '(')
        {
            scanner.SkipGroup(); // a script block (ValidateScript, ArgumentCompleter) or an expression
            return string.Empty;
        }

        var start = scanner.Position;
        while (!scanner.AtEnd && scanner.Current != ',' && scanner.Current != ')' && !char.IsWhiteSpace(scanner.Current))
        {
            scanner.SkipElement();
        }

        return scanner.TextBetween(start, scanner.Position);
    }

    /// <summary>One attribute as written: its name, named arguments as text, positional arguments.</summary>
    private sealed class AttributeText
    {
        private static readonly HashSet<string> Attributes = new(StringComparer.OrdinalIgnoreCase)
        {
            "Parameter", "CmdletBinding", "Alias", "AllowNull", "AllowEmptyString", "AllowEmptyCollection", "SupportsWildcards",
            "OutputType", "PSDefaultValue", "Obsolete", "ValidateNotNull", "ValidateNotNullOrEmpty", "ValidateNotNullOrWhiteSpace",
            "ValidateTrustedData", "ValidateDrive", "ValidateUserDrive",
        };

        public AttributeText(string name, bool isTypeConstraint)
        {
            Name = name;
            IsTypeConstraint = isTypeConstraint;
        }

        public string Name { get; }

        public bool IsTypeConstraint { get; }

        public Dictionary<string, string> Named { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Positional { get; } = new();

        public static bool IsKnownAttribute(string name)
        {
            var shortName = name.StartsWith("System.Management.Automation.", StringComparison.OrdinalIgnoreCase) ? name.Substring(29) : name;
            if (shortName.EndsWith("Attribute", StringComparison.OrdinalIgnoreCase))
            {
                shortName = shortName.Substring(0, shortName.Length - 9);
            }

            return Attributes.Contains(shortName);
        }

        public bool Is(string attribute) =>
            !IsTypeConstraint && (Name.Equals(attribute, StringComparison.OrdinalIgnoreCase)
                || Name.Equals(attribute + "Attribute", StringComparison.OrdinalIgnoreCase)
                || Name.Equals("System.Management.Automation." + attribute, StringComparison.OrdinalIgnoreCase)
                || Name.Equals("System.Management.Automation." + attribute + "Attribute", StringComparison.OrdinalIgnoreCase));

        public string? Text(string argument) => Named.TryGetValue(argument, out var value) ? value : null;

        /// <summary>$true / $false / 1 / 0; null when absent or not a constant.</summary>
        public bool? Flag(string argument) => Text(argument)?.ToLowerInvariant() switch
        {
            null => null,
            "$true" or "1" or "true" => true,
            "$false" or "0" or "false" => false,
            _ => null,
        };

        public int? Integer(string argument) =>
            int.TryParse(Text(argument), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
