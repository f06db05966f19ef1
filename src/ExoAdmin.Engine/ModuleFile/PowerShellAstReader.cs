using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using System.Text.RegularExpressions;

namespace ExoAdmin.Engine.ModuleFile;

/// <summary>
/// Reads the same model as <see cref="ModuleFileReader"/> with PowerShell's own parser: complete, and slow on a large file
/// (most of a second for an organization administrator's). Used when the fast reader meets text it cannot follow, so an
/// unusual module file costs time, never the connection.
/// </summary>
public static class PowerShellAstReader
{
    private static readonly Regex ExternalHelp = new(@"\.ExternalHelp\s+(?<file>\S+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static IReadOnlyList<ServiceCmdlet> Read(string moduleText)
    {
        var ast = Parser.ParseInput(moduleText, out var tokens, out var errors);
        if (errors.Length > 0)
        {
            throw new ModuleFileFormatException($"line {errors[0].Extent.StartLineNumber}: {errors[0].Message}");
        }

        var comments = tokens.Where(t => t.Kind == TokenKind.Comment).ToArray();
        // Top-level functions only, as the fast reader: the module file declares its cmdlets at the top.
        return ast.EndBlock.Statements.OfType<FunctionDefinitionAst>()
            .Select(f => ToCmdlet(f, moduleText, comments))
            .ToArray();
    }

    private static ServiceCmdlet ToCmdlet(FunctionDefinitionAst function, string text, Token[] comments)
    {
        var name = function.Name;
        var colon = name.IndexOf(':');
        if (colon > 0 && name.Substring(0, colon).ToLowerInvariant() is "script" or "global" or "local" or "private")
        {
            name = name.Substring(colon + 1);
        }

        // The "# .ExternalHelp" line right before the function, else a help comment inside it.
        var before = comments.LastOrDefault(c => c.Extent.EndOffset <= function.Extent.StartOffset
            && text.Substring(c.Extent.EndOffset, function.Extent.StartOffset - c.Extent.EndOffset).Trim().Length == 0);
        var help = HelpFile(before?.Text)
            ?? comments.Where(c => c.Extent.StartOffset > function.Extent.StartOffset && c.Extent.EndOffset < function.Extent.EndOffset)
                .Select(c => HelpFile(c.Text)).FirstOrDefault(f => f is not null);

        var paramBlock = function.Body.ParamBlock;
        var binding = CmdletBindingInfo.None;
        var cmdletBinding = paramBlock?.Attributes.FirstOrDefault(a => Is(a.TypeName.Name, "CmdletBinding"));
        if (cmdletBinding is not null)
        {
            binding = new CmdletBindingInfo(
                true,
                Text(cmdletBinding, "DefaultParameterSetName"),
                Flag(cmdletBinding, "SupportsShouldProcess"),
                Text(cmdletBinding, "ConfirmImpact"),
                Flag(cmdletBinding, "PositionalBinding"));
        }

        var parameters = (paramBlock?.Parameters ?? (IEnumerable<ParameterAst>?)function.Parameters ?? Array.Empty<ParameterAst>())
            .Select(ToParameter)
            .ToArray();
        return new ServiceCmdlet(name, help, binding, parameters);
    }

    private static ServiceParameter ToParameter(ParameterAst parameter)
    {
        var type = parameter.Attributes.OfType<TypeConstraintAst>().LastOrDefault()?.TypeName.FullName;
        var aliases = parameter.Attributes.OfType<AttributeAst>().Where(a => Is(a.TypeName.Name, "Alias"))
            .SelectMany(a => a.PositionalArguments.SelectMany(Strings)).ToArray();
        var bindings = parameter.Attributes.OfType<AttributeAst>().Where(a => Is(a.TypeName.Name, "Parameter"))
            .Select(a => new ParameterBinding(
                Text(a, "ParameterSetName"),
                Flag(a, "Mandatory") ?? false,
                int.TryParse(Text(a, "Position"), out var position) ? position : null,
                Flag(a, "ValueFromPipeline") ?? false,
                Flag(a, "ValueFromPipelineByPropertyName") ?? false))
            .ToArray();
        return new ServiceParameter(parameter.Name.VariablePath.UserPath, type, aliases, bindings.Length == 0 ? new[] { ParameterBinding.AllSets } : bindings);
    }

    private static IEnumerable<string> Strings(ExpressionAst expression) => expression switch
    {
        StringConstantExpressionAst text => new[] { text.Value },
        ArrayLiteralAst list => list.Elements.SelectMany(Strings),
        ArrayExpressionAst array => array.SubExpression.Statements.OfType<PipelineAst>()
            .SelectMany(p => p.PipelineElements.OfType<CommandExpressionAst>()).SelectMany(c => Strings(c.Expression)),
        ParenExpressionAst paren when paren.Pipeline is PipelineAst p => p.PipelineElements.OfType<CommandExpressionAst>().SelectMany(c => Strings(c.Expression)),
        _ => Array.Empty<string>(),
    };

    private static string? Text(AttributeAst attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.ArgumentName.Equals(name, StringComparison.OrdinalIgnoreCase));
        return argument?.Argument switch
        {
            null => null,
            StringConstantExpressionAst text => text.Value,
            ConstantExpressionAst constant => Convert.ToString(constant.Value, System.Globalization.CultureInfo.InvariantCulture),
            MemberExpressionAst { Member: StringConstantExpressionAst member } => member.Value, // [ConfirmImpact]::High
            _ => argument.Argument.Extent.Text,
        };
    }

    private static bool? Flag(AttributeAst attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(a => a.ArgumentName.Equals(name, StringComparison.OrdinalIgnoreCase));
        return argument switch
        {
            null => null,
            { ExpressionOmitted: true } => true,
            { Argument: VariableExpressionAst variable } => variable.VariablePath.UserPath.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => null,
            },
            { Argument: ConstantExpressionAst { Value: int number } } => number != 0,
            _ => null,
        };
    }

    private static bool Is(string typeName, string attribute) =>
        typeName.Equals(attribute, StringComparison.OrdinalIgnoreCase) || typeName.Equals(attribute + "Attribute", StringComparison.OrdinalIgnoreCase)
        || typeName.Equals("System.Management.Automation." + attribute, StringComparison.OrdinalIgnoreCase)
        || typeName.Equals("System.Management.Automation." + attribute + "Attribute", StringComparison.OrdinalIgnoreCase);

    private static string? HelpFile(string? comment)
    {
        var match = comment is null ? null : ExternalHelp.Match(comment);
        return match is { Success: true } ? match.Groups["file"].Value : null;
    }
}
