using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsBench.StateFun;

/// <summary>
/// The StateFun request-reply HTTP endpoint, shared by the standalone server and the Functions host.
/// Accepts any path: StateFun builds the URL from <c>urlPathTemplate</c> and the playground posts to <c>/</c>.
/// </summary>
/// <remarks>
/// Status codes: 200 with <c>application/octet-stream</c> and a <c>FromFunction</c> body; 405 for a method other
/// than POST; 415 for a content type other than <c>application/octet-stream</c>; 413 for a body over
/// <see cref="MaxBodyBytes"/>; 400 for a body that is not a usable <c>ToFunction</c> (malformed or truncated
/// protobuf, no batch or target); 404 for a function type that is not served; 500 when a function throws, including
/// for a message type it does not accept. 500 is deliberate there: the official SDKs answer so, and StateFun
/// retries 5xx until its call timeout, so a deployment that fixes the function still gets the message, whereas a
/// 4xx fails the job at once.
/// </remarks>
public static class StateFunHttpEndpoint
{
    /// <summary>The largest accepted request body, 1 MiB.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>The only content type of requests and replies; the runtime checks the reply's exactly.</summary>
    public const string ContentType = "application/octet-stream";

    private const string PlainText = "text/plain; charset=utf-8";

    /// <summary>Handles one request with <paramref name="handler"/> and writes the response.</summary>
    public static async Task HandleAsync(HttpContext context, RequestReplyHandler handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        var request = context.Request;

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await RejectAsync(context, StatusCodes.Status405MethodNotAllowed, "Only POST is allowed.").ConfigureAwait(false);
            return;
        }

        if (!IsOctetStream(request.ContentType))
        {
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/octet-stream.").ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "The body is larger than 1 MiB.").ConfigureAwait(false);
            return;
        }

        var reader = request.BodyReader;
        ReadResult read;
        try
        {
            read = await ReadBodyAsync(reader, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "The body is larger than 1 MiB.").ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel reports a body cut short by the client (or over its own limit) this way.
            await RejectAsync(context, e.StatusCode, "The request body could not be read.").ConfigureAwait(false);
            return;
        }

        Protocol.FromFunction reply;
        try
        {
            // One copy of the body, which the handler reads in place; the transport's buffers are free again at once.
            byte[] body;
            try
            {
                body = read.Buffer.ToArray();
            }
            finally
            {
                reader.AdvanceTo(read.Buffer.End);
            }

            reply = await handler.ReplyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (StateFunInvalidRequestException e)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, e.Message).ConfigureAwait(false);
            return;
        }
        catch (StateFunUnknownFunctionException e)
        {
            await RejectAsync(context, StatusCodes.Status404NotFound, e.Message).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            // A throwing function must never take the process down; the runtime retries a 500.
            Logs.FunctionFailed(LoggerFor(context), e);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = PlainText;
                await context.Response.WriteAsync("The function failed.", context.RequestAborted).ConfigureAwait(false);
            }

            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        var (buffer, size) = FromFunctionEncoder.EncodeRented(reply);
        try
        {
            response.ContentLength = size;

            // One contiguous span of the known size: Kestrel's writer rejects the Advance(0) that protobuf's
            // IBufferWriter path issues before the response has started.
            var writer = response.BodyWriter;
            buffer.AsSpan(0, size).CopyTo(writer.GetSpan(size));
            writer.Advance(size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async ValueTask<ReadResult> ReadBodyAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                throw new BodyTooLargeException();
            }

            if (read.IsCompleted)
            {
                return read;
            }

            // Consume nothing, examine everything: the next read returns the whole body so far plus more.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static bool IsOctetStream(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        return mediaType.Trim().Equals(ContentType, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task RejectAsync(HttpContext context, int statusCode, string reason)
    {
        Logs.RequestRejected(LoggerFor(context), statusCode, reason);
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.StatusCode = statusCode;
        response.ContentType = PlainText;
        await response.WriteAsync(reason, context.RequestAborted).ConfigureAwait(false);
    }

    private static ILogger LoggerFor(HttpContext context) =>
        context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(StateFunHttpEndpoint).FullName!)
        ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    private sealed class BodyTooLargeException : Exception;
}
