namespace Fractal.Functions.Hosting.Standalone;

/// <summary>The standalone host's command line: flags of our own, plus <c>--Section:Key value</c> settings.</summary>
internal sealed record StandaloneArguments(string? Urls, string? SettingsFile, string? Environment, bool SeedDemo, string? DemoCredentialsFile, Dictionary<string, string?> Settings)
{
    public static StandaloneArguments Parse(string[] args)
    {
        string? urls = null, settingsFile = null, environment = null, demoCredentials = null;
        var seedDemo = false;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == StandaloneHost.Flag) continue;
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--urls": urls = Value(); break;
                case "--settings": settingsFile = Value(); break;
                case "--environment": environment = Value(); break;
                case "--seed-demo": seedDemo = true; break;
                case "--demo-credentials": demoCredentials = Value(); break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
                    {
                        var eq = arg.IndexOf('=');
                        if (eq > 0) settings[arg[2..eq]] = arg[(eq + 1)..];
                        else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) settings[arg[2..]] = args[++i];
                        else settings[arg[2..]] = "true";
                    }
                    break;
            }
        }
        return new StandaloneArguments(urls, settingsFile, environment, seedDemo, demoCredentials, settings);
    }
}
