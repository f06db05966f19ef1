using ExoAdmin.Sandbox.Hosting;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>One tenant with more mailboxes than the 1000 a page or a default ResultSize may hold.</summary>
public sealed class LargeSandboxFixture : SandboxFixture
{
    public const int LargeCount = 2100;

    internal override SandboxOptions Options => new() { Tenants = [Contoso], MailboxesPerTenant = LargeCount };
}
