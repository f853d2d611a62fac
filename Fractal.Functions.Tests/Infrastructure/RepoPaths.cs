namespace Fractal.Functions.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder holding Fractal.sln, found upward from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The Functions project's own build output (where the SDK writes functions.metadata).</summary>
    public static string FunctionsOutput
    {
        get
        {
            // Tests run from Fractal.Functions.Tests/bin/<Configuration>/<tfm>/; the app builds to the same shape.
            var testsOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = testsOutput.Name;
            var configuration = testsOutput.Parent!.Name;
            return Path.Combine(Root, "Fractal.Functions", "bin", configuration, tfm);
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fractal.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Could not find the repository root (Fractal.sln) above " + AppContext.BaseDirectory);
    }
}
