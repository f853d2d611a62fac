using Fractal.Functions.Identity;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.OAuth.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Infrastructure;

public static class TestAppExtensions
{
    public static string Issuer(this TestApp app) => app.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The shared bearer validator, as a protected resource at <paramref name="audience"/> runs it.</summary>
    public static Task<BearerValidation> ValidateAsync(this TestApp app, string token, string audience) =>
        app.Services.GetRequiredService<BearerTokenValidator>().ValidateAsync(token, app.Issuer(), audience, CancellationToken.None);

    public static async Task DisableUserAsync(this TestApp app, TenantId tenant, string userId)
    {
        var users = app.Services.GetRequiredService<UserStore>();
        var user = (await users.FindAsync(tenant, userId))!;
        user.Enabled = false;
        await users.TryUpdateAsync(user);
    }
}
