using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Mcp.Tools;
using ModelContextProtocol;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>
/// How tool arguments read plant time, in America/Santiago: UTC-3 in summer, UTC-4 from 5 April 2026 (4 April lasts
/// 25 hours) to 6 September 2026 (which lasts 23: its 00:00-01:00 never happens).
/// </summary>
public sealed class TenantTimeTests
{
    private static readonly TenantClock Santiago = TenantClock.For("America/Santiago");

    private static TenantTime At(string localNow) => new(Santiago, Santiago.ToUtc(DateTime.Parse(localNow, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-01-15", "2026-01-15T03:00:00+00:00")] // summer: local midnight is 03:00 UTC
    [InlineData("2026-07-15", "2026-07-15T04:00:00+00:00")] // winter: 04:00 UTC
    [InlineData("2026-05-06T23:03", "2026-05-07T03:03:00+00:00")] // no offset: plant wall time
    [InlineData("2026-05-06T23:03:00Z", "2026-05-06T23:03:00+00:00")] // an offset is kept
    [InlineData("2026-05-06T23:03:00+02:00", "2026-05-06T21:03:00+00:00")]
    [InlineData("2026-09-06T00:30", "2026-09-06T04:30:00+00:00")] // a wall time that never happened moves forward to 01:30 -03:00
    public void An_instant_argument_is_read_in_plant_time_unless_it_names_an_offset(string argument, string utc)
    {
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), At("2026-03-01T12:00").Instant(argument, "from"));
    }

    [Theory]
    [InlineData("2026-05-06T23:03", "today", "2026-05-06T04:00:00+00:00", 24)] // late evening: already 7 May in UTC, still 6 May here
    [InlineData("2026-05-07T00:30", "yesterday", "2026-05-06T04:00:00+00:00", 24)]
    [InlineData("2026-04-04T10:00", "today", "2026-04-04T03:00:00+00:00", 25)] // the fall-back day
    [InlineData("2026-09-03T10:00", "this_week", "2026-08-31T04:00:00+00:00", 7 * 24 - 1)] // Monday to Monday over the spring-forward
    [InlineData("2026-01-20T08:00", "this_week", "2026-01-19T03:00:00+00:00", 7 * 24)]
    [InlineData("2026-07-01T00:00", "last_month", "2026-06-01T04:00:00+00:00", 30 * 24)]
    [InlineData("2026-04-10T09:00", "last_quarter", "2026-01-01T03:00:00+00:00", 90 * 24)] // Jan-Mar, all in summer time
    [InlineData("2026-01-02T09:00", "next_week", "2026-01-05T03:00:00+00:00", 7 * 24)]
    public void A_period_word_is_local_days_from_the_plants_today(string localNow, string period, string fromUtc, int hours)
    {
        var (from, to) = At(localNow).Range(null, null, period);
        Assert.Equal(DateTimeOffset.Parse(fromUtc, System.Globalization.CultureInfo.InvariantCulture), from);
        Assert.Equal(hours, (to!.Value - from!.Value).TotalHours);
    }

    [Fact]
    public void A_bare_due_date_lasts_to_the_end_of_that_local_day()
    {
        Assert.Equal(new DateTimeOffset(2026, 7, 4, 3, 59, 59, TimeSpan.Zero), At("2026-07-01T09:00").Due("2026-07-03", "due_at"));
        Assert.Equal(new DateTimeOffset(2026, 1, 4, 2, 59, 59, TimeSpan.Zero), At("2026-01-01T09:00").Due("2026-01-03", "due_at"));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("2026-13-01")]
    public void A_malformed_date_is_invalid_params(string value)
    {
        var error = Assert.Throws<McpProtocolException>(() => At("2026-03-01T12:00").Instant(value, "from"));
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains("from", error.Message);
    }
}
