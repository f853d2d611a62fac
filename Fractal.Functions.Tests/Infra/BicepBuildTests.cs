using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fractal.Functions.Tests.Infra;

[Collection(InfraCollection.Name)]
public sealed class BicepBuildTests(CompiledInfra infra)
{
    [Fact]
    public void Every_bicep_file_builds_to_an_ARM_template_without_a_diagnostic()
    {
        Assert.True(infra.Build.ExitCode == 0, $"bicep build failed:\n{infra.Build.Errors}");
        Assert.Empty(infra.Build.Diagnostics);
        Assert.Contains("main.bicep", infra.BicepFiles);
        Assert.Equal(infra.BicepFiles.Select(f => Path.ChangeExtension(f, ".json")), infra.BuiltFiles);
    }

    [Fact]
    public void Every_bicep_file_lints_without_a_single_warning_or_error()
    {
        Assert.True(infra.Lint.ExitCode == 0, $"bicep lint failed:\n{infra.Lint.Output}\n{infra.Lint.Errors}");
        Assert.Empty(infra.Lint.Diagnostics);
    }

    [Fact]
    public void The_parameters_file_builds_against_main_with_the_azd_defaults()
    {
        Assert.True(infra.BuildParameters.ExitCode == 0, $"bicep build-params failed:\n{infra.BuildParameters.Errors}");
        Assert.Empty(infra.BuildParameters.Diagnostics);
        var values = infra.ParameterFileValues;
        Assert.Equal("fractal", (string?)values["environmentName"]?["value"]);
        Assert.Equal(1, (int?)values["alwaysReadyInstances"]?["value"]);
        Assert.Equal("", (string?)values["deployerPrincipalId"]?["value"]);
    }

    [Fact]
    public void The_linter_makes_every_core_rule_an_error_except_the_clock_dependent_ones()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(CompiledInfra.InfraFolder, "bicepconfig.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();
        // use-recent-api-versions compares API dates with the machine clock, and use-recent-module-versions asks a
        // registry: either would make the same commit pass today and fail later.
        string[] off = ["use-recent-api-versions", "use-recent-module-versions"];

        foreach (var (rule, setting) in rules)
        {
            var level = (string?)setting?["level"];
            Assert.True(off.Contains(rule) ? level == "off" : level == "error", $"{rule} is '{level}'");
        }
        Assert.True(rules.Count >= 40, "bicepconfig.json lists the core rules one by one");
    }
}
