using System.Text.Json.Nodes;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Infra;

/// <summary>
/// Runs the Bicep CLI once for all infra tests: builds every .bicep file under infra/ (main.json is the template
/// the other tests read), lints them, and builds the parameters file; the three run in parallel.
/// </summary>
public sealed class CompiledInfra : IAsyncLifetime
{
    public const string Pattern = "infra/**/*.bicep";

    private readonly string outputFolder = Path.Combine(Path.GetTempPath(), $"fractal-infra-{Guid.NewGuid():N}");

    internal static string InfraFolder => Path.Combine(RepoPaths.Root, "infra");

    /// <summary>Every .bicep file under infra/, relative to infra/ (e.g. "modules/storage.bicep").</summary>
    internal IReadOnlyList<string> BicepFiles { get; } = Directory
        .EnumerateFiles(InfraFolder, "*.bicep", SearchOption.AllDirectories)
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}tools{Path.DirectorySeparatorChar}"))
        .Select(f => Path.GetRelativePath(InfraFolder, f))
        .Order(StringComparer.Ordinal)
        .ToList();

    internal BicepCli.Result Build { get; private set; } = null!;
    internal BicepCli.Result Lint { get; private set; } = null!;
    internal BicepCli.Result BuildParameters { get; private set; } = null!;

    /// <summary>The ARM JSON written for each .bicep file, keyed like <see cref="BicepFiles"/> (".json" for ".bicep").</summary>
    internal IReadOnlyList<string> BuiltFiles { get; private set; } = [];

    /// <summary>infra/main.bicep compiled; when it did not build, every test reading it fails with the CLI's errors.</summary>
    internal ArmTemplate Main => main ?? throw new InvalidOperationException($"infra/main.bicep did not build:\n{Build.Output}\n{Build.Errors}");

    private ArmTemplate? main;

    public async Task InitializeAsync()
    {
        var build = BicepCli.RunAsync("build", "--pattern", Pattern, "--outdir", outputFolder);
        var lint = BicepCli.RunAsync("lint", "--pattern", Pattern);
        var parameters = BicepCli.RunAsync("build-params", "infra/main.bicepparam", "--stdout");
        (Build, Lint, BuildParameters) = (await build, await lint, await parameters);

        BuiltFiles = Directory.Exists(outputFolder)
            ? Directory.EnumerateFiles(outputFolder, "*.json", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(outputFolder, f)).Order(StringComparer.Ordinal).ToList()
            : [];
        var mainJson = Path.Combine(outputFolder, "main.json");
        if (Build.ExitCode == 0 && File.Exists(mainJson)) main = ArmTemplate.Parse(await File.ReadAllTextAsync(mainJson));
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(outputFolder)) Directory.Delete(outputFolder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The parameter values main.bicepparam produces (with no azd environment variables set).</summary>
    internal JsonObject ParameterFileValues =>
        JsonNode.Parse((string)JsonNode.Parse(BuildParameters.Output)!["parametersJson"]!)!["parameters"]!.AsObject();
}

/// <summary>
/// Runs alone, after the parallel tests: the three CLI runs would otherwise take CPU from tests with deadlines
/// (health probes) on a 2-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InfraCollection : ICollectionFixture<CompiledInfra>
{
    public const string Name = "Infra templates";
}
