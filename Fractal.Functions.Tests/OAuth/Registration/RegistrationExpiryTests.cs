using System.Net;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.OAuth.Registration;

/// <summary>Registrations unused for 30 days expire (Claude registers on every new connection).</summary>
public sealed class RegistrationExpiryTests
{
    private static Task<(TestApp App, MetadataDocumentServer Documents)> AppAsync(FakeTimeProvider time) =>
        RegistrationApp.StartAsync(s => s.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task A_registration_unused_for_30_days_is_unknown_at_the_authorize_and_token_endpoints()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (app, documents) = await AppAsync(time);
        await using var _ = app;
        await using var __ = documents;
        var (clientId, secret) = await Register.ClientAsync(app);
        var requests = new OAuthRequests(app);
        var authorizeUrl = OAuthRequests.AuthorizeUrl(requests.Parameters(clientId, TestTenant.ClientCallback));

        time.Advance(TimeSpan.FromDays(29));
        using (var stillKnown = await app.Http.GetAsync(authorizeUrl))
            Assert.Equal(HttpStatusCode.Found, stillKnown.StatusCode); // on to sign-in: the client is known

        // That authorize request was a use: 30 days from now on it still counts.
        time.Advance(TimeSpan.FromDays(29));
        using (var renewed = await app.Http.GetAsync(authorizeUrl))
            Assert.Equal(HttpStatusCode.Found, renewed.StatusCode);

        time.Advance(TimeSpan.FromDays(31));
        using var expired = await app.Http.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.Contains("not registered", await expired.Content.ReadAsStringAsync());
        Assert.Null(expired.Headers.Location);

        var (token, body) = await new TokenClient(app, clientId, secret).RefreshAsync("any-refresh-token");
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Last_use_is_written_at_most_once_a_day()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (app, documents) = await AppAsync(time);
        await using var _ = app;
        await using var __ = documents;
        var (clientId, _) = await Register.ClientAsync(app);
        var tables = app.Services.GetRequiredService<TableStore>();
        var registeredAt = (await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, clientId, ""))!.LastUsedAt;
        var authorizeUrl = OAuthRequests.AuthorizeUrl(new OAuthRequests(app).Parameters(clientId, TestTenant.ClientCallback));

        time.Advance(TimeSpan.FromHours(20));
        (await app.Http.GetAsync(authorizeUrl)).Dispose();
        Assert.Equal(registeredAt, (await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, clientId, ""))!.LastUsedAt);

        time.Advance(TimeSpan.FromHours(5));
        (await app.Http.GetAsync(authorizeUrl)).Dispose();
        Assert.Equal(time.GetUtcNow(), (await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, clientId, ""))!.LastUsedAt);
    }

    [Fact]
    public async Task The_retention_job_deletes_the_registrations_unused_for_thirty_days_and_keeps_the_others()
    {
        // A clock years in the past: this test's rows are the only ones old enough for its cutoff, so other
        // tests sharing the table are untouched.
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var (app, documents) = await AppAsync(time);
        await using var _ = app;
        await using var __ = documents;
        var (old, _) = await Register.ClientAsync(app);
        time.Advance(TimeSpan.FromDays(20));
        var (recent, _) = await Register.ClientAsync(app);
        time.Advance(TimeSpan.FromDays(15));

        var store = app.Services.GetRequiredService<GlobalClientStore>();
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromDays(30), store.UnusedCutoff());
        var purged = await app.Services.GetRequiredService<Fractal.Functions.Hosting.Retention.RetentionJob>().RunAsync(CancellationToken.None);

        Assert.True(purged["unused_dynamic_clients"] >= 1);
        var tables = app.Services.GetRequiredService<TableStore>();
        Assert.Null(await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, old, ""));
        Assert.NotNull(await tables.FindAsync<GlobalClientEntity>(TableNames.GlobalClients, recent, ""));
    }
}
