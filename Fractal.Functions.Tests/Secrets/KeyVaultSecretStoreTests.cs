using Fractal.Functions.Secrets;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Secrets;

public sealed class KeyVaultSecretStoreTests
{
    [Fact]
    public async Task The_app_uses_the_key_vault_store_through_the_bearer_challenge()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(vault: vault);
        var store = app.Services.GetRequiredService<ISecretStore>();

        var name = await store.CreateAsync("consumer-secret", "s3cr3t-value");

        Assert.IsType<KeyVaultSecretStore>(store);
        Assert.True(vault.Contains(name));
        Assert.True(vault.ChallengesIssued >= 1);
    }

    [Fact]
    public async Task A_stored_secret_reads_back_and_is_gone_after_delete()
    {
        await using var vault = await FakeKeyVault.StartAsync();
        await using var app = await TestApp.StartAsync(vault: vault);
        var store = app.Services.GetRequiredService<ISecretStore>();

        var name = await store.CreateAsync("consumer-secret", "value-1");
        Assert.Equal("value-1", await store.GetAsync(name));

        await store.DeleteAsync(name);
        Assert.Null(await store.GetAsync(name));
        Assert.True(vault.IsSoftDeleted(name));
    }

    [Fact]
    public async Task Every_new_value_gets_a_never_used_name_so_soft_deleted_names_never_conflict()
    {
        var app = await TestApp.Shared;
        var store = app.Services.GetRequiredService<ISecretStore>();

        var first = await store.CreateAsync("consumer-secret", "one");
        await store.DeleteAsync(first);
        var second = await store.CreateAsync("consumer-secret", "two");

        Assert.NotEqual(first, second);
        Assert.StartsWith("consumer-secret-", second);
        Assert.Equal("two", await store.GetAsync(second));
    }

    [Fact]
    public async Task The_fake_vault_keeps_a_soft_deleted_name_taken_like_key_vault()
    {
        var vault = await FakeKeyVault.Shared;
        var client = new Azure.Security.KeyVault.Secrets.SecretClient(vault.VaultUri, new FakeCredential(), vault.ClientOptions());
        var name = SecretName.NewGeneration("probe");
        await client.SetSecretAsync(name, "x");
        await client.StartDeleteSecretAsync(name);

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => client.SetSecretAsync(name, "y"));
        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task Reading_a_missing_or_malformed_name_gives_null()
    {
        var app = await TestApp.Shared;
        var store = app.Services.GetRequiredService<ISecretStore>();
        Assert.Null(await store.GetAsync("never-created-" + Guid.NewGuid().ToString("N")));
        Assert.Null(await store.GetAsync("../etc/passwd"));
    }

    [Fact]
    public async Task Twenty_instances_creating_the_same_service_key_at_once_agree_on_one_key()
    {
        var app = await TestApp.Shared;
        var purpose = "race-key-" + Guid.NewGuid().ToString("N")[..8];
        var tables = app.Services.GetRequiredService<Fractal.Functions.Storage.TableStore>();
        var secrets = app.Services.GetRequiredService<ISecretStore>();

        var keys = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            new ServiceKeyStore(tables, secrets, TimeProvider.System).GetOrCreateAsync(purpose)));

        Assert.Single(keys.Select(Convert.ToBase64String).Distinct());
    }
}
