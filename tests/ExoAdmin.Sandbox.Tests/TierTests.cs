using System.Text.RegularExpressions;

namespace ExoAdmin.Sandbox.Tests;

/// <summary>
/// The test tiers hold by the tests' source: the Unit tier starts no process and no sandbox, and a sandbox test that
/// starts a process says so with the Process trait, which puts it in the E2E tier (build/Tiers.psm1) and keeps
/// '-Tier Sandbox' in-process.
/// </summary>
public sealed partial class TierTests
{
    private static readonly string TestsFolder = Path.Combine(RepositoryRoot(), "tests");

    [Fact]
    public void A_sandbox_test_file_that_starts_a_process_carries_the_Process_trait()
    {
        var untagged = SourceFiles("ExoAdmin.Sandbox.Tests")
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Infrastructure{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => StartsProcess().IsMatch(File.ReadAllText(f)) && !File.ReadAllText(f).Contains("[Trait(\"Category\", \"Process\")]", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();

        Assert.True(untagged.Length == 0, "These start a process without [Trait(\"Category\", \"Process\")]: " + string.Join(", ", untagged));
    }

    [Theory]
    [InlineData("ExoAdmin.Engine.Tests")]
    [InlineData("ExoAdmin.Commands.Tests")]
    public void The_unit_tier_starts_no_process_and_no_sandbox(string project)
    {
        var offending = SourceFiles(project)
            .Where(f => StartsProcess().IsMatch(File.ReadAllText(f)) || File.ReadAllText(f).Contains("ExoAdmin.Sandbox", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToArray();

        Assert.True(offending.Length == 0, $"Unit tests must not start processes or a sandbox: {string.Join(", ", offending)}");
    }

    [Theory]
    [InlineData("ExoAdmin.Engine.Tests")]
    [InlineData("ExoAdmin.Commands.Tests")]
    [InlineData("ExoAdmin.Sandbox.Tests")]
    public void Every_test_lives_in_the_namespace_named_after_its_project(string project)
    {
        // build/Tiers.psm1 runs every project in one 'dotnet test', narrowing a project's own filter to its tests by
        // this namespace: a test outside it would be left out of the run, or run under another project's filter.
        var outside = SourceFiles(project)
            .Where(f => FileNamespace().Match(File.ReadAllText(f)) is var match && (!match.Success ||
                        (match.Groups[1].Value != project && !match.Groups[1].Value.StartsWith(project + ".", StringComparison.Ordinal))))
            .Select(Path.GetFileName)
            .ToArray();

        Assert.True(outside.Length == 0, $"These files of {project} are not in its namespace: {string.Join(", ", outside)}");
    }

    private static IEnumerable<string> SourceFiles(string project) =>
        Directory.EnumerateFiles(Path.Combine(TestsFolder, project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "ExoAdmin.sln")))
        {
            folder = folder.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        return folder.FullName;
    }

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();

    [GeneratedRegex(@"Process\.Start\(|new ProcessStartInfo\(|SandboxProcess\.(StartAsync|RunAsync)\(")]
    private static partial Regex StartsProcess();
}
