using System.Text.Json.Serialization;

namespace Fractal.Functions.Maintenance.Kpis;

/// <summary>A failure of a given type at an instant (Unix seconds): what first-time fix compares.</summary>
public sealed record FailureMark([property: JsonPropertyName("t")] string Type, [property: JsonPropertyName("a")] long At);

/// <summary>
/// What the work orders of one asset contributed to one local day: the additive facts every KPI is built
/// from. Rollup rows hold these per month, asset and day, and every order change adds (its facts after)
/// minus (its facts before) in the same transaction as the change. Short JSON names keep the rows small.
/// </summary>
public sealed class DayFacts
{
    /// <summary>Failure-coded tasks whose asset stop (failure) falls on this day.</summary>
    [JsonPropertyName("f")] public long Failures { get; set; }
    /// <summary>Of those, the ones whose task took the asset out of service: what stops a line (the line view of MTBF).</summary>
    [JsonPropertyName("fs")] public long StoppingFailures { get; set; }
    /// <summary>Out-of-service seconds inside operating time on this day (closed intervals; open ones are added when read).</summary>
    [JsonPropertyName("d")] public long DownSeconds { get; set; }
    /// <summary>Closed out-of-service intervals starting this day.</summary>
    [JsonPropertyName("di")] public long DownIntervals { get; set; }
    /// <summary>Repairs (failure restored) this day and their stop-to-restoration seconds; how many used task times instead.</summary>
    [JsonPropertyName("r")] public long Repairs { get; set; }
    [JsonPropertyName("rs")] public long RepairSeconds { get; set; }
    [JsonPropertyName("rt")] public long RepairsFromTaskTimes { get; set; }
    /// <summary>Failures of this day with no repair time yet (not restored, no task times).</summary>
    [JsonPropertyName("fm")] public long FailuresWithoutRepairTime { get; set; }
    /// <summary>Preventive and inspection orders due this day; how many ended; how many ended on time per grace rule.</summary>
    [JsonPropertyName("pd")] public long PmDue { get; set; }
    [JsonPropertyName("pe")] public long PmEnded { get; set; }
    [JsonPropertyName("p0")] public long PmOnTimeNone { get; set; }
    [JsonPropertyName("p1")] public long PmOnTimeOneDay { get; set; }
    [JsonPropertyName("p20")] public long PmOnTime20 { get; set; }
    /// <summary>Of those due, the ones without a plan interval (their 20% grace is 0).</summary>
    [JsonPropertyName("pni")] public long PmWithoutInterval { get; set; }
    /// <summary>PM orders due this day still not ended, counted by their 20% grace in days (the deadline needs it).</summary>
    [JsonPropertyName("po")] public Dictionary<int, long>? PmOpenByGrace20 { get; set; }
    /// <summary>Real minutes of tasks ended this day, all and planned (preventive + inspection); tasks with and without real minutes.</summary>
    [JsonPropertyName("tm")] public long RealMinutes { get; set; }
    [JsonPropertyName("tp")] public long RealMinutesPlanned { get; set; }
    [JsonPropertyName("tn")] public long TasksTimed { get; set; }
    [JsonPropertyName("tx")] public long TasksUntimed { get; set; }
    /// <summary>Orders due this day (any type) and how many of them have their work ended.</summary>
    [JsonPropertyName("cd")] public long Due { get; set; }
    [JsonPropertyName("ce")] public long DueEnded { get; set; }
    /// <summary>Costs of orders dated this day (work end, or creation while open) and how many orders cost something.</summary>
    [JsonPropertyName("cp")] public decimal CostParts { get; set; }
    [JsonPropertyName("cl")] public decimal CostLabour { get; set; }
    [JsonPropertyName("cs")] public decimal CostServices { get; set; }
    [JsonPropertyName("co")] public long CostOrders { get; set; }
    /// <summary>Corrective/emergency failure orders whose work ended this day (first-time fix candidates).</summary>
    [JsonPropertyName("fx")] public List<FailureMark>? Fixes { get; set; }
    /// <summary>Corrective/emergency failure orders whose failure happened this day (possible repeats).</summary>
    [JsonPropertyName("oc")] public List<FailureMark>? Occurrences { get; set; }

