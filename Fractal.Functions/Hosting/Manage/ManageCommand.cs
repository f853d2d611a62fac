using Fractal.Functions.Hosting.Standalone;
using Fractal.Functions.OAuth.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Hosting.Manage;

/// <summary>
/// Operator verbs run with the app's own executable against the configured storage and secret store:
/// <c>dotnet Fractal.Functions.dll manage &lt;verb&gt; [--settings FILE] [--Section:Key value]</c>.
/// </summary>
public static class ManageCommand
{
    public const string Verb = "manage";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var verb = args.Length > 1 ? args[1] : null;
        var rest = args.Skip(2).ToArray();
        // The same composition as the app (settings, validation, stores), without serving HTTP.
        await using var app = StandaloneHost.Build(StandaloneHost.CreateBuilder(rest));
        return await RunVerbAsync(app.Services, verb, rest, output, errors);
    }

    /// <summary>Runs one verb against an app's services (the tests call this with their app).</summary>
    public static async Task<int> RunVerbAsync(IServiceProvider services, string? verb, string[] options, TextWriter output, TextWriter errors)
    {
        switch (verb)
        {
            case "rotate-signing-key":
                var key = await services.GetRequiredService<SigningKeyRing>().RotateAsync();
                var published = await services.GetRequiredService<SigningKeyRing>().KeysAsync();
                await output.WriteLineAsync($"New signing key {key.Kid} is current; JWKS publishes {published.Count} key(s): {string.Join(", ", published.Select(k => k.Kid))}.");
                return 0;
            default:
                await errors.WriteLineAsync("Usage: Fractal.Functions manage <verb> [--settings FILE] [--Section:Key value]");
                await errors.WriteLineAsync("Verbs:");
                await errors.WriteLineAsync("  rotate-signing-key   make a new access-token signing key current; the previous stays published");
                return 2;
        }
    }
}
