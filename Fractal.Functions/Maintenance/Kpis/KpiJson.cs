using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>JSON of the rollup rows: zero facts are left out, which keeps a busy month's row small.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(SortedDictionary<string, SortedDictionary<int, DayFacts>>))]
[JsonSerializable(typeof(SortedDictionary<string, OpenFacts>))]
internal sealed partial class KpiJson : JsonSerializerContext;