    /// <summary>Adds <paramref name="other"/> times <paramref name="sign"/> (+1 or −1).</summary>
    public void Add(DayFacts other, int sign)
    {
        Failures += sign * other.Failures; StoppingFailures += sign * other.StoppingFailures; DownSeconds += sign * other.DownSeconds; DownIntervals += sign * other.DownIntervals;
        Repairs += sign * other.Repairs; RepairSeconds += sign * other.RepairSeconds; RepairsFromTaskTimes += sign * other.RepairsFromTaskTimes;
        FailuresWithoutRepairTime += sign * other.FailuresWithoutRepairTime;
        PmDue += sign * other.PmDue; PmEnded += sign * other.PmEnded; PmOnTimeNone += sign * other.PmOnTimeNone;
        PmOnTimeOneDay += sign * other.PmOnTimeOneDay; PmOnTime20 += sign * other.PmOnTime20; PmWithoutInterval += sign * other.PmWithoutInterval;
        RealMinutes += sign * other.RealMinutes; RealMinutesPlanned += sign * other.RealMinutesPlanned;
        TasksTimed += sign * other.TasksTimed; TasksUntimed += sign * other.TasksUntimed;
        Due += sign * other.Due; DueEnded += sign * other.DueEnded;
        CostParts += sign * other.CostParts; CostLabour += sign * other.CostLabour; CostServices += sign * other.CostServices; CostOrders += sign * other.CostOrders;
        foreach (var (grace, count) in other.PmOpenByGrace20 ?? [])
        {
            PmOpenByGrace20 ??= [];
            var next = PmOpenByGrace20.GetValueOrDefault(grace) + sign * count;
            if (next == 0) PmOpenByGrace20.Remove(grace);
            else PmOpenByGrace20[grace] = next;
        }
        if (PmOpenByGrace20 is { Count: 0 }) PmOpenByGrace20 = null;
        Fixes = Merge(Fixes, other.Fixes, sign);
        Occurrences = Merge(Occurrences, other.Occurrences, sign);
    }

    [JsonIgnore]
    public bool IsEmpty => this is { Failures: 0, StoppingFailures: 0, DownSeconds: 0, DownIntervals: 0, Repairs: 0, RepairSeconds: 0, RepairsFromTaskTimes: 0,
        FailuresWithoutRepairTime: 0, PmDue: 0, PmEnded: 0, PmOnTimeNone: 0, PmOnTimeOneDay: 0, PmOnTime20: 0, PmWithoutInterval: 0,
        PmOpenByGrace20: null, RealMinutes: 0, RealMinutesPlanned: 0, TasksTimed: 0, TasksUntimed: 0, Due: 0, DueEnded: 0, CostOrders: 0,
        Fixes: null, Occurrences: null } && CostParts == 0 && CostLabour == 0 && CostServices == 0;

    /// <summary>A multiset add/remove of marks, kept sorted so equal facts serialize equally.</summary>
    private static List<FailureMark>? Merge(List<FailureMark>? mine, List<FailureMark>? theirs, int sign)
    {
        if (theirs is null or { Count: 0 }) return mine;
        var result = mine is null ? [] : new List<FailureMark>(mine);
        foreach (var mark in theirs)
        {
            if (sign > 0) result.Add(mark);
            else if (!result.Remove(mark)) throw new InvalidOperationException($"Rollup out of step: no failure mark {mark} to remove.");
        }
        result.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Type, b.Type));
        return result.Count == 0 ? null : result;
    }
}

/// <summary>The open work of one asset now: open orders, planned minutes of their undone tasks, undone tasks without an estimate.</summary>
public sealed class OpenFacts
{
    [JsonPropertyName("n")] public long OpenOrders { get; set; }
    [JsonPropertyName("m")] public long RemainingMinutes { get; set; }
    [JsonPropertyName("x")] public long TasksWithoutEstimate { get; set; }

    public void Add(OpenFacts other, int sign)
    {
        OpenOrders += sign * other.OpenOrders;
        RemainingMinutes += sign * other.RemainingMinutes;
        TasksWithoutEstimate += sign * other.TasksWithoutEstimate;
    }

    [JsonIgnore]
    public bool IsEmpty => OpenOrders == 0 && RemainingMinutes == 0 && TasksWithoutEstimate == 0;
}
