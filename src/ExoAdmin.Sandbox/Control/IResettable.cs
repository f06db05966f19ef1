using Microsoft.Extensions.DependencyInjection;

namespace ExoAdmin.Sandbox.Control;

/// <summary>
/// A service holding run-time state that <c>POST /_sandbox/reset</c> returns to how the sandbox started (faults,
/// budgets, the audit log, counters, sign-ins in progress, revoked tokens). Register it with
/// <see cref="ResettableRegistration.AddResettable{T}(IServiceCollection)"/> so the reset reaches it; the tenants'
/// data is not such a service but is seeded anew (<see cref="Data.TenantStore.Reseed"/>). A test
/// (<c>ResetTests.Every_singleton_that_holds_state_is_reset</c>) fails for a singleton that holds state and is neither.
/// </summary>
internal interface IResettable
{
    void Reset();
}

internal static class ResettableRegistration
{
    /// <summary>Registers <typeparamref name="T"/> as a singleton that the reset returns to its start.</summary>
    public static IServiceCollection AddResettable<T>(this IServiceCollection services)
        where T : class, IResettable =>
        services.AddSingleton<T>().AddSingleton<IResettable>(provider => provider.GetRequiredService<T>());

    /// <inheritdoc cref="AddResettable{T}(IServiceCollection)"/>
    public static IServiceCollection AddResettable<T>(this IServiceCollection services, Func<IServiceProvider, T> create)
        where T : class, IResettable =>
        services.AddSingleton(create).AddSingleton<IResettable>(provider => provider.GetRequiredService<T>());
}
