using System.Reflection;

namespace ExoAdmin.Sandbox.Data;

/// <summary>The embedded first- and last-name lists that generated people are drawn from.</summary>
internal static class NamePools
{
    private static readonly Lazy<string[]> FirstNameList = new(() => Load("first-names.txt"));
    private static readonly Lazy<string[]> LastNameList = new(() => Load("last-names.txt"));

    public static IReadOnlyList<string> FirstNames => FirstNameList.Value;

    public static IReadOnlyList<string> LastNames => LastNameList.Value;

    private static string[] Load(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{resourceName}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
