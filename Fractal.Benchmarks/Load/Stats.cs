namespace Fractal.Benchmarks.Load;

public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>"min–max" of the runs, the spread quoted beside each median.</summary>
    public static string Spread(IEnumerable<double> values, string format = "N0")
    {
        var list = values.ToList();
        return list.Count == 0 ? "" : $"{list.Min().ToString(format)}–{list.Max().ToString(format)}";
    }
}

/// <summary>Prints a Markdown table to the console and appends it to the run's results file.</summary>
public static class Report
{
    public static string? ResultsFile { get; set; }

    public static void Line(string text = "")
    {
        Console.WriteLine(text);
        if (ResultsFile is not null) File.AppendAllText(ResultsFile, text + Environment.NewLine);
    }

    public static void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        Line("| " + string.Join(" | ", header) + " |");
        Line("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows) Line("| " + string.Join(" | ", row) + " |");
        Line();
    }
}
