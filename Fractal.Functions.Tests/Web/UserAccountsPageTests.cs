using Fractal.Functions.Identity.Users;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fractal.Functions.Tests.Web;

/// <summary>Settings › User accounts and My connected apps in headless Chromium.</summary>
public sealed class UserAccountsPageTests
{
    [Fact]
    public async Task An_admin_changes_a_technician_to_viewer_disables_them_and_creates_a_user()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var technicianTokens = await OAuthFlow.TokensAsync(app, tenant, tenant.Technician);
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/settings/users").ToString());
        await page.SignInAsync(tenant.Admin);

        var row = page.Locator($"tr[data-user='{tenant.Technician.UserId}']");
        await row.Locator("select[name=role]").SelectOptionAsync("viewer");
        await row.Locator("button.role").SubmitAsync();
        Assert.Equal("viewer", (await app.Services.GetRequiredService<UserStore>().FindAsync(tenant.Id, tenant.Technician.UserId))!.RoleId);

        await page.Locator($"tr[data-user='{tenant.Technician.UserId}'] button.disable").SubmitAsync();
        await Expect(page.Locator($"tr[data-user='{tenant.Technician.UserId}'] .status")).ToHaveTextAsync("Disabled");
        Assert.Equal("invalid_grant", (await new TokenClient(app, tenant.ClientId, tenant.ClientSecret)
            .RefreshAsync(technicianTokens["refresh_token"]!.GetValue<string>())).Body!["error"]!.GetValue<string>());

        var email = $"page-{Guid.NewGuid():N}@test.example";
        await page.FillAsync("#new-email", email);
        await page.FillAsync("#new-name", "Paula Planner");
        await page.SelectOptionAsync("#new-role", "supervisor");
        await page.ClickAsync("#create");
        var temporary = (await page.Locator("#temporary-password").InnerTextAsync()).Trim();
        Assert.Equal(20, temporary.Length);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("user-accounts"), FullPage = true });
        Assert.Equal("supervisor", (await app.Services.GetRequiredService<UserStore>().FindByEmailAsync(email))!.RoleId);
    }

    [Fact]
    public async Task A_viewer_is_refused_the_user_accounts_page_but_sees_their_connected_apps()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        await OAuthFlow.TokensAsync(app, tenant);
        await using var context = await Chromium.NewContextAsync("es-CL");
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/account/connected-apps").ToString());
        await page.SignInAsync(tenant.Viewer);
        Assert.Equal("Mis aplicaciones conectadas", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("1", await page.Locator(".device-count").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("connected-apps-es") });

        var response = await page.GotoAsync(new Uri(app.BaseAddress, "/settings/users").ToString());
        Assert.Equal(403, response!.Status);
    }
}
