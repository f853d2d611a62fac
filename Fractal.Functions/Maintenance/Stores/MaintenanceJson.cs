using System.Text.Json;
using System.Text.Json.Serialization;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Activity;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.Inventory;
using Fractal.Functions.Maintenance.Domain.Meters;
using Fractal.Functions.Maintenance.Domain.People;
using Fractal.Functions.Maintenance.Domain.Plans;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Domain.Tenancy;
using Fractal.Functions.Maintenance.Domain.WorkOrders;

namespace Fractal.Functions.Maintenance.Stores;

/// <summary>Source-generated JSON for every record and index payload stored in the maintenance tables.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WorkOrder))]
[JsonSerializable(typeof(WorkOrderSummary))]
[JsonSerializable(typeof(HistoryEntry))]
[JsonSerializable(typeof(IReadOnlyList<HistoryEntry>))]
[JsonSerializable(typeof(WorkOrderNote))]
[JsonSerializable(typeof(DowntimeInterval))]
[JsonSerializable(typeof(Asset))]
[JsonSerializable(typeof(ServiceRequest))]
[JsonSerializable(typeof(RequestSummary))]
[JsonSerializable(typeof(Meter))]
[JsonSerializable(typeof(MeterReading))]
[JsonSerializable(typeof(PreventivePlan))]
[JsonSerializable(typeof(PendingTask))]
[JsonSerializable(typeof(Warehouse))]
[JsonSerializable(typeof(Part))]
[JsonSerializable(typeof(StockLevel))]
[JsonSerializable(typeof(TenantSettings))]
[JsonSerializable(typeof(ActivityEvent))]
[JsonSerializable(typeof(Person))]
internal sealed partial class MaintenanceJson : JsonSerializerContext;
