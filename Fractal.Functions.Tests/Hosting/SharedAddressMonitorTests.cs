using System.Net;
using Fractal.Functions.Hosting.Network;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Fractal.Functions.Tests.Hosting;

public sealed class SharedAddressMonitorTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("147.243.10.20");

    private static (SharedAddressMonitor Monitor, CapturedLogs Logs, FakeTimeProvider Clock) Create()
    {
        var logs = new CapturedLogs();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-08T10:00:00Z"));
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        return (new SharedAddressMonitor(clock, factory.CreateLogger<SharedAddressMonitor>()), logs, clock);
    }

    private static int Warnings(CapturedLogs logs) => logs.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("different people signed in from one client address"));

    [Fact]
    public void Many_people_signing_in_from_one_address_log_one_warning_per_window_naming_the_settings_to_fix()
    {
        var (monitor, logs, clock) = Create();
        for (var i = 0; i < SharedAddressMonitor.DistinctPeople - 1; i++) monitor.SignedIn(Gateway, $"t/user-{i}");
        Assert.Equal(0, Warnings(logs));

        for (var i = 0; i < 3 * SharedAddressMonitor.DistinctPeople; i++) monitor.SignedIn(Gateway, $"t/user-{i}");
        Assert.Equal(1, Warnings(logs));
        Assert.Contains(logs.Lines, l => l.Contains("Network__ClientIpHeader") && l.Contains("147.243.10.20"));

        clock.Advance(SharedAddressMonitor.Window);
        for (var i = 0; i < SharedAddressMonitor.DistinctPeople; i++) monitor.SignedIn(Gateway, $"t/user-{i}");
        Assert.Equal(2, Warnings(logs));
    }

    [Fact]
    public void One_person_signing_in_again_and_again_is_not_a_shared_address()
    {
        var (monitor, logs, _) = Create();
        for (var i = 0; i < 5 * SharedAddressMonitor.DistinctPeople; i++) monitor.SignedIn(Gateway, "t/user-1");
        Assert.Equal(0, Warnings(logs));
    }
}
