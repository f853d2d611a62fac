using System.Diagnostics;
using System.Text.Json;
using Fractal.Functions.Tests.Infrastructure;

namespace Fractal.Functions.Tests.Infra;

/// <summary>
/// The deployment publish is ReadyToRun for the OS Flex Consumption runs (a faster first call after a cold start,
/// docs/performance.md case 5), while ordinary builds keep no runtime identifier (run.sh, the tests and the
/// benchmarks use their output folder). Read from MSBuild's own evaluation of the project.
/// </summary>
public sealed class DeploymentPublishTests
{
    private static async Task<Dictionary<string, string>> EvaluateAsync(params string[] properties)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var a in (string[])["msbuild", Path.Combine("Fractal.Functions", "Fractal.Functions.csproj"), "-nologo",
                     "-getProperty:PublishReadyToRun", "-getProperty:RuntimeIdentifier", "-getProperty:SelfContained", .. properties])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        return JsonDocument.Parse(output).RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    [Fact]
    public async Task A_release_publish_is_ready_to_run_for_linux_x64_and_framework_dependent()
    {
        var publish = await EvaluateAsync("-p:Configuration=Release", "-p:_IsPublishing=true");
        Assert.Equal("true", publish["PublishReadyToRun"]);
        Assert.Equal("linux-x64", publish["RuntimeIdentifier"]);
        Assert.Equal("false", publish["SelfContained"]);
    }

    [Fact]
    public async Task A_build_has_no_runtime_identifier_so_its_output_folder_stays_where_the_scripts_look()
    {
        var build = await EvaluateAsync("-p:Configuration=Release");
        Assert.Equal("", build["RuntimeIdentifier"]);
        Assert.NotEqual("true", build["PublishReadyToRun"]);
    }
}
