using Fractal.Functions.Hosting.Options;
using Fractal.Functions.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace Fractal.Functions.Tests.Secrets;

public sealed class DevelopmentSecretStoreTests
{
    private static IOptions<SecretsOptions> OptionsFor(string path) =>
        Options.Create(new SecretsOptions { Provider = SecretProvider.Development, DevelopmentFilePath = path });

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    [InlineData("Testing")]
    public void The_development_store_refuses_to_exist_outside_development(string environment)
    {
        var host = new HostingEnvironment { EnvironmentName = environment };
        Assert.Throws<InvalidOperationException>(() => new DevelopmentSecretStore(OptionsFor("/tmp/x.json"), host));
    }

    [Fact]
    public async Task The_development_store_keeps_values_across_instances_in_its_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dev-secrets-{Guid.NewGuid():N}.json");
        var host = new HostingEnvironment { EnvironmentName = Environments.Development };
        var name = await new DevelopmentSecretStore(OptionsFor(path), host).CreateAsync("consumer-secret", "v");

        var reopened = new DevelopmentSecretStore(OptionsFor(path), host);
        Assert.Equal("v", await reopened.GetAsync(name));
        await reopened.DeleteAsync(name);
        Assert.Null(await reopened.GetAsync(name));
    }
}
