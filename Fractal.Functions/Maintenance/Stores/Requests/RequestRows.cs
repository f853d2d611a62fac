using System.Text.Json;
using Azure.Data.Tables;
using Fractal.Functions.Maintenance.Api;
using Fractal.Functions.Maintenance.Domain.Requests;
using Fractal.Functions.Maintenance.Search;

namespace Fractal.Functions.Maintenance.Stores.Requests;

/// <summary>RowKeys of the request table (one partition per tenant) and a request's derived rows.</summary>
internal static class RequestRows
{
    public const string CounterKey = "ctr|sr";
    public const string ByStatus = "x|st|", All = "x|al|";

    public static string Record(long n) => "sr|" + Keys.Number(n);
    public static string Idempotency(string key) => "idem|" + Keys.Text(key);

    public static List<IndexRow> Project(string partition, ServiceRequest request)
    {
        var inv = Keys.Inverted(request.Number);
        var summary = JsonSerializer.Serialize(RequestSummary.From(request), MaintenanceJson.Default.RequestSummary);
        var rows = new List<IndexRow>
        {
            new() { PartitionKey = partition, RowKey = $"{All}{inv}", Ref = request.Id, Data = summary },
            new() { PartitionKey = partition, RowKey = $"{ByStatus}{(int)request.Status}|{inv}", Ref = request.Id, Data = summary },
        };
        var terms = SearchTerms.Build((request.Id, SearchTerms.IdentifierWeight), (request.Title, SearchTerms.TitleWeight),
            (request.AssetName, SearchTerms.RelatedWeight), (request.Description, SearchTerms.TextWeight));
        foreach (var (term, weight) in terms)
            rows.Add(new IndexRow { PartitionKey = partition, RowKey = $"{TermIndexReader.Prefix}{term}|{inv}", Ref = request.Id, Data = request.Title, Weight = weight });
        return rows;
    }

    public static TableEntity Encode(string partition, ServiceRequest request) =>
        RecordCodec.Encode(partition, Record(request.Number), "request", request, MaintenanceJson.Default.ServiceRequest);
}
