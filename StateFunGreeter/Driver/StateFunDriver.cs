using System.Net.Http.Headers;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun;

/// <summary>
/// The bench's stand-in for the StateFun runtime: drives the greeter over HTTP the way a StateFun cluster would.
/// </summary>
/// <remarks>
/// Per login it sends a <c>UserLogin</c> to <c>greeter.fns/user/&lt;userId&gt;</c> with the address's state
/// attached, answers a state handshake by registering the missing states (first wins) and resending the same
/// invocation, applies the state mutations, delivers each outgoing message with <c>caller</c> set to the sender
/// (the <c>UserProfile</c> goes to <c>greeter.fns/greetings</c>), and collects the egress greeting. Each greeting is
/// checked: its seen count must be one higher than the last one for the user, and its text exactly the
/// playground's. The latency of a login runs from sending the <c>UserLogin</c> to receiving the greeting.
/// Messages are delivered one at a time, so every request carries a batch of one invocation.
/// The endpoint may be any StateFun request-reply endpoint: this project's greeter or an official SDK's.
/// </remarks>
/// <param name="httpClient">
/// The client for every request; reuse one per process. Its <see cref="HttpClient.Timeout"/> costs a timer per
/// request when finite; a caller that bounds the chunk with its own token can set it to infinite.
/// </param>
/// <param name="timeProvider">The clock for timestamps and latencies; <see cref="TimeProvider.System"/> when null.</param>
public sealed partial class StateFunDriver(HttpClient httpClient, TimeProvider? timeProvider = null)
{
    // A function that keeps messaging itself would otherwise loop forever inside one login.
    private const int MaxDeliveriesPerLogin = 64;
    private const int MaxHandshakesPerDelivery = 4;
    private const int MaxReplyBytes = 16 * 1024 * 1024;
    private const string FunctionNamePlaceholder = "{function.name}";
    private const string LoginType = "WEB";

    private static readonly MediaTypeHeaderValue OctetStream = new(StateFunHttpEndpoint.ContentType);

    /// <summary>The header that carries an Azure Functions function key.</summary>
    public const string FunctionKeyHeader = "x-functions-key";

    private readonly HttpClient httpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// A POST of <paramref name="body"/> as the StateFun runtime sends it (<c>application/octet-stream</c>), with
    /// <paramref name="functionKey"/> in <see cref="FunctionKeyHeader"/> when not null. The HTTP floor posts the same.
    /// </summary>
    public static HttpRequestMessage NewRequest(Uri url, byte[] body, string? functionKey)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = OctetStream;
        if (functionKey is not null)
        {
            message.Headers.Add(FunctionKeyHeader, functionKey);
        }

        return message;
    }

    /// <summary>
    /// A body the size of the driver's requests, for the HTTP floor: the <c>ToFunction</c> that delivers a
    /// <c>UserLogin</c> to <c>greeter.fns/user/&lt;userId&gt;</c> with both of its states attached.
    /// </summary>
    public static byte[] FloorBody(string userId, string userName)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(userName);
        var batch = new Proto.ToFunction.Types.InvocationBatchRequest
        {
            Target = new Proto.Address { Namespace = Greeter.UserFunction.Namespace, Type = Greeter.UserFunction.Name, Id = userId },
        };
        batch.State.Add(new Proto.ToFunction.Types.PersistedValue
        {
            StateName = Greeter.SeenCount.Name,
            StateValue = new Proto.TypedValue { Typename = Greeter.SeenCount.TypeName.FullName, HasValue = true, Value = ByteString.CopyFrom(Greeter.SeenCount.Type.Serialize(1).Span) },
        });
        batch.State.Add(new Proto.ToFunction.Types.PersistedValue
        {
            StateName = Greeter.SeenTimestampMs.Name,
            StateValue = new Proto.TypedValue { Typename = Greeter.SeenTimestampMs.TypeName.FullName, HasValue = true, Value = ByteString.CopyFrom(Greeter.SeenTimestampMs.Type.Serialize(DateTimeOffset.UnixEpoch.ToUnixTimeMilliseconds()).Span) },
        });
        batch.Invocations.Add(new Proto.ToFunction.Types.Invocation
        {
            Argument = new Proto.TypedValue
            {
                Typename = Greeter.UserLoginType.TypeName.FullName,
                HasValue = true,
                Value = ByteString.CopyFrom(Greeter.UserLoginType.Serialize(new UserLogin(userId, userName, LoginType)).Span),
            },
        });
        return new Proto.ToFunction { Invocation = batch }.ToByteArray();
    }

    /// <summary>Runs <see cref="StateFunChunkRequest.Count"/> sequential logins of one user and checks each greeting.</summary>
    /// <returns>The timed logins and the runtime state for the next chunk (the request's state is not changed).</returns>
    /// <exception cref="StateFunDriverException">The function replied with something a StateFun runtime would reject, or a wrong greeting.</exception>
    /// <exception cref="HttpRequestException">The endpoint could not be reached.</exception>
    public async Task<StateFunChunkResult> RunChunkAsync(StateFunChunkRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Endpoint);
        LoginArguments.Check(request.UserId, request.UserName, request.Count);

        var run = new ChunkRun(this, request, (request.State ?? new StateFunRuntimeState()).Clone());
        var logins = await run.RunAsync(time, cancellationToken).ConfigureAwait(false);
        return new StateFunChunkResult(logins, run.State);
    }
}
