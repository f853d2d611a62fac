using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Fractal.Functions.Hosting.Manage;
using Fractal.Functions.OAuth.Keys;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fractal.Functions.Tests.OAuth;

/// <summary>The shared bearer validator and the signing keys behind it (RFC 9068 §4, RFC 8707, RFC 7517).</summary>
public sealed class BearerValidatorTests
{
    [Fact]
    public async Task An_mcp_token_is_accepted_for_the_mcp_resource_and_refused_by_the_admin_api()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();

        var forMcp = await app.ValidateAsync(token, requests.McpResource);
        Assert.True(forMcp.IsValid);
        Assert.Equal(tenant.Viewer.UserId, forMcp.Claims!.Subject);
        Assert.Equal(tenant.Id, forMcp.Claims.Tenant);
        Assert.Contains("maintenance.read", forMcp.Claims.Scopes);
        Assert.False((await app.ValidateAsync(token, requests.ApiResource)).IsValid);
    }

    [Fact]
    public async Task An_admin_api_token_is_accepted_for_the_admin_api_and_refused_by_the_mcp_resource()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant, tenant.Admin, p =>
        {
            p["resource"] = requests.ApiResource;
            p["scope"] = "api_connections";
        }))["access_token"]!.GetValue<string>();

        Assert.True((await app.ValidateAsync(token, requests.ApiResource)).IsValid);
        Assert.False((await app.ValidateAsync(token, requests.McpResource)).IsValid);
    }

    [Fact]
    public async Task A_token_signed_with_a_foreign_key_or_altered_or_from_another_issuer_is_refused()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var requests = new OAuthRequests(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();
        var jwt = new JsonWebToken(token);

        using var foreign = RSA.Create(2048);
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt", Issuer = jwt.Issuer, Audience = requests.McpResource, Expires = DateTime.UtcNow.AddHours(1),
            Claims = jwt.Claims.Where(c => c.Type is "sub" or "client_id" or "scope" or "tid" or "fid").ToDictionary(c => c.Type, c => (object)c.Value),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(foreign) { KeyId = jwt.Kid }, SecurityAlgorithms.RsaSha256),
        });
        Assert.False((await app.ValidateAsync(forged, requests.McpResource)).IsValid);

        var parts = token.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!;
        payload["scope"] = "maintenance.read maintenance.write api_connections";
        var altered = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
        Assert.False((await app.ValidateAsync(altered, requests.McpResource)).IsValid);

        var otherIssuer = await app.Services.GetRequiredService<Fractal.Functions.OAuth.Tokens.BearerTokenValidator>()
            .ValidateAsync(token, "https://other-issuer.example", requests.McpResource, CancellationToken.None);
        Assert.False(otherIssuer.IsValid);
        Assert.False((await app.ValidateAsync("not-a-jwt", requests.McpResource)).IsValid);
    }

    [Fact]
    public async Task An_expired_access_token_is_refused()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();
        var resource = new OAuthRequests(app).McpResource;
        Assert.True((await app.ValidateAsync(token, resource)).IsValid);
        time.Advance(TimeSpan.FromMinutes(61));
        Assert.False((await app.ValidateAsync(token, resource)).IsValid);
    }

    [Fact]
    public async Task Expired_tokens_are_forgotten_by_the_seen_token_cache_so_its_memory_levels_off()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        var resource = new OAuthRequests(app).McpResource;
        var validator = app.Services.GetRequiredService<Fractal.Functions.OAuth.Tokens.BearerTokenValidator>();
        foreach (var _ in Enumerable.Range(0, 3))
            Assert.True((await app.ValidateAsync((await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>(), resource)).IsValid);
        Assert.Equal(3, validator.SeenCount);

        time.Advance(TimeSpan.FromMinutes(62)); // the three have expired (60 minutes + 30 s of skew)
        var fresh = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();
        Assert.True((await app.ValidateAsync(fresh, resource)).IsValid);
        Assert.Equal(1, validator.SeenCount); // only the fresh token is left
    }

    [Fact]
    public async Task A_revoked_grant_stops_its_access_tokens_within_the_status_cache_bound()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["OAuth:StatusCacheSeconds"] = "60" },
            s => s.AddSingleton<TimeProvider>(time));
        var tenant = await TestTenant.CreateAsync(app);
        var token = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();
        var resource = new OAuthRequests(app).McpResource;
        Assert.True((await app.ValidateAsync(token, resource)).IsValid);

        await app.Services.GetRequiredService<Fractal.Functions.OAuth.Grants.TokenFamilyStore>().RevokeGrantAsync(tenant.Id, tenant.Viewer.UserId, tenant.ClientId, "test");
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False((await app.ValidateAsync(token, resource)).IsValid);
    }

    [Fact]
    public async Task Jwks_publishes_the_key_that_signed_the_tokens()
    {
        var app = await TestApp.Shared;
        var tenant = await TestTenant.CreateAsync(app);
        var jwt = new JsonWebToken((await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>());
        var jwks = JsonNode.Parse(await app.Http.GetStringAsync("/oauth/jwks"))!;
        var key = jwks["keys"]!.AsArray().Single(k => k!["kid"]!.GetValue<string>() == jwt.Kid)!;
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.Equal("RS256", key["alg"]!.GetValue<string>());
        Assert.Null(key["d"]);
    }

    [Fact]
    public async Task Rotating_the_signing_key_signs_new_tokens_with_it_while_old_tokens_stay_valid()
    {
        await using var app = await TestApp.StartAsync(azurite: await Azurite.StartAsync());
        var tenant = await TestTenant.CreateAsync(app);
        var resource = new OAuthRequests(app).McpResource;
        var before = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();

        var output = new StringWriter();
        Assert.Equal(0, await ManageCommand.RunVerbAsync(app.Services, "rotate-signing-key", ManageOptions.Parse([]), TextReader.Null, output, new StringWriter()));
        var after = (await OAuthFlow.TokensAsync(app, tenant))["access_token"]!.GetValue<string>();

        Assert.NotEqual(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        Assert.Contains(new JsonWebToken(after).Kid, output.ToString());
        Assert.True((await app.ValidateAsync(before, resource)).IsValid);
        Assert.True((await app.ValidateAsync(after, resource)).IsValid);
        var kids = JsonNode.Parse(await app.Http.GetStringAsync("/oauth/jwks"))!["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
        Assert.Equal([new JsonWebToken(after).Kid, new JsonWebToken(before).Kid], kids);
    }

    [Fact]
    public async Task Another_instance_picks_up_a_rotation_when_it_meets_an_unknown_kid()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var first = await TestApp.StartAsync(azurite: azurite);
        await using var second = await TestApp.StartAsync(azurite: azurite);
        var tenant = await TestTenant.CreateAsync(first);
        await second.Services.GetRequiredService<SigningKeyRing>().KeysAsync();   // the second instance caches the ring
        await first.Services.GetRequiredService<SigningKeyRing>().RotateAsync();
        var token = (await OAuthFlow.TokensAsync(first, tenant))["access_token"]!.GetValue<string>();
        await Task.Delay(TimeSpan.FromSeconds(5.1));   // the reload guard: at most one reload per 5 s
        var validation = await second.Services.GetRequiredService<Fractal.Functions.OAuth.Tokens.BearerTokenValidator>()
            .ValidateAsync(token, first.Issuer(), new OAuthRequests(first).McpResource, CancellationToken.None);
        Assert.True(validation.IsValid, validation.Failure);
    }

    [Fact]
    public async Task Twenty_instances_creating_the_first_signing_key_at_once_agree_on_one_key()
    {
        await using var azurite = await Azurite.StartAsync();
        await using var app = await TestApp.StartAsync(azurite: azurite);
        var tables = app.Services.GetRequiredService<Fractal.Functions.Storage.TableStore>();
        var secrets = app.Services.GetRequiredService<Fractal.Functions.Secrets.ISecretStore>();
        var kids = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            (await new SigningKeyRing(tables, secrets, TimeProvider.System).CurrentAsync()).Kid));
        Assert.Single(kids.Distinct());
    }
}
