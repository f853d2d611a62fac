using Fractal.Functions.Hosting;
using Fractal.Functions.Hosting.Manage;
using Fractal.Functions.Hosting.Standalone;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// One executable, two ways to host it (docs/architecture.md):
//   * under the Azure Functions host (Core Tools locally, Azure in production): the default;
//   * standalone on Kestrel with `--standalone`, for machines without Core Tools, tests and benchmarks.
// Both register their services through ServiceComposition.AddFractal, so they serve the same behaviour.
if (ManageCommand.IsRequested(args))
{
    return await ManageCommand.RunAsync(args, Console.Out, Console.Error);
}
if (StandaloneHost.IsRequested(args))
{
    await StandaloneHost.RunAsync(args);
    return 0;
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Our worker middleware (outage answers), the same list the standalone host runs around each function.
builder.UseWorkerPipeline();
builder.Services.AddFractal(builder.Configuration, builder.Environment, HostingMode.FunctionsHost);
await builder.Build().RunAsync();
return 0;
