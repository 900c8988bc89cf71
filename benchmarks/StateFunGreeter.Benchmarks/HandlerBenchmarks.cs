using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;

namespace FunctionsBench.StateFun.Benchmarks;

/// <summary>
/// CPU time and allocations of <see cref="RequestReplyHandler"/> alone, from request bytes to reply bytes, for the
/// two requests of one steady-state login. In-process and short so it finishes in a few minutes.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class HandlerBenchmarks
{
    private readonly RequestReplyHandler handler = Greeter.CreateHandler();
    private ReadOnlySequence<byte> userRequest;
    private ReadOnlySequence<byte> greetingsRequest;

    [GlobalSetup]
    public void Setup()
    {
        var user = new Protocol.Address { Namespace = "greeter.fns", Type = "user", Id = "bench" };
        var userBatch = new ToFunction.Types.InvocationBatchRequest { Target = user };
        userBatch.State.Add(new ToFunction.Types.PersistedValue
        {
            StateName = "seen_count",
            StateValue = new TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFrom(Types.Int.Serialize(41).Span) },
        });
        userBatch.State.Add(new ToFunction.Types.PersistedValue
        {
            StateName = "seen_timestamp_ms",
            StateValue = new TypedValue { Typename = "io.statefun.types/long", HasValue = true, Value = ByteString.CopyFrom(Types.Long.Serialize(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Span) },
        });
        userBatch.Invocations.Add(new ToFunction.Types.Invocation
        {
            Argument = new TypedValue
            {
                Typename = "greeter.types/UserLogin",
                HasValue = true,
                Value = ByteString.CopyFromUtf8("""{"user_id":"bench","user_name":"Joe","login_type":"WEB"}"""),
            },
        });
        userRequest = new ReadOnlySequence<byte>(new ToFunction { Invocation = userBatch }.ToByteArray());

        var greetingsBatch = new ToFunction.Types.InvocationBatchRequest { Target = new Protocol.Address { Namespace = "greeter.fns", Type = "greetings", Id = "bench" } };
        greetingsBatch.Invocations.Add(new ToFunction.Types.Invocation
        {
            Caller = user,
            Argument = new TypedValue
            {
                Typename = Greeter.UserProfileType.TypeName.FullName,
                HasValue = true,
                Value = new UserProfile { Name = "Joe", SeenCount = 42, LastSeenDeltaMs = 1234, LoginLocation = "WEB" }.ToByteString(),
            },
        });
        greetingsRequest = new ReadOnlySequence<byte>(new ToFunction { Invocation = greetingsBatch }.ToByteArray());
    }

    /// <summary>A login to greeter.fns/user with both states attached.</summary>
    [Benchmark]
    public int UserFunction() => Handle(userRequest);

    /// <summary>A UserProfile to greeter.fns/greetings, producing the egress greeting.</summary>
    [Benchmark]
    public int GreetingsFunction() => Handle(greetingsRequest);

    // What StateFunHttpEndpoint does with a body: one copy, the handler reading it in place, the reply into a rented buffer.
    private int Handle(in ReadOnlySequence<byte> request)
    {
        var pending = handler.ReplyToAsync(request.ToArray());
        // The greeter completes synchronously; anything else would be a regression worth failing loudly on.
        var reply = pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("The handler went asynchronous.");
        var (buffer, size) = FromFunctionEncoder.EncodeRented(reply);
        ArrayPool<byte>.Shared.Return(buffer);
        return size;
    }

    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}
