namespace Fractal.Benchmarks.Cases;
public static class AuthBenchmarks { public static int Run(string[] args) => throw new NotImplementedException(); }
public static class TokenCase { public static Task RunAsync(BenchContext b) => throw new NotImplementedException(); }
public static class StartupCase { public static Task RunAsync(BenchContext b) => throw new NotImplementedException(); }
public static class KpiCase { public static Task RunAsync(BenchContext b) => throw new NotImplementedException(); }
public static class SteadyCase { public static Task RunAsync(BenchContext b, double m) => throw new NotImplementedException(); }
