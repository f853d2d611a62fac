using System.Collections.Immutable;
using System.Reflection;
using System.Xml.Linq;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Fractal.Functions.Tests.Hosting;

/// <summary>
/// The app's build refuses code that reads the request ambiently (under the Functions host it is null there):
/// the app project's banned-API analyzer, run here with Roslyn over small programs and the app's own BannedSymbols.txt.
/// </summary>
public sealed class BannedApiTests
{
    private static readonly string AppProject = Path.Combine(RepoPaths.Root, "Fractal.Functions");

    [Theory]
    [InlineData("class C(IHttpContextAccessor http) { public string? Path => http.HttpContext?.Request.Path; }")]
    [InlineData("class C { public object M() => new HttpContextAccessor(); }")]
    [InlineData("static class C { public static void M(IServiceCollection s) => s.AddHttpContextAccessor(); }")]
    [InlineData("static class C { public static readonly AsyncLocal<string?> Request = new(); }")]
    public async Task Code_that_reaches_the_request_ambiently_is_a_build_error_in_the_app(string code)
    {
        var diagnostics = await AnalyzeAsync(code);
        Assert.Contains(diagnostics, d => d.Id == "RS0030");
    }

    [Fact]
    public async Task Code_that_takes_the_request_from_its_function_builds_clean()
    {
        var diagnostics = await AnalyzeAsync("class C { public string? Path(HttpRequest request) => request.Path.Value; }");
        Assert.DoesNotContain(diagnostics, d => d.Id.StartsWith("RS00", StringComparison.Ordinal));
    }

    [Fact]
    public void The_app_project_runs_the_banned_api_analyzer_over_its_banned_list_with_warnings_as_errors()
    {
        var project = XDocument.Load(Path.Combine(AppProject, "Fractal.Functions.csproj"));
        Assert.Contains(project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == "Microsoft.CodeAnalysis.BannedApiAnalyzers");
        Assert.Contains(project.Descendants("AdditionalFiles"), r => (string?)r.Attribute("Include") == "BannedSymbols.txt");
        var shared = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        Assert.Contains("<TreatWarningsAsErrors>true</TreatWarningsAsErrors>", shared);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string code)
    {
        var source = """
            using System.Threading;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;
            """ + "\n" + code;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Probe", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var banned = new FileText(Path.Combine(AppProject, "BannedSymbols.txt"));
        var analyzers = AnalyzerDirectory().GetFiles("*.dll")
            .SelectMany(f => new AnalyzerFileReference(f.FullName, new Loader()).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        Assert.NotEmpty(analyzers);
        return await compilation.WithAnalyzers(analyzers, new AnalyzerOptions([banned])).GetAnalyzerDiagnosticsAsync();
    }

    private static DirectoryInfo AnalyzerDirectory()
    {
        var package = typeof(BannedApiTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BannedApiAnalyzers").Value!;
        return new DirectoryInfo(Path.Combine(package, "analyzers", "dotnet", "cs"));
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(path));
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath) { }
        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
