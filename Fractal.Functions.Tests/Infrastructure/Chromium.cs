using Microsoft.Playwright;

namespace Fractal.Functions.Tests.Infrastructure;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium, installed by test.sh) driven by Playwright's bundled
/// driver; Playwright never downloads a browser. One browser per test run; each test takes its own context.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly Lazy<Task<IBrowser>> Shared = new(LaunchAsync);

    // Assertions.Expect retries for 5 s by default; a page behind a password hash on a busy 2-core CI machine can take
    // longer, and a retrying assertion that gives up early is a flaky test, not a faster one.
    static Chromium() => Assertions.SetDefaultExpectTimeout(30_000);

    public static Task<IBrowser> BrowserAsync() => Shared.Value;

    /// <summary>A fresh browser context (own cookies), optionally with a locale that sets Accept-Language.</summary>
    public static async Task<IBrowserContext> NewContextAsync(string? locale = null) =>
        await (await BrowserAsync()).NewContextAsync(new BrowserNewContextOptions { Locale = locale, IgnoreHTTPSErrors = false });

    private static async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: run ./test.sh (it installs Debian's chromium package).");
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Quiet offline: no background downloads, updates or first-run work.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"],
        });
    }

    /// <summary>Where screenshots go (TestResults/screenshots, kept as CI artifacts).</summary>
    public static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
