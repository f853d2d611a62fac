using System.Net;
using Fractal.Functions.Identity.Sessions;
using Fractal.Functions.Identity.Users;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.Identity;

public sealed class SignInTests
{
    private static async Task<TestApp> ThrottleAppAsync(FakeTimeProvider? time = null) =>
        await TestApp.StartAsync(new Dictionary<string, string?>
        {
            // Trust loopback as a proxy so each test can speak for several client IPs through X-Forwarded-For.
            ["Network:TrustedProxies"] = "127.0.0.1, ::1",
            ["SignIn:MaxFailuresPerIp"] = "5",
            ["SignIn:IpLockoutMinutes"] = "15",
            ["SignIn:AccountDelayAfterFailures"] = "8",
            ["SignIn:AccountMaxDelaySeconds"] = "300",
        }, services => { if (time is not null) services.AddSingleton<TimeProvider>(time); });

    [Fact]
    public async Task An_unknown_email_and_a_wrong_password_get_the_same_answer()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);

        using var wrongPassword = await browser.SignInAsync(tenant.Viewer.Email, "not-the-password");
        using var unknownEmail = await browser.SignInAsync("nobody-" + Guid.NewGuid().ToString("N") + "@test.example", "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        Assert.Contains("The email or password is not correct.", await wrongPassword.Content.ReadAsStringAsync());
        Assert.Contains("The email or password is not correct.", await unknownEmail.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_sign_in_keeps_the_typed_email_and_never_echoes_the_password()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        using var response = await browser.SignInAsync(tenant.Viewer.Email, "secret-typed-password");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(WebUtility.HtmlEncode(tenant.Viewer.Email), html);
        Assert.DoesNotContain("secret-typed-password", html);
    }

    [Fact]
    public async Task Five_failures_from_one_ip_make_that_ip_wait_fifteen_minutes_while_another_ip_still_signs_in()
    {
        await using var app = await ThrottleAppAsync();
        var tenant = await TestTenant.CreateAsync(app);
        using var attacker = new BrowserlessSession(app, forwardedFor: "203.0.113.7");
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SignInAsync(tenant.Viewer.Email, "guess-" + i)).StatusCode);

        using var blocked = await attacker.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        var retryAfter = int.Parse(blocked.Headers.GetValues("Retry-After").Single());
        Assert.InRange(retryAfter, 14 * 60, 15 * 60);

        using var owner = new BrowserlessSession(app, forwardedFor: "198.51.100.20");
        Assert.Equal(HttpStatusCode.SeeOther, (await owner.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Theory]
    [InlineData("10.20.30.40")] // a gateway's private address, seen when the client IP settings are missing
    [InlineData("169.254.130.7")] // a platform address
    public async Task Failures_from_a_private_or_platform_address_never_lock_the_account_out_for_everyone_behind_it(string shared)
    {
        await using var app = await ThrottleAppAsync();
        var tenant = await TestTenant.CreateAsync(app);
        using var attacker = new BrowserlessSession(app, forwardedFor: shared);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SignInAsync(tenant.Viewer.Email, "guess-" + i)).StatusCode);

        // The owner, behind the same gateway, still signs in: only the per-account delay (after 10) would apply.
        using var owner = new BrowserlessSession(app, forwardedFor: shared);
        Assert.Equal(HttpStatusCode.SeeOther, (await owner.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task From_a_private_address_the_per_account_delay_still_slows_guessing()
    {
        await using var app = await ThrottleAppAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var tenant = await TestTenant.CreateAsync(app);
        using var attacker = new BrowserlessSession(app, forwardedFor: "10.20.30.41");
        // This app's account delay starts after 8 attempts.
        for (var i = 0; i < 8; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.SignInAsync(tenant.Viewer.Email, "guess-" + i)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task The_ip_wait_ends_after_the_lockout_period()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ThrottleAppAsync(time);
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app, forwardedFor: "203.0.113.8");
        for (var i = 0; i < 5; i++) await browser.SignInAsync(tenant.Viewer.Email, "guess-" + i);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);

        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.SeeOther, (await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task Failures_for_one_account_from_many_ips_bring_a_growing_delay_for_every_ip()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await ThrottleAppAsync(time);
        var tenant = await TestTenant.CreateAsync(app);
        for (var i = 0; i < 8; i++)
        {
            using var bot = new BrowserlessSession(app, forwardedFor: $"203.0.113.{100 + i}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await bot.SignInAsync(tenant.Viewer.Email, "guess")).StatusCode);
        }

        using var fresh = new BrowserlessSession(app, forwardedFor: "198.51.100.50");
        using var delayed = await fresh.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, delayed.StatusCode);
        Assert.Equal("1", delayed.Headers.GetValues("Retry-After").Single());

        time.Advance(TimeSpan.FromSeconds(2));
        using var bot9 = new BrowserlessSession(app, forwardedFor: "203.0.113.200");
        await bot9.SignInAsync(tenant.Viewer.Email, "guess");
        using var longer = await fresh.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password);
        Assert.Equal("2", longer.Headers.GetValues("Retry-After").Single());

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.SeeOther, (await fresh.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task Forty_parallel_wrong_passwords_for_one_account_from_one_ip_on_two_instances_verify_five_and_the_rest_are_throttled()
    {
        // Two instances on one storage: within each, reservations queue per account; between them, the ETag decides.
        var hasher = new CountingPasswordHasher();
        var settings = new Dictionary<string, string?> { ["Network:TrustedProxies"] = "127.0.0.1, ::1", ["SignIn:MaxFailuresPerIp"] = "5", ["SignIn:AccountDelayAfterFailures"] = "10" };
        await using var first = await TestApp.StartAsync(settings, s => s.AddSingleton<IPasswordHasher<UserEntity>>(hasher));
        await using var second = await TestApp.StartAsync(settings, s => s.AddSingleton<IPasswordHasher<UserEntity>>(hasher));
        var tenant = await TestTenant.CreateAsync(first);
        var attackers = Enumerable.Range(0, 40).Select(i => new BrowserlessSession(i % 2 == 0 ? first : second, forwardedFor: "203.0.113.40")).ToList();
        var forms = await Task.WhenAll(attackers.Select(async a => BrowserlessSession.HiddenFields(await a.Http.GetStringAsync("/account/sign-in"))));
        var before = hasher.Verifications;

        var answers = await Task.WhenAll(attackers.Select((a, i) =>
        {
            forms[i]["email"] = tenant.Viewer.Email;
            forms[i]["password"] = "guess-" + i;
            return a.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(forms[i]));
        }));

        Assert.Equal(5, hasher.Verifications - before);
        Assert.Equal(5, answers.Count(r => r.StatusCode == HttpStatusCode.Unauthorized));
        Assert.Equal(35, answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        foreach (var a in attackers) a.Dispose();
    }

    [Fact]
    public async Task An_unknown_email_and_a_wrong_password_cost_the_same_storage_round_trips_and_one_hash_each()
    {
        var hasher = new CountingPasswordHasher();
        await using var app = await TestApp.StartAsync(services: s => { StorageRoundTrips.AddTo(s); s.AddSingleton<IPasswordHasher<UserEntity>>(hasher); });
        var tenant = await TestTenant.CreateAsync(app);
        var trips = app.Services.GetRequiredService<StorageRoundTrips>();

        async Task<(IReadOnlyList<string> Trips, int Hashes)> AttemptAsync(string email)
        {
            using var browser = new BrowserlessSession(app);
            var fields = BrowserlessSession.HiddenFields(await browser.Http.GetStringAsync("/account/sign-in"));
            fields["email"] = email;
            fields["password"] = "not-the-password";
            var tag = Guid.NewGuid().ToString("N");
            using var post = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in") { Content = new FormUrlEncodedContent(fields) };
            post.Headers.Add(StorageRoundTrips.Header, tag);
            var hashes = hasher.Verifications;
            using var response = await browser.Http.SendAsync(post);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            // Verb and table only: the keys differ by nature.
            return (trips.Of(tag).Select(t => t.Split('(', '?')[0]).Order().ToList(), hasher.Verifications - hashes);
        }

        await AttemptAsync("warm-up-" + Guid.NewGuid().ToString("N") + "@test.example"); // loads the throttle's service key once
        var wrongPassword = await AttemptAsync(tenant.Viewer.Email);
        var unknownEmail = await AttemptAsync("nobody-" + Guid.NewGuid().ToString("N") + "@test.example");

        Assert.Equal(wrongPassword.Trips, unknownEmail.Trips);
        Assert.Equal(1, wrongPassword.Hashes);
        Assert.Equal(1, unknownEmail.Hashes);
    }

    [Fact]
    public async Task A_client_supplied_forwarded_for_header_is_ignored_when_no_proxy_is_trusted()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["SignIn:MaxFailuresPerIp"] = "2" });
        var tenant = await TestTenant.CreateAsync(app);
        for (var i = 0; i < 2; i++)
        {
            using var rotating = new BrowserlessSession(app, forwardedFor: $"203.0.113.{i}");
            await rotating.SignInAsync(tenant.Viewer.Email, "guess");
        }
        // Each "new IP" was really 127.0.0.1: the real client is now throttled.
        using var again = new BrowserlessSession(app, forwardedFor: "203.0.113.99");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await again.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var users = app.Services.GetRequiredService<UserStore>();
        var user = (await users.FindAsync(tenant.Id, tenant.Viewer.UserId))!;
        user.Enabled = false;
        await users.TryUpdateAsync(user);
        using var browser = new BrowserlessSession(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password)).StatusCode);
    }

    [Fact]
    public async Task The_session_cookie_is_http_only_and_same_site_lax_and_stored_only_as_a_hash()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        using var response = await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fo_session="));
        Assert.Contains("httponly", setCookie.ToLowerInvariant());
        Assert.Contains("samesite=lax", setCookie.ToLowerInvariant());
        Assert.Contains("path=/", setCookie.ToLowerInvariant());

        var id = setCookie.Split(';')[0]["fo_session=".Length..];
        var tables = app.Services.GetRequiredService<TableStore>();
        Assert.Null(await tables.FindAsync<SessionEntity>(TableNames.Sessions, id, ""));
        Assert.NotNull(await tables.FindAsync<SessionEntity>(TableNames.Sessions, SessionService.Hash(id), ""));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_even_for_a_copied_cookie()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        var cookie = browser.Cookies.GetCookieHeader(app.BaseAddress);
        var page = await browser.Http.GetStringAsync("/account/sign-in");
        Assert.Contains(tenant.Viewer.Email, page);

        using var signOut = await browser.Http.PostAsync("/account/sign-out", new FormUrlEncodedContent(BrowserlessSession.HiddenFields(page)));
        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);

        using var replay = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        replay.Headers.Add("Cookie", cookie);
        using var replayed = await app.Http.SendAsync(replay);
        Assert.DoesNotContain(tenant.Viewer.Email, await replayed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_session_ends_after_thirty_idle_minutes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);

        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Contains(tenant.Viewer.Email, await browser.Http.GetStringAsync("/account/sign-in"));
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Contains(tenant.Viewer.Email, await browser.Http.GetStringAsync("/account/sign-in"));
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.DoesNotContain(tenant.Viewer.Email, await browser.Http.GetStringAsync("/account/sign-in"));
    }

    [Fact]
    public async Task A_session_ends_eight_hours_after_sign_in_however_active()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.SignInOrFailAsync(tenant.Viewer);
        for (var i = 0; i < 23; i++)
        {
            time.Advance(TimeSpan.FromMinutes(20));
            Assert.Contains(tenant.Viewer.Email, await browser.Http.GetStringAsync("/account/sign-in"));
        }
        time.Advance(TimeSpan.FromMinutes(20));
        Assert.DoesNotContain(tenant.Viewer.Email, await browser.Http.GetStringAsync("/account/sign-in"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged")]
    public async Task A_sign_in_post_without_a_valid_csrf_token_is_refused(string? token)
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        await browser.Http.GetStringAsync("/account/sign-in");
        var fields = new Dictionary<string, string> { ["email"] = tenant.Viewer.Email, ["password"] = tenant.Viewer.Password };
        if (token is not null) fields["csrf"] = token;
        using var response = await browser.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "fo_session");
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_replaced_by_a_local_page()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        using var browser = new BrowserlessSession(app);
        using var response = await browser.SignInAsync(tenant.Viewer.Email, tenant.Viewer.Password, "//evil.example/steal");
        Assert.Equal("/account/sign-in", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Pages_carry_a_strict_content_security_policy_and_no_referrer()
    {
        var app = await TestApp.Shared;
        using var response = await app.Http.GetAsync("/account/sign-in");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Theory]
    [InlineData("es", "Iniciar sesión")]
    [InlineData("en", "Sign in")]
    public async Task The_sign_in_page_speaks_the_language_asked_for(string lang, string title)
    {
        var app = await TestApp.Shared;
        var html = await app.Http.GetStringAsync("/account/sign-in?lang=" + lang);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains(title, html);
    }

    [Fact]
    public async Task Accept_language_picks_spanish()
    {
        var app = await TestApp.Shared;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        request.Headers.Add("Accept-Language", "es-CL,es;q=0.9,en;q=0.5");
        using var response = await app.Http.SendAsync(request);
        Assert.Contains("<html lang=\"es\">", await response.Content.ReadAsStringAsync());
    }
}
