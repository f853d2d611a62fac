namespace Fractal.Functions.Tests.Infrastructure;

internal static class Theory
{
    public static TheoryData<TA, TB> Data<TA, TB>(IEnumerable<(TA, TB)> rows)
    {
        var data = new TheoryData<TA, TB>();
        foreach (var (a, b) in rows) data.Add(a, b);
        return data;
    }
}
