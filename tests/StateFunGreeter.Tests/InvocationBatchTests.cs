using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;

namespace FunctionsBench.StateFun.Tests;

/// <summary>The handler's request reader: in place for the runtime's shape, through the generated parser otherwise.</summary>
public class InvocationBatchTests
{
    [Fact]
    public void Read_TheRuntimesShape_PointsIntoTheBody()
    {
        var body = TestRequests.UserBatch(4, 1_700_000_000_000, TestRequests.Login()).ToByteArray();

        var batch = InvocationBatch.Read(body);

        Assert.True(batch.Present);
        Assert.Equal("greeter.fns/user/1", string.Concat(Text(batch.Target!.Value.Namespace), "/", Text(batch.Target.Value.Type), "/", Text(batch.Target.Value.Id)));
        Assert.Equal(["seen_count", "seen_timestamp_ms"], batch.States.Select(s => Text(s.Name)));
        var argument = Assert.Single(batch.Invocations).Argument!.Value;
        Assert.Equal("greeter.types/UserLogin", Text(argument.Typename));
        Assert.True(MemoryMarshal.TryGetArray(argument.Value, out var segment) && ReferenceEquals(segment.Array, body));
    }

    [Fact]
    public void Read_AnotherShape_TakesTheGeneratedParsersMeaning()
    {
        var request = TestRequests.UserBatch(4, 1_700_000_000_000, TestRequests.Login());
        // The target twice: the generated parser merges the two, so the second's id wins; an unknown field 9 is skipped.
        byte[] extra = [0x0a, 0x03, 0x1a, 0x01, (byte)'2', 0x48, 0x01];
        var batchBytes = request.Invocation.ToByteArray();
        var length = batchBytes.Length + extra.Length;
        byte[] body = [0xa2, 0x06, (byte)(length | 0x80), (byte)(length >> 7), .. batchBytes, .. extra];

        var batch = InvocationBatch.Read(body);

        Assert.Equal("2", Text(batch.Target!.Value.Id));
        Assert.Equal("user", Text(batch.Target.Value.Type));
        Assert.Equal(2, batch.States.Length);
        Assert.False(MemoryMarshal.TryGetArray(batch.States[0].Name, out var segment) && ReferenceEquals(segment.Array, body));
    }

    [Fact]
    public void Read_MalformedBody_ThrowsTheGeneratedParsersError()
    {
        var body = TestRequests.UserBatch(4, 1_700_000_000_000, TestRequests.Login()).ToByteArray();

        var error = Assert.Throws<StateFunInvalidRequestException>(() => InvocationBatch.Read(body.AsMemory(0, body.Length - 1)));

        Assert.Contains("not a valid ToFunction", error.Message, StringComparison.Ordinal);
    }

    private static string Text(ReadOnlyMemory<byte> utf8) => Encoding.UTF8.GetString(utf8.Span);
}
