using System.Net;

namespace ExoAdmin.Sandbox.Tests.Infrastructure;

/// <summary>
/// One sandbox for the test classes that need only the default one (<see cref="SandboxFixture"/>), as the Pester
/// workers share theirs: a start costs over a second of CPU (its RSA keys above all), and a class fixture each made
/// eighteen of them. The classes run one after another (one collection, beside the other collections), and each begins
/// with the sandbox reset to exactly as it started (POST /_sandbox/reset, whose completeness ResetTests guards).
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedSandbox : ICollectionFixture<SharedSandbox.Fixture>
{
    public const string Name = "Shared sandbox";

    public sealed class Fixture : SandboxFixture
    {
        private readonly object _gate = new();
        private Type? _user;

        /// <summary>
        /// The sandbox for a test of <paramref name="testClass"/>: reset when that class's first test asks (a class's
        /// tests run together), as it is for the rest of them.
        /// </summary>
        public SandboxFixture For(Type testClass)
        {
            lock (_gate)
            {
                if (_user != testClass)
                {
                    // Off the test's synchronization context: a constructor cannot await.
                    Task.Run(ResetAsync).GetAwaiter().GetResult();
                    _user = testClass;
                }
            }

            return this;
        }

        private async Task ResetAsync()
        {
            using var response = await this.ControlAsync(HttpMethod.Post, "/reset");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The reset failed: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
