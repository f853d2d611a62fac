using System.Globalization;
using System.Text.Json;
using Fractal.Functions.Identity;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Mcp.Records;

/// <summary>
/// Reads one record of a tenant by kind and id into a <see cref="RecordView"/> (for <c>fetch</c> and the
/// record pages). The tenant is always the caller's; an unknown or malformed id is a not-found error.
/// </summary>
public sealed class RecordReader(IWorkOrderService workOrders, IAssetService assets, IRequestService requests, IInventoryService inventory, IPlanService plans,
    IPeopleService people, ITenantSettingsService settings)
{
    private const int MaxLines = 50;

    public async Task<DomainResult<RecordView>> ReadAsync(TenantId tenant, SearchKind kind, string id, CancellationToken ct) => kind switch
    {
        // Dates read in the plant's time zone, with its offset (the settings are cached per process).
        SearchKind.WorkOrder => await WorkOrderAsync(tenant, id, (await settings.GetAsync(tenant, ct)).Clock(), ct),
        SearchKind.Asset => await AssetAsync(tenant, id, ct),
        SearchKind.Request => await RequestAsync(tenant, id, (await settings.GetAsync(tenant, ct)).Clock(), ct),
        SearchKind.Part => await PartAsync(tenant, id, ct),
        SearchKind.Plan => await PlanAsync(tenant, id, ct),
        _ => MaintenanceErrors.NotFound("record", id),
    };

    private async Task<DomainResult<RecordView>> WorkOrderAsync(TenantId tenant, string id, TenantClock clock, CancellationToken ct)
    {
        var result = await workOrders.GetAsync(tenant, id, ct);
        if (!result.IsSuccess) return result.Error;
        var (o, notes) = (result.Value.Order, result.Value.Notes);
        var names = await people.NamesAsync(tenant, ct);
        return new RecordView(SearchKind.WorkOrder, o.Folio, $"{o.Folio} {o.Title}", Fields(
            ("folio", o.Folio), ("title", o.Title), ("status", Code(o.Status)), ("type", Code(o.Type)), ("priority", Number(o.Priority)),
            ("asset", $"{o.AssetId} {o.AssetName}"), ("responsible", o.Responsible is null ? null : PersonNames.Show(names, o.Responsible)), ("request", o.RequestId),
            ("created", Date(o.CreatedAt, clock)), ("due", Date(o.DueAt, clock)), ("scheduled", Date(o.ScheduledAt, clock)), ("ended", Date(o.EndedAt, clock)),
            ("completed", Date(o.CompletedAt, clock)), ("cancelled", Date(o.CancelledAt, clock)), ("cancel_reason", o.CancelReason),
            ("total_cost", o.Resources.Count == 0 ? null : o.TotalCost.ToString("0.##", CultureInfo.InvariantCulture)), ("description", o.Description)),
            Sections(
                ("tasks", o.Tasks.Select(t => $"{t.Id}. {t.Description} — {(t.Done ? "done" : "pending")}" + (t.Failure is { } f ? $" (failure: {f.Type}, severity {f.Severity})" : ""))),
                ("resources", o.Resources.Select(r => $"{Code(r.Kind)}: {r.Description} × {r.Quantity.ToString(CultureInfo.InvariantCulture)} = {r.TotalCost.ToString("0.##", CultureInfo.InvariantCulture)}")),
                ("notes", notes.Select(n => $"{Date(n.At, clock)} {PersonNames.Show(names, n.UserId)}: {n.Text}"))));
    }

    private async Task<DomainResult<RecordView>> AssetAsync(TenantId tenant, string id, CancellationToken ct)
    {
        var result = await assets.GetAsync(tenant, id, ct);
        if (!result.IsSuccess) return result.Error;
        var a = result.Value;
        return new RecordView(SearchKind.Asset, a.Id, $"{a.Id} {a.Name}", Fields(
            ("code", a.Id), ("name", a.Name), ("kind", Code(a.Kind)), ("level", Code(a.Level)), ("parent", a.ParentId),
            ("path", a.Path.TrimEnd('.').Replace(".", " › ", StringComparison.Ordinal)), ("priority", Number(a.Priority)),
            ("active", YesNo(a.Active)), ("in_service", YesNo(a.InService)),
            ("groups", a.Groups is { Count: > 0 } g ? string.Join(", ", g) : null), ("description", a.Description)),
            Sections(("custom_fields", (a.CustomFields ?? new Dictionary<string, string>()).Select(f => $"{f.Key}: {f.Value}"))));
    }

    private async Task<DomainResult<RecordView>> RequestAsync(TenantId tenant, string id, TenantClock clock, CancellationToken ct)
    {
        var result = await requests.GetAsync(tenant, id, ct);
        if (!result.IsSuccess) return result.Error;
        var r = result.Value;
        var names = await people.NamesAsync(tenant, ct);
        return new RecordView(SearchKind.Request, r.Id, $"{r.Id} {r.Title}", Fields(
            ("id", r.Id), ("title", r.Title), ("status", r.Status.Code()), ("urgent", YesNo(r.Urgent)),
            ("asset", r.AssetId is null ? null : $"{r.AssetId} {r.AssetName}"), ("requester", PersonNames.Show(names, r.Requester)), ("created", Date(r.CreatedAt, clock)),
            ("work_order", r.WorkOrderFolio), ("resolution", r.Resolution), ("description", r.Description)), []);
    }

    private async Task<DomainResult<RecordView>> PartAsync(TenantId tenant, string id, CancellationToken ct)
    {
        if (!Asset.IsValidCode(id.Trim().ToUpperInvariant())) return MaintenanceErrors.NotFound("part", id);
        var result = await inventory.GetPartAsync(tenant, id, ct);
        if (!result.IsSuccess) return result.Error;
        var p = result.Value;
        var stock = await inventory.CheckStockAsync(tenant, new StockQuery(PartCode: p.Code), new PageRequest(MaxLines), ct);
        return new RecordView(SearchKind.Part, p.Code, $"{p.Code} {p.Name}", Fields(
            ("code", p.Code), ("name", p.Name), ("unit", p.Unit), ("unit_cost", p.UnitCost.ToString("0.##", CultureInfo.InvariantCulture)), ("category", p.Category)),
            Sections(("stock", (stock.IsSuccess ? stock.Value.Items : []).Select(s =>
                $"{s.WarehouseId}: {s.Quantity.ToString(CultureInfo.InvariantCulture)} {s.Unit} (min {s.Minimum.ToString(CultureInfo.InvariantCulture)}, max {s.Maximum.ToString(CultureInfo.InvariantCulture)})"
                + (s.BelowMinimum ? " — below minimum" : "")))));
    }

    private async Task<DomainResult<RecordView>> PlanAsync(TenantId tenant, string id, CancellationToken ct)
    {
        if (!Asset.IsValidCode(id.Trim().ToUpperInvariant())) return MaintenanceErrors.NotFound("plan", id);
        var result = await plans.GetPlanAsync(tenant, id, ct);
        if (!result.IsSuccess) return result.Error;
        var p = result.Value;
        return new RecordView(SearchKind.Plan, p.Id, $"{p.Id} {p.Name}", Fields(
            ("id", p.Id), ("name", p.Name), ("active", YesNo(p.Active)), ("assets", string.Join(", ", p.AssetIds)), ("description", p.Description)),
            Sections(("plan_tasks", p.Tasks.Select(t => $"{t.Id}. {t.Description} — {Code(t.Trigger)} {t.Interval}, {t.EstimatedMinutes} min"))));
    }

    private static IReadOnlyList<RecordField> Fields(params (string Key, string? Value)[] fields) =>
        fields.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => new RecordField(f.Key, f.Value!)).ToList();

    private static IReadOnlyList<RecordSection> Sections(params (string Key, IEnumerable<string> Lines)[] sections) =>
        sections.Select(s => new RecordSection(s.Key, s.Lines.Take(MaxLines).ToList())).Where(s => s.Lines.Count > 0).ToList();

    /// <summary>An enum value as tools show it (<c>in_process</c>).</summary>
    private static string Code<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string YesNo(bool value) => value ? "yes" : "no";
    /// <summary>How record texts show an instant (fetch, and the text of tools that list events): plant wall time with its offset, e.g. <c>2026-05-06 23:03 -04:00</c>.</summary>
    internal static string? Date(DateTimeOffset? value, TenantClock clock) =>
        value is { } v ? TimeZoneInfo.ConvertTime(v, clock.Zone).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture) : null;
}
