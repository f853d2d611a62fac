using System.Net;
using Fractal.Functions.Hosting.Demo;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Hosting;

public sealed class DemoSeedTests
{
    [Fact]
    public async Task Seeding_twice_changes_nothing_and_reports_the_same_consumer_and_working_users()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(azurite: azurite);
        var seeder = app.Services.GetRequiredService<DemoSeeder>();

        var first = await seeder.SeedAsync();
        var second = await seeder.SeedAsync();

        Assert.Equal(first.Consumer.ClientId, second.Consumer.ClientId);
        Assert.Equal(first.Consumer.ClientSecret, second.Consumer.ClientSecret);
        Assert.Contains("https://chatgpt.com/connector_platform_oauth_redirect", second.Consumer.CallbackUrls);
        Assert.Contains("https://claude.ai/api/mcp/auth_callback", second.Consumer.CallbackUrls);
        Assert.Contains("https://claude.com/api/mcp/auth_callback", second.Consumer.CallbackUrls);
        Assert.Equal(4, second.Users.Count);

        using var browser = new BrowserlessSession(app);
        foreach (var user in second.Users)
        {
            using var response = await browser.SignInAsync(user.Email, user.Password);
            Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        }
    }

    [Fact]
    public async Task Seeding_is_refused_outside_development()
    {
        await using var app = await TestApp.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Fractal.Functions.Hosting.Standalone.StandaloneHost.SeedDemoAsync(app.Host, null));
        Assert.Contains("Development", error.Message);
    }
}
