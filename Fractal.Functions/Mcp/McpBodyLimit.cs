using Fractal.Functions.Hosting.Faults;
using Microsoft.AspNetCore.Http;

namespace Fractal.Functions.Mcp;

/// <summary>
/// The most an MCP POST body may hold, enforced while it is read (issue 24: a 25 MB tools/list was read whole). A
/// JSON-RPC message of ours is a few kilobytes; 1 MB leaves room for any batch or long argument a client can mean.
/// A larger body is refused with 413 and a JSON-RPC error before more than the limit is read, whether the client
/// declared its length or streams it chunked.
/// </summary>
public static class McpBodyLimit
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>JSON-RPC 2.0 §5.1 "Invalid Request": the message as sent cannot be processed.</summary>
    public static readonly IResult TooLarge = new JsonRpcErrorResult(StatusCodes.Status413PayloadTooLarge, -32600,
        $"The request body is larger than {MaxBytes / 1024 / 1024} MB.");

    /// <summary>
    /// Reads the body into memory and hands it back to the request as a seekable stream (the SDK reads the same bytes
    /// again); null, having read at most <see cref="MaxBytes"/> + 1 bytes, when it is larger.
    /// </summary>
    public static async Task<MemoryStream?> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes) return null;
        var ct = request.HttpContext.RequestAborted;
        var buffer = new MemoryStream(request.ContentLength is > 0 and <= 64 * 1024 ? (int)request.ContentLength.Value : 1024);
        request.HttpContext.Response.RegisterForDispose(buffer);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, MaxBytes + 1 - buffer.Length)), ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) return null;
        }
        buffer.Position = 0;
        request.Body = buffer;
        return buffer;
    }
}
