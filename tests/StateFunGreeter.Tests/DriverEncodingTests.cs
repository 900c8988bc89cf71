using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

/// <summary>The driver's hand-written encoder and its allocation-free greeting check against the generated code and System.Text.Json.</summary>
public class DriverEncodingTests
{
    [Fact]
    public void Encode_StatesCallerAndArgument_ParsesAsTheEquivalentGraphAndMatchesItsBytes()
    {
        var target = new Proto.Address { Namespace = "greeter.fns", Type = "greetings", Id = "ü-1" };
        var caller = new Proto.Address { Namespace = "greeter.fns", Type = "user", Id = "ü-1" };
        var argument = TestRequests.Profile("Jöe", 7, 1234);
        var count = Types.Int.Serialize(7).ToArray();
        var expected = new ToFunction.Types.InvocationBatchRequest { Target = target };
        expected.State.Add(new ToFunction.Types.PersistedValue
        {
            StateName = "seen_count",
            StateValue = new Proto.TypedValue { Typename = "io.statefun.types/int", HasValue = true, Value = ByteString.CopyFrom(count) },
        });
        expected.State.Add(new ToFunction.Types.PersistedValue { StateName = "seen_timestamp_ms" });
        expected.State.Add(new ToFunction.Types.PersistedValue
        {
            StateName = "zero",
            StateValue = new Proto.TypedValue { Typename = "io.statefun.types/int", HasValue = true },
        });
        expected.Invocations.Add(new ToFunction.Types.Invocation { Caller = caller, Argument = argument });
        var expectedBytes = new ToFunction { Invocation = expected }.ToByteArray();

        var bytes = ToFunctionWriter.Encode(
            ToFunctionWriter.EncodeAddress(target.Namespace, target.Type, target.Id),
            ToFunctionWriter.EncodeAddress(caller.Namespace, caller.Type, caller.Id),
            ToFunctionWriter.EncodeTypedValue(ToFunctionWriter.Utf8(argument.Typename), argument.HasValue, argument.Value.Span),
            [
                new ToFunctionWriter.State(ToFunctionWriter.Utf8("seen_count"), ToFunctionWriter.Utf8("io.statefun.types/int"), count),
                new ToFunctionWriter.State(ToFunctionWriter.Utf8("seen_timestamp_ms"), ToFunctionWriter.Utf8("io.statefun.types/long"), null),
                new ToFunctionWriter.State(ToFunctionWriter.Utf8("zero"), ToFunctionWriter.Utf8("io.statefun.types/int"), []),
            ]);

        Assert.Equal(new ToFunction { Invocation = expected }, ToFunction.Parser.ParseFrom(bytes));
        Assert.Equal(expectedBytes, bytes);
    }

    [Fact]
    public void Encode_IngressMessageWithoutStates_HasNoCallerAndNoStates()
    {
        var login = TestRequests.Login();

        var bytes = ToFunctionWriter.Encode(
            ToFunctionWriter.EncodeAddress("greeter.fns", "user", "1"),
            [],
            ToFunctionWriter.EncodeTypedValue(ToFunctionWriter.Utf8(login.Typename), login.HasValue, login.Value.Span),
            []);

        var batch = ToFunction.Parser.ParseFrom(bytes).Invocation;
        Assert.Equal(TestRequests.UserAddress(), batch.Target);
        Assert.Empty(batch.State);
        var invocation = Assert.Single(batch.Invocations);
        Assert.Null(invocation.Caller);
        Assert.Equal(login, invocation.Argument);
    }

    [Theory]
    [InlineData("""{"topic":"greetings","payload":"Welcome Joe!"}""", true)]
    [InlineData("""{"payload":"Welcome Joe!","topic":"greetings","extra":[1,{"a":null}]}""", true)]
    [InlineData("""{"topic":"greetings","payload":"Welcome \u004aoe!"}""", true)]
    [InlineData("""{"topic":"greetings","payload":"Welcome Ann!","payload":"Welcome Joe!"}""", true)]
    [InlineData("""{"topic":"greetings","payload":"Welcome Joe!","payload":"Welcome Ann!"}""", false)]
    [InlineData("""{"topic":"Greetings","payload":"Welcome Joe!"}""", false)]
    [InlineData("""{"Topic":"greetings","payload":"Welcome Joe!"}""", false)]
    [InlineData("""{"payload":"Welcome Joe!"}""", false)]
    [InlineData("""{"topic":"greetings","payload":null}""", false)]
    [InlineData("""{"topic":"greetings","payload":"Welcome Joe!"} x""", false)]
    [InlineData(""""{"topic":"greetings","payload":"Welcome Joe!"""", false)]
    [InlineData("""["greetings","Welcome Joe!"]""", false)]
    [InlineData("", false)]
    public void Matches_RecordJson_AgreesWithTheDeserializer(string json, bool expected)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);

        var matches = EgressRecordReader.Matches(bytes, "greetings", "Welcome Joe!");

        Assert.Equal(expected, matches);
        Assert.Equal(expected, Deserializes(bytes, out var record) && record is { Topic: "greetings", Payload: "Welcome Joe!" });
    }

    [Theory]
    [InlineData(1, "Joe", 0)]
    [InlineData(2, "Joe", 5)]
    [InlineData(3, "", 5)]
    [InlineData(4, "Jöe", 1234)]
    [InlineData(20_000, "Joe", -3)]
    public void TryFormat_AnyCount_WritesExactlyForsText(int seenCount, string name, long deltaMs)
    {
        Span<char> buffer = stackalloc char[256];

        Assert.True(GreetingText.TryFormat(buffer, out var written, seenCount, name, deltaMs));
        Assert.Equal(GreetingText.For(seenCount, name, deltaMs), buffer[..written].ToString());
    }

    [Fact]
    public void TryFormat_BufferTooSmall_ReturnsFalse()
    {
        Span<char> buffer = stackalloc char[10];

        Assert.False(GreetingText.TryFormat(buffer, out _, 4, "Joe", 1));
    }

    private static bool Deserializes(byte[] json, out EgressRecord? record)
    {
        try
        {
            record = Greeter.EgressRecordType.Deserialize(json);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            record = null;
            return false;
        }
    }
}

public class StateFunTimingsTests
{
    [Fact]
    public void Records_OfLogins_GiveBackEachSequenceStartAndEndToTheMicrosecond()
    {
        var t0 = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(12_345_678);
        var logins = new[]
        {
            new StateFunLogin(1000, t0, t0.AddTicks(1_234), 1, 0, "Joe"),
            new StateFunLogin(1001, t0.AddTicks(5_000), t0.AddTicks(5_000 + 90), 2, 1, "Joe"),
            new StateFunLogin(1002, t0.AddSeconds(3), t0.AddSeconds(4), 3, 1, "Joe"),
        };

        var records = StateFunTimings.Of(logins).Records().ToArray();

        static DateTime Us(DateTime t) => new(t.Ticks - (t.Ticks % 10), DateTimeKind.Utc);
        Assert.Equal(logins.Select(l => (l.Sequence, Us(l.StartUtc), Us(l.EndUtc))), records);
    }

    [Fact]
    public void Of_GapInSequences_Throws()
    {
        var t0 = DateTime.UnixEpoch;

        Assert.Throws<ArgumentException>(() => StateFunTimings.Of([new StateFunLogin(1, t0, t0, 1, 0, "a"), new StateFunLogin(3, t0, t0, 2, 0, "a")]));
    }
}
