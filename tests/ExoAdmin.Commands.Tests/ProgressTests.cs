using System.Management.Automation;
using System.Web;
using ExoAdmin.Commands.Infrastructure;
using ExoAdmin.Engine.Model;
using ExoAdmin.Engine.OData;

namespace ExoAdmin.Commands.Tests;

/// <summary>What a paged read reports as progress, and when the cmdlet layer considers the host interactive.</summary>
public class ProgressTests
{
    [Fact]
    public async Task A_paged_read_reports_count_rate_and_page_and_completes_once()
    {
        var service = new FakeService((request, _) =>
        {
            var skip = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["$skiptoken"] ?? "0");
            var end = Math.Min(250, skip + 100);
            var next = end < 250 ? $"https://exo.test/adminapi/beta/t/Mailbox?$skiptoken={end}" : null;
            return Task.FromResult(FakeService.Json(TestClients.MailboxPage(Enumerable.Range(skip + 1, end - skip), next)));
        });
        var sink = new RecordingSink();

        await new ODataPager(TestClients.Create(service), pageSize: 100).ReadAsync(
            new Uri("https://exo.test/adminapi/beta/t/Mailbox"), ResultSize.Unlimited,
            new ObjectMaterializer(EdmModel.Instance.GetType("Mailbox"), "ExoAdmin.Mailbox"), "req", sink, CancellationToken.None);

        var records = sink.Progress.ToList();
        Assert.All(records, r => Assert.Equal("Reading Mailbox", r.Activity));
        Assert.All(records, r => Assert.Equal(1, r.ActivityId));
        // Each page announces itself with the count so far.
        Assert.Contains(records, r => r.StatusDescription.StartsWith("0 read, ", StringComparison.Ordinal) && r.StatusDescription.EndsWith("page 1", StringComparison.Ordinal));
        Assert.Contains(records, r => r.StatusDescription.StartsWith("100 read, ", StringComparison.Ordinal) && r.StatusDescription.EndsWith("page 2", StringComparison.Ordinal));
        Assert.Contains(records, r => r.StatusDescription.StartsWith("200 read, ", StringComparison.Ordinal) && r.StatusDescription.EndsWith("page 3", StringComparison.Ordinal));
        Assert.All(records, r => Assert.Matches(@"^[\d,]+ read, [\d,]+/s, page \d$", r.StatusDescription));
        var last = records.Last();
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.StartsWith("250 read", last.StatusDescription, StringComparison.Ordinal);
        Assert.Single(records, r => r.RecordType == ProgressRecordType.Completed);
        // Throttled: far fewer records than objects.
        Assert.True(records.Count < 20, $"{records.Count} progress records for 250 objects");
    }

    [Theory]
    [InlineData(new[] { "pwsh", "-NonInteractive", "-File", "x.ps1" }, true)]
    [InlineData(new[] { "pwsh", "-noni", "-c", "1" }, true)]
    [InlineData(new[] { "pwsh", "/NonInteractive" }, true)]
    [InlineData(new[] { "pwsh", "--noninteractive" }, true)]
    [InlineData(new[] { "pwsh", "-NoProfile" }, false)]
    [InlineData(new[] { "pwsh", "-File", "x.ps1", "-NonInteractive" }, false)]
    [InlineData(new[] { "pwsh", "-non" }, false)]
    public void NonInteractive_is_recognised_as_pwsh_parses_it(string[] arguments, bool expected)
    {
        Assert.Equal(expected, InteractiveHost.StartedNonInteractive(arguments));
    }

    [Fact]
    public void Hosts_without_a_user_interface_are_not_interactive()
    {
        Assert.False(InteractiveHost.IsInteractive(null));
    }
}
