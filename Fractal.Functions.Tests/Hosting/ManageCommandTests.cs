using System.Net;
using Fractal.Functions.Hosting.Manage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Hosting;

/// <summary>The operator verbs of the app's executable, against Azurite and the Key Vault endpoint.</summary>
public sealed class ManageCommandTests
{
    private static async Task<(int Code, string Output, string Errors)> RunAsync(TestApp app, string verb, string input, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await ManageCommand.RunVerbAsync(app.Services, verb, ManageOptions.Parse(args), new StringReader(input), output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Create_tenant_makes_a_first_administrator_with_a_generated_password_printed_once_that_must_be_changed()
    {
        var app = await TestApp.Shared;
        var id = "t-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"boss-{Guid.NewGuid():N}@test.example";
        var (code, output, _) = await RunAsync(app, "create-tenant", "", "--tenant", id, "--name", "Planta Norte", "--time-zone", "America/Santiago", "--admin-email", email);
        Assert.Equal(0, code);
        var password = output.Split("first sign-in): ")[1].Trim();

        using var browser = new BrowserlessSession(app);
        using var signIn = await browser.SignInAsync(email, password);
        Assert.StartsWith("/account/change-password", signIn.Headers.Location!.ToString());
        Assert.Contains(id, (await RunAsync(app, "list-tenants", "")).Output);
        Assert.Contains(email, (await RunAsync(app, "list-users", "", "--tenant", id)).Output);
        Assert.Equal(1, (await RunAsync(app, "create-tenant", "", "--tenant", id, "--admin-email", "x" + email)).Code);
    }

    [Fact]
    public async Task Create_tenant_takes_a_typed_password_from_stdin_and_refuses_a_weak_one()
    {
        var app = await TestApp.Shared;
        var id = "t-" + Guid.NewGuid().ToString("N")[..12];
        var email = $"boss-{Guid.NewGuid():N}@test.example";
        Assert.Equal(1, (await RunAsync(app, "create-tenant", "short\n", "--tenant", id, "--admin-email", email, "--password-stdin")).Code);
        var (code, output, _) = await RunAsync(app, "create-tenant", "typed-password-of-the-boss\n", "--tenant", id, "--admin-email", email, "--password-stdin");
        Assert.Equal(0, code);
        Assert.DoesNotContain("typed-password-of-the-boss", output);
        using var browser = new BrowserlessSession(app);
        Assert.Equal("/account/sign-in", (await browser.SignInAsync(email, "typed-password-of-the-boss")).Headers.Location!.ToString());
    }

    [Fact]
    public async Task Reassign_email_gives_an_address_another_tenant_claimed_first_to_the_user_created_without_sign_in()
    {
        var app = await TestApp.Shared;
        var squatter = await TestTenant.CreateAsync(app);
        var owner = await TestTenant.CreateAsync(app);
        var admin = new Fractal.Functions.Admin.AdminUser(owner.Id, owner.Admin.UserId, owner.Admin.Email, Fractal.Functions.Identity.Permissions.All.ToHashSet(), ViaBearer: false);
        var service = app.Services.GetRequiredService<Fractal.Functions.Identity.Users.UserAdminService>();
        var created = await service.CreateAsync(admin, squatter.Viewer.Email, "Rightful owner", "viewer", "a-long-enough-password-2026", CancellationToken.None);
        Assert.True(created.Succeeded);
        using (var before = new BrowserlessSession(app)) Assert.Equal(HttpStatusCode.Unauthorized, (await before.SignInAsync(squatter.Viewer.Email, "a-long-enough-password-2026")).StatusCode);

        var (code, output, _) = await RunAsync(app, "reassign-email", "", "--email", squatter.Viewer.Email, "--tenant", owner.Id.Value);

        Assert.Equal(0, code);
        Assert.Contains($"its account in tenant {squatter.Id.Value} was deleted", output);
        using var browser = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(squatter.Viewer.Email, "a-long-enough-password-2026")).StatusCode);
        using var squatterBrowser = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await squatterBrowser.SignInAsync(squatter.Viewer.Email, squatter.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task Reset_password_prints_a_temporary_password_and_the_old_one_stops_working()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var (code, output, _) = await RunAsync(app, "reset-password", "", "--email", tenant.Viewer.Email);
        Assert.Equal(0, code);
        var temporary = output.Split("next sign-in): ")[1].Trim();
        using var browser = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
        Assert.StartsWith("/account/change-password", (await browser.SignInAsync(tenant.Viewer.Email, temporary)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_unknown_verb_prints_the_usage_and_fails()
    {
        var app = await TestApp.Shared;
        var (code, _, errors) = await RunAsync(app, "launch-rockets", "");
        Assert.Equal(2, code);
        Assert.Contains("create-tenant", errors);
    }
}
