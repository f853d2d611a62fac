using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Fractal.Functions.Consumers;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Assets;
using Fractal.Functions.Maintenance.Domain.WorkOrders;
using Fractal.Functions.Maintenance.Stores;
using Fractal.Functions.Maintenance.Stores.WorkOrders;
using Fractal.Functions.OAuth.Grants;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Cut = Fractal.Functions.Tests.Infrastructure.StorageFaultInjector.Cut;

namespace Fractal.Functions.Tests.Reliability;

/// <summary>How a cut run goes: the uncut probe, the cut at each request k, the outage answer each protocol must give.</summary>
public sealed partial class HalfResultTests
{
    /// <summary>
    /// Runs the operation once uncut to list its N dependency requests, then for k = 1..N on fresh state: cut request k
    /// (<paramref name="cut"/>: before it, or losing its answer), check the outcome, retry uncut. Returns the uncut run's requests (and prints them for the docs).
    /// </summary>
    private async Task<IReadOnlyList<string>> CutEachRequestAsync<TState>(string operation, Cut cut, Func<Task<TState>> arrange,
        Func<TState, string, Task<HttpResponseMessage>> act, Func<TState, Answer, Task> check, Func<TState, Answer, Task> retry)
    {
        // A warm instance: the first run of an operation also creates tables and service keys once per process.
        var warm = await Answer.ReadAsync(await act(await arrange(), app.Injector.Arm(0)));
        Assert.True((int)warm.Status < 400, $"{operation} uncut answered {(int)warm.Status}: {warm.Body}");
        var probeState = await arrange();
        var probeTag = app.Injector.Arm(0);
        var probe = await Answer.ReadAsync(await act(probeState, probeTag));
        Assert.True((int)probe.Status < 400, $"{operation} uncut answered {(int)probe.Status}: {probe.Body}");
        var calls = app.Injector.Of(probeTag);
        output.WriteLine($"{operation}: N = {calls.Count}: {string.Join(", ", calls)}");
        Assert.NotEmpty(calls);

        for (var k = 1; k <= calls.Count; k++)
        {
            var state = await arrange();
            var tag = app.Injector.Arm(k, cut);
            _cutCall = calls[k - 1];
            var answer = await Answer.ReadAsync(await act(state, tag));
            var seen = app.Injector.Of(tag);
            output.WriteLine($"  {(cut == Cut.BeforeRequest ? "cut before" : "answer lost of")} {k} ({calls[k - 1]}): {(int)answer.Status} {Snippet(answer.Body)}");
            // The cut run took the same path up to the cut, so it cut what the probe says.
            Assert.True(seen.Count >= k, $"{operation}: cut {k} expected request '{calls[k - 1]}', the run made only {seen.Count}: {string.Join(", ", seen)}");
            Assert.Equal(calls.Take(k).ToList(), seen.Take(k).ToList());
            try
            {
                await check(state, answer);
                await retry(state, answer);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"{operation}, {cut} at request {k} of {calls.Count} ({calls[k - 1]}), answered {(int)answer.Status} {Snippet(answer.Body)}: {e.Message}");
            }
        }
        return calls;
    }

    public sealed record Answer(HttpStatusCode Status, string? MediaType, string? RetryAfter, string Body, string? Location = null)
    {
        /// <summary>The JSON-RPC message of a tool call's answer (the event stream's data line, or a plain JSON body).</summary>
        public JsonNode? JsonRpc() => JsonNode.Parse(Body.Split('\n').FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal))?["data: ".Length..] ?? Body);

        public static async Task<Answer> ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.RetryAfter?.ToString(), await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
            }
        }
    }

    private enum Format { OAuth, Problem, Html, JsonRpc }

    /// <summary>The endpoint's own outage answer: 503 + Retry-After in its format (a tool call's stream says it in JSON-RPC alone).</summary>
    private static void AssertOutage(Answer answer, Format format)
    {
        Assert.NotEqual(HttpStatusCode.InternalServerError, answer.Status);
        if (format == Format.JsonRpc)
        {
            Assert.Contains("\"code\":-32001", answer.Body);
            Assert.True(answer.Status == HttpStatusCode.OK || (answer.Status == HttpStatusCode.ServiceUnavailable && answer.RetryAfter is not null),
                $"{(int)answer.Status} RA={answer.RetryAfter}");
            return;
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.NotNull(answer.RetryAfter);
        switch (format)
        {
            case Format.OAuth:
                Assert.Equal("application/json", answer.MediaType);
                Assert.Contains("\"error\":\"temporarily_unavailable\"", answer.Body);
                break;
            case Format.Problem:
                Assert.Equal("application/problem+json", answer.MediaType);
                break;
            case Format.Html:
                Assert.Equal("text/html", answer.MediaType);
                Assert.Contains("briefly unavailable", answer.Body);
                break;
        }
    }
}
