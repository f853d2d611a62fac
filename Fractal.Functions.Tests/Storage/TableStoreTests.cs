using Azure;
using Azure.Data.Tables;
using Fractal.Functions.Storage;
using Fractal.Functions.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Fractal.Functions.Tests.Storage;

public sealed class TableStoreTests
{
    private sealed class Row : StoredEntity
    {
        public string Text { get; set; } = "";
    }

    private static async Task<(TableStore Store, PagedReader Reader, string Table)> ArrangeAsync()
    {
        var app = await TestApp.Shared;
        var table = "t" + Guid.NewGuid().ToString("N")[..20];
        return (app.Services.GetRequiredService<TableStore>(), app.Services.GetRequiredService<PagedReader>(), table);
    }

    [Fact]
    public async Task A_missing_table_is_created_on_first_use()
    {
        var (store, _, table) = await ArrangeAsync();
        Assert.Null(await store.FindAsync<Row>(table, "p", "r"));
        await store.UpsertAsync(table, new Row { PartitionKey = "p", RowKey = "r", Text = "hello" });
        Assert.Equal("hello", (await store.FindAsync<Row>(table, "p", "r"))!.Text);
    }

    [Fact]
    public async Task Every_row_carries_its_schema_version()
    {
        var (store, _, table) = await ArrangeAsync();
        await store.UpsertAsync(table, new Row { PartitionKey = "p", RowKey = "r" });
        var raw = await (await store.GetTableAsync(table)).GetEntityAsync<TableEntity>("p", "r");
        Assert.Equal(1, raw.Value.GetInt32("SchemaVersion"));
    }

    [Fact]
    public async Task Adding_an_existing_row_is_a_typed_conflict()
    {
        var (store, _, table) = await ArrangeAsync();
        Assert.True((await store.TryAddAsync(table, new Row { PartitionKey = "p", RowKey = "r", Text = "first" })).Succeeded);
        var second = await store.TryAddAsync(table, new Row { PartitionKey = "p", RowKey = "r", Text = "second" });
        Assert.Equal(WriteStatus.Conflict, second.Status);
        Assert.Equal("first", (await store.FindAsync<Row>(table, "p", "r"))!.Text);
    }

    [Fact]
    public async Task Replacing_with_a_stale_etag_is_a_typed_conflict_and_changes_nothing()
    {
        var (store, _, table) = await ArrangeAsync();
        await store.TryAddAsync(table, new Row { PartitionKey = "p", RowKey = "r", Text = "v1" });
        var a = (await store.FindAsync<Row>(table, "p", "r"))!;
        var b = (await store.FindAsync<Row>(table, "p", "r"))!;
        a.Text = "a";
        b.Text = "b";
        Assert.True((await store.TryReplaceAsync(table, a, a.ETag)).Succeeded);
        Assert.Equal(WriteStatus.Conflict, (await store.TryReplaceAsync(table, b, b.ETag)).Status);
        Assert.Equal("a", (await store.FindAsync<Row>(table, "p", "r"))!.Text);
    }

    [Fact]
    public async Task Replacing_or_deleting_a_missing_row_is_not_found()
    {
        var (store, _, table) = await ArrangeAsync();
        Assert.Equal(WriteStatus.NotFound, (await store.TryReplaceAsync(table, new Row { PartitionKey = "p", RowKey = "gone" }, ETag.All)).Status);
        Assert.Equal(WriteStatus.NotFound, (await store.TryDeleteAsync(table, "p", "gone", ETag.All)).Status);
    }

    [Fact]
    public async Task Twenty_parallel_conditional_updates_of_one_row_give_exactly_one_success()
    {
        var (store, _, table) = await ArrangeAsync();
        await store.TryAddAsync(table, new Row { PartitionKey = "p", RowKey = "r" });
        var read = (await store.FindAsync<Row>(table, "p", "r"))!;
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            store.TryReplaceAsync(table, new Row { PartitionKey = "p", RowKey = "r", Text = $"writer {i}" }, read.ETag)));
        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.Equal(19, results.Count(r => r.Status == WriteStatus.Conflict));
    }

    [Fact]
    public async Task A_transaction_with_a_conflicting_insert_writes_nothing()
    {
        var (store, _, table) = await ArrangeAsync();
        await store.TryAddAsync(table, new Row { PartitionKey = "p", RowKey = "b" });
        var result = await store.TrySubmitAsync(table,
        [
            new TableTransactionAction(TableTransactionActionType.Add, new Row { PartitionKey = "p", RowKey = "a" }),
            new TableTransactionAction(TableTransactionActionType.Add, new Row { PartitionKey = "p", RowKey = "b" }),
        ]);
        Assert.Equal(WriteStatus.Conflict, result.Status);
        Assert.Null(await store.FindAsync<Row>(table, "p", "a"));
    }

    [Fact]
    public async Task A_range_query_pages_through_its_partition_range_only_with_opaque_cursors()
    {
        var (store, reader, table) = await ArrangeAsync();
        for (var i = 0; i < 25; i++) await store.UpsertAsync(table, new Row { PartitionKey = "p", RowKey = $"item-{i:D3}" });
        await store.UpsertAsync(table, new Row { PartitionKey = "p", RowKey = "other-000" });
        await store.UpsertAsync(table, new Row { PartitionKey = "q", RowKey = "item-000" });

        var query = RangeQuery.Prefix(table, "p", "item-");
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await reader.ReadPageAsync<Row>(query, 10, cursor);
            seen.AddRange(page.Items.Select(r => r.RowKey));
            cursor = page.NextCursor;
            pages++;
            if (cursor is not null) Assert.DoesNotContain("item-", cursor);
        } while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"item-{i:D3}"), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_tampered_cursor_or_one_from_another_partition_is_refused()
    {
        var (store, reader, table) = await ArrangeAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.UpsertAsync(table, new Row { PartitionKey = "tenant-a", RowKey = $"item-{i}" });
            await store.UpsertAsync(table, new Row { PartitionKey = "tenant-b", RowKey = $"item-{i}" });
        }
        var first = await reader.ReadPageAsync<Row>(RangeQuery.Prefix(table, "tenant-a", "item-"), 2, null);
        Assert.NotNull(first.NextCursor);

        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            reader.ReadPageAsync<Row>(RangeQuery.Prefix(table, "tenant-b", "item-"), 2, first.NextCursor));
        var tampered = "A" + first.NextCursor![1..];
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            reader.ReadPageAsync<Row>(RangeQuery.Prefix(table, "tenant-a", "item-"), 2, tampered));
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            reader.ReadPageAsync<Row>(RangeQuery.Prefix(table, "tenant-a", "item-"), 2, "not a cursor"));
    }
}
