using System.Diagnostics.CodeAnalysis;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Fractal.Benchmarks.Infrastructure;

/// <summary>
/// When <see cref="Enabled"/>, answers the app's AuditLog batch transactions itself with the success response
/// Table Storage would give (202, one 204 per row), so Azurite never processes them. Everything the app does for
/// an audit row (building, queuing, batching, serialising, signing the request) still runs; only the emulator's
/// work is left out. Why: Azurite's in-memory store checks a new row against every row of its partition (its
/// index is on PartitionKey, and an audit log is one partition per tenant), so each audit row costs it
/// more CPU the longer a run lasts — CPU taken from the app on the same 2 cores. Azure Table Storage indexes
/// (PartitionKey, RowKey) and runs elsewhere. Used for the "(audit rows acknowledged in process)" targets only.
/// </summary>
public sealed class AuditBatchStub : HttpPipelinePolicy
{
    public static volatile bool Enabled;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (TryAnswer(message)) return;
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        TryAnswer(message) ? ValueTask.CompletedTask : ProcessNextAsync(message, pipeline);

    private static bool TryAnswer(HttpMessage message)
    {
        if (!Enabled || message.Request.Method != RequestMethod.Post || !message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)
            || message.Request.Content is null) return false;
        // The body is written out as the transport would write it to the socket, then searched as bytes: the stub's
        // own work should stay small beside what it stands in for (its cost is counted as the app's).
        using var body = new MemoryStream();
        message.Request.Content.WriteTo(body, CancellationToken.None);
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        if (bytes.IndexOf("/AuditLog"u8) < 0) return false;
        message.Response = new BatchResponse(CountOf(bytes, "Content-ID:"u8));
        return true;
    }

    private static int CountOf(ReadOnlySpan<byte> text, ReadOnlySpan<byte> what)
    {
        var count = 0;
        for (var i = text.IndexOf(what); i >= 0; i = text.IndexOf(what))
        {
            count++;
            text = text[(i + what.Length)..];
        }
        return count;
    }

    /// <summary>The multipart/mixed answer of a successful entity group transaction of inserts.</summary>
    private sealed class BatchResponse : Response
    {
        private const string Batch = "batchresponse_bench";
        private const string Changeset = "changesetresponse_bench";
        private readonly Dictionary<string, string> _headers;

        // One answer per row count, built once: the bytes a socket would deliver (the SDK still parses them each time).
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte[]> Answers = new();

        public BatchResponse(int rows)
        {
            ContentStream = new MemoryStream(Answers.GetOrAdd(rows, Build), writable: false);
            _headers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["Content-Type"] = $"multipart/mixed; boundary={Batch}",
                ["DataServiceVersion"] = "3.0;",
            };
        }

        private static byte[] Build(int rows)
        {
            var text = new StringBuilder();
            text.Append($"--{Batch}\r\nContent-Type: multipart/mixed; boundary={Changeset}\r\n\r\n");
            for (var i = 0; i < rows; i++)
            {
                text.Append($"--{Changeset}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
                text.Append("HTTP/1.1 204 No Content\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\n");
                text.Append("Preference-Applied: return-no-content\r\nDataServiceVersion: 3.0;\r\n");
                text.Append($"ETag: W/\"datetime'{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ}'\"\r\n\r\n\r\n");
            }
            text.Append($"--{Changeset}--\r\n--{Batch}--\r\n");
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        public override int Status => 202;
        public override string ReasonPhrase => "Accepted";
        public override Stream? ContentStream { get; set; }
        public override string ClientRequestId { get; set; } = "";
        public override void Dispose() => ContentStream?.Dispose();
        protected override bool ContainsHeader(string name) => _headers.ContainsKey(name);
        protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers.Select(h => new HttpHeader(h.Key, h.Value));
        protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => _headers.TryGetValue(name, out value);
        protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
        {
            values = _headers.TryGetValue(name, out var value) ? [value] : null;
            return values is not null;
        }
    }
}
