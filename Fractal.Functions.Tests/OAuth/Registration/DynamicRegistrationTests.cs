using System.Net;
using System.Text.Json.Nodes;
using Fractal.Functions.OAuth.Clients;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.OAuth.Registration;

/// <summary>RFC 7591 dynamic client registration at /oauth/register (Registration:DynamicClientsEnabled).</summary>
public sealed class DynamicRegistrationTests
{
    [Fact]
    public async Task Registering_a_confidential_client_answers_201_with_a_secret_and_echoes_its_metadata()
    {
        var (app, _) = await RegistrationApp.Shared;
        var (response, body) = await Register.PostAsync(app, Register.ClaudeLike());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        var clientId = body!["client_id"]!.GetValue<string>();
        Assert.StartsWith("dyn-", clientId);
        Assert.Equal(43, body["client_secret"]!.GetValue<string>().Length);
        Assert.Equal(0, body["client_secret_expires_at"]!.GetValue<long>());
        Assert.InRange(body["client_id_issued_at"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal("client_secret_post", body["token_endpoint_auth_method"]!.GetValue<string>());
        Assert.Equal(["https://claude.ai/api/mcp/auth_callback", TestTenant.ClientCallback], body["redirect_uris"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["authorization_code", "refresh_token"], body["grant_types"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(["code"], body["response_types"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("Claude", body["client_name"]!.GetValue<string>());

        // The table keeps the secret's hash only, never the secret.
        var row = await app.Services.GetRequiredService<TableStore>().FindAsync<GlobalClientEntity>(TableNames.GlobalClients, clientId, "");
        Assert.NotNull(row);
        Assert.Equal(Sha256Hex.Of(body["client_secret"]!.GetValue<string>()), row.SecretHash);
        Assert.Equal("dynamic", row.Kind);
    }

    [Fact]
    public async Task Registering_a_public_client_gives_no_secret_and_defaults_apply()
    {
        var (app, _) = await RegistrationApp.Shared;
        var (response, body) = await Register.PostAsync(app, """{"redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Null(body!["client_secret"]);
        Assert.Null(body["client_secret_expires_at"]);
        Assert.Equal("none", body["token_endpoint_auth_method"]!.GetValue<string>());
        Assert.Equal(["authorization_code"], body["grant_types"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("127.0.0.1", body["client_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_a_token_endpoint_auth_method_the_client_gets_client_secret_basic_as_rfc7591_says()
    {
        var (app, _) = await RegistrationApp.Shared;
        var (response, body) = await Register.PostAsync(app, """{"redirect_uris":["https://client.example/cb"]}""");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("client_secret_basic", body!["token_endpoint_auth_method"]!.GetValue<string>());
        Assert.NotNull(body["client_secret"]);
    }

    [Theory]
    [InlineData("""{"client_name":"x"}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["http://client.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://client.example/cb#frag"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://user:pw@client.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["not a url"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":[42]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"grant_types":["client_credentials"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"grant_types":["refresh_token"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"response_types":["token"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"scope":"admin everything"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"policy_uri":"http://client.example/privacy"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://client.example/cb"],"client_name":42}""", "invalid_client_metadata")]
    [InlineData("""["https://client.example/cb"]""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":""", "invalid_client_metadata")]
    public async Task Invalid_metadata_is_refused_with_the_rfc7591_error_and_registers_nothing(string json, string error)
    {
        var (app, _) = await RegistrationApp.Shared;
        var (response, body) = await Register.PostAsync(app, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(error, body!["error"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(body["error_description"]!.GetValue<string>()));
        Assert.Null(body["client_id"]);
    }

    [Fact]
    public async Task A_form_body_or_an_oversized_body_is_invalid_client_metadata()
    {
        var (app, _) = await RegistrationApp.Shared;
        var (form, formBody) = await Register.PostAsync(app, "redirect_uris=https://client.example/cb", contentType: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.Equal("invalid_client_metadata", formBody!["error"]!.GetValue<string>());

        var huge = $$"""{"redirect_uris":["https://client.example/cb"],"client_uri":"https://client.example/{{new string('a', 20_000)}}"}""";
        var (big, bigBody) = await Register.PostAsync(app, huge);
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Equal("invalid_client_metadata", bigBody!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_registrations_than_the_hourly_limit_from_one_ip_get_429_with_retry_after_and_other_ips_are_unaffected()
    {
        var (app, _) = await RegistrationApp.Shared;
        var ip = RegistrationApp.NewClientIp();
        for (var i = 0; i < RegistrationApp.RegistrationsPerIpPerHour; i++)
            Assert.Equal(HttpStatusCode.Created, (await Register.PostAsync(app, Register.ClaudeLike(), ip)).Response.StatusCode);

        var (limited, body) = await Register.PostAsync(app, Register.ClaudeLike(), ip);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/json", limited.Content.Headers.ContentType!.MediaType);
        Assert.Equal("temporarily_unavailable", body!["error"]!.GetValue<string>()); // with 429 and Retry-After, like every OAuth rate limit
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));

        Assert.Equal(HttpStatusCode.Created, (await Register.PostAsync(app, Register.ClaudeLike(), RegistrationApp.NewClientIp())).Response.StatusCode);
    }

    [Fact]
    public async Task With_registration_off_the_endpoint_is_a_json_404_and_the_metadata_has_no_registration_endpoint()
    {
        var app = await TestApp.Shared;
        var (response, body) = await Register.PostAsync(app, Register.ClaudeLike());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(body!["error"]);

        var metadata = JsonNode.Parse(await app.Http.GetStringAsync("/.well-known/oauth-authorization-server"))!;
        Assert.Null(metadata["registration_endpoint"]);
        Assert.Null(metadata["client_id_metadata_document_supported"]);
    }

    [Theory]
    [InlineData("/.well-known/oauth-authorization-server")]
    [InlineData("/.well-known/openid-configuration")]
    public async Task With_both_options_on_the_metadata_advertises_the_registration_endpoint_and_metadata_documents(string path)
    {
        var (app, _) = await RegistrationApp.Shared;
        var metadata = JsonNode.Parse(await app.Http.GetStringAsync(path))!;
        Assert.Equal(app.Issuer() + "/oauth/register", metadata["registration_endpoint"]!.GetValue<string>());
        Assert.True(metadata["client_id_metadata_document_supported"]!.GetValue<bool>());
    }

    [Fact]
    public async Task With_only_metadata_documents_on_the_metadata_advertises_them_and_no_registration_endpoint()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Registration:MetadataDocumentsEnabled"] = "true" });
        var metadata = JsonNode.Parse(await app.Http.GetStringAsync("/.well-known/oauth-authorization-server"))!;
        Assert.Null(metadata["registration_endpoint"]);
        Assert.True(metadata["client_id_metadata_document_supported"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, (await Register.PostAsync(app, Register.ClaudeLike())).Response.StatusCode);
    }

    [Fact]
    public async Task A_browser_client_may_register_cross_origin()
    {
        var (app, _) = await RegistrationApp.Shared;
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/oauth/register");
        preflight.Headers.Add("Origin", "http://localhost:6274");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await app.Http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
