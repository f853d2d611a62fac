using System.Net;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Fractal.Functions.Tests.Mcp;

/// <summary>The record pages search and fetch link to, as a person opens them in headless Chromium.</summary>
public sealed class RecordPageTests
{
    [Fact]
    public async Task A_signed_out_person_is_sent_to_sign_in_and_then_sees_the_work_order()
    {
        var plant = await McpPlant.GetAsync();
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync(plant.App.Issuer() + "/records/wo/OT-1");
        Assert.Contains("/account/sign-in", page.Url);
        Assert.Contains(Uri.EscapeDataString("/records/wo/OT-1"), page.Url);

        await page.SignInAsync(plant.A.Viewer);
        await page.WaitForSelectorAsync("#record-title");
        Assert.EndsWith("/records/wo/OT-1", page.Url);
        Assert.StartsWith("OT-1 ", await page.Locator("#record-title").InnerTextAsync());
        Assert.Equal("Work order", await page.Locator("#record-kind").InnerTextAsync());
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("tr[data-field=status] td").InnerTextAsync()));
        Assert.Contains("Due", await page.Locator("#record-fields").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ScreenshotPath("record-work-order"), FullPage = true });
    }

    [Fact]
    public async Task A_signed_in_person_reads_an_asset_page_in_spanish()
    {
        var plant = await McpPlant.GetAsync();
        await using var context = await Chromium.NewContextAsync("es-CL");
        var page = await context.NewPageAsync();
        await page.GotoAsync(plant.App.Issuer() + "/records/asset/CMP-02");
        await page.SignInAsync(plant.A.Viewer);
        await page.WaitForSelectorAsync("#record-title");
        Assert.Equal("Activo", await page.Locator("#record-kind").InnerTextAsync());
        Assert.Contains("Compresor N°2", await page.Locator("#record-title").InnerTextAsync());
        Assert.Contains("PEA › SRV › SRV-AIRE › CMP-02", await page.Locator("tr[data-field=path] td").InnerTextAsync());
    }

    [Fact]
    public async Task Another_tenants_record_and_an_unknown_kind_are_not_found()
    {
        var plant = await McpPlant.GetAsync();
        var marker = await TenantBMarker.GetAsync();
        await using var context = await Chromium.NewContextAsync("en-US");
        var page = await context.NewPageAsync();
        await page.GotoAsync(plant.App.Issuer() + "/records/asset/CMP-01");
        await page.SignInAsync(plant.A.Viewer);
        await page.WaitForSelectorAsync("#record-title");

        foreach (var path in new[] { $"/records/asset/{marker.AssetId}", "/records/wo/OT-999999", "/records/invoice/1" })
        {
            var response = await page.GotoAsync(plant.App.Issuer() + path);
            Assert.True((int)HttpStatusCode.NotFound == response!.Status, $"{path} answered {response.Status}");
            Assert.False(TenantBMarker.IsIn(await page.ContentAsync()), path);
        }
        // Request numbers are a sequence per tenant: B's marker number may also be one that another test created in A,
        // and then A's own request is rightly shown. What must never show is B's.
        await page.GotoAsync(plant.App.Issuer() + $"/records/request/{marker.RequestId}");
        Assert.False(TenantBMarker.IsIn(await page.ContentAsync()));
    }

    [Fact]
    public async Task A_record_page_carries_the_strict_page_headers()
    {
        var plant = await McpPlant.GetAsync();
        using var browser = new BrowserlessSession(plant.App);
        await browser.SignInOrFailAsync(plant.A.Viewer);
        using var response = await browser.Http.GetAsync("/records/part/ROD-02");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("BOD-CEN", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_person_without_the_kinds_read_permission_gets_403_while_kinds_they_may_read_open()
    {
        var plant = await McpPlant.GetAsync();
        var assetsOnly = await SearchAndFetchTests.AssetsOnlyUserAsync(plant);
        using var browser = new BrowserlessSession(plant.App);
        await browser.SignInOrFailAsync(assetsOnly);
        using var refused = await browser.Http.GetAsync("/records/wo/OT-1");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var allowed = await browser.Http.GetAsync("/records/asset/CMP-02");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }
}
