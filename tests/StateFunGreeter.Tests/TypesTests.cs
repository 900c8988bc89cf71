using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;

namespace FunctionsBench.StateFun.Tests;

public class TypesTests
{
    [Fact]
    public void IntSerialize_One_IsSfixed32Wrapper()
    {
        Assert.Equal(new byte[] { 0x0d, 0x01, 0x00, 0x00, 0x00 }, Types.Int.Serialize(1).ToArray());
    }

    [Fact]
    public async Task IntSerialize_Zero_IsEmptyBytesWithHasValueTrue()
    {
        var registry = new StatefulFunctions();
        var count = new ValueSpec<int>("count", Types.Int);
        registry.Register(TypeName.Of("test.fns", "zero"), (context, _) =>
        {
            context.Storage.Set(count, 0);
            return ValueTask.CompletedTask;
        }, count);
        var request = TestRequests.Batch(new Protocol.Address { Namespace = "test.fns", Type = "zero", Id = "a" }, null, TestRequests.Login());
        request.Invocation.State.Add(new ToFunction.Types.PersistedValue { StateName = "count" });

        var reply = await new RequestReplyHandler(registry).HandleAsync(request);

        Assert.Empty(Types.Int.Serialize(0).ToArray());
        var mutation = Assert.Single(reply.InvocationResult.StateMutations);
        Assert.Equal(FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify, mutation.MutationType);
        Assert.True(mutation.StateValue.HasValue);
        Assert.True(mutation.StateValue.Value.IsEmpty);
        Assert.Equal("io.statefun.types/int", mutation.StateValue.Typename);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void IntSerialize_AnyValue_MatchesIntWrapperAndRoundTrips(int value)
    {
        AssertIsWrapper(Types.Int, value, new IntWrapper { Value = value });
    }

    [Fact]
    public void LongSerialize_One_IsSfixed64Wrapper()
    {
        Assert.Equal(new byte[] { 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0 }, Types.Long.Serialize(1).ToArray());
        Assert.Empty(Types.Long.Serialize(0).ToArray());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_700_000_000_123L)]
    [InlineData(-5L)]
    [InlineData(long.MinValue)]
    public void LongSerialize_AnyValue_MatchesLongWrapperAndRoundTrips(long value)
    {
        AssertIsWrapper(Types.Long, value, new LongWrapper { Value = value });
    }

    [Theory]
    [InlineData("")]
    [InlineData("Joe")]
    [InlineData("Zoë — 名前")]
    public void StringSerialize_AnyValue_MatchesStringWrapperAndRoundTrips(string value)
    {
        AssertIsWrapper(Types.String, value, new StringWrapper { Value = value });
    }

    [Fact]
    public void StringSerialize_LongText_UsesMultiByteLengthPrefix()
    {
        var value = new string('x', 300);

        var bytes = Types.String.Serialize(value).ToArray();

        Assert.Equal(new byte[] { 0x0a, 0xac, 0x02 }, bytes[..3]);
        Assert.Equal(value, Types.String.Deserialize(bytes));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BoolSerialize_AnyValue_MatchesBooleanWrapperAndRoundTrips(bool value)
    {
        AssertIsWrapper(Types.Bool, value, new BooleanWrapper { Value = value });
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1.5f)]
    [InlineData(-3.25e10f)]
    [InlineData(float.NaN)]
    public void FloatSerialize_AnyValue_ParsesAsFloatWrapperAndRoundTrips(float value)
    {
        var bytes = Types.Float.Serialize(value).ToArray();

        Assert.Equal(value, FloatWrapper.Parser.ParseFrom(bytes).Value);
        Assert.Equal(value, Types.Float.Deserialize(bytes));
    }

    [Theory]
    [InlineData(0d)]
    [InlineData(2.5d)]
    [InlineData(-1e300d)]
    public void DoubleSerialize_AnyValue_MatchesDoubleWrapperAndRoundTrips(double value)
    {
        AssertIsWrapper(Types.Double, value, new DoubleWrapper { Value = value });
    }

    [Fact]
    public void Deserialize_EmptyBytes_GivesZeroValues()
    {
        Assert.Equal(0, Types.Int.Deserialize([]));
        Assert.Equal(0L, Types.Long.Deserialize([]));
        Assert.Equal(string.Empty, Types.String.Deserialize([]));
        Assert.False(Types.Bool.Deserialize([]));
        Assert.Equal(0f, Types.Float.Deserialize([]));
        Assert.Equal(0d, Types.Double.Deserialize([]));
    }

    [Fact]
    public void IntDeserialize_WrapperWithUnknownField_ReadsValue()
    {
        // value=7 followed by an unknown varint field 2; valid protobuf that the fast path does not cover.
        byte[] bytes = [0x0d, 0x07, 0x00, 0x00, 0x00, 0x10, 0x01];

        Assert.Equal(7, Types.Int.Deserialize(bytes));
    }

    [Fact]
    public void BuiltInTypes_TypeNames_AreStateFunTypenames()
    {
        Assert.Equal("io.statefun.types/int", Types.Int.TypeName.FullName);
        Assert.Equal("io.statefun.types/long", Types.Long.TypeName.FullName);
        Assert.Equal("io.statefun.types/string", Types.String.TypeName.FullName);
        Assert.Equal("io.statefun.types/bool", Types.Bool.TypeName.FullName);
        Assert.Equal("io.statefun.types/float", Types.Float.TypeName.FullName);
        Assert.Equal("io.statefun.types/double", Types.Double.TypeName.FullName);
    }

    [Fact]
    public void JsonSerialize_UserLogin_IsRawUtf8Json()
    {
        var bytes = Greeter.UserLoginType.Serialize(new UserLogin("1", "Joe", "WEB")).ToArray();

        Assert.Equal("""{"user_id":"1","user_name":"Joe","login_type":"WEB"}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(new UserLogin("1", "Joe", "WEB"), Greeter.UserLoginType.Deserialize(bytes));
    }

    [Fact]
    public void ProtobufSerialize_UserProfile_IsRawMessageBytes()
    {
        var profile = new UserProfile { Name = "Joe", SeenCount = 4, LastSeenDeltaMs = 10, LoginLocation = "WEB" };

        var bytes = Greeter.UserProfileType.Serialize(profile).ToArray();

        Assert.Equal(profile.ToByteArray(), bytes);
        Assert.Equal(profile, Greeter.UserProfileType.Deserialize(bytes));
        Assert.Equal("greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile", Greeter.UserProfileType.TypeName.FullName);
    }

    [Theory]
    [InlineData("greeter.fns/user", "greeter.fns", "user")]
    [InlineData("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord", "type.googleapis.com", "io.statefun.sdk.egress.KafkaProducerRecord")]
    [InlineData("a/b/c", "a/b", "c")]
    public void TypeNameParse_ValidText_SplitsAtLastSlash(string text, string expectedNamespace, string expectedName)
    {
        var typeName = TypeName.Parse(text);

        Assert.Equal(expectedNamespace, typeName.Namespace);
        Assert.Equal(expectedName, typeName.Name);
        Assert.Equal(text, typeName.FullName);
        Assert.Equal(TypeName.Of(expectedNamespace, expectedName), typeName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("noslash")]
    [InlineData("/name")]
    [InlineData("namespace/")]
    public void TypeNameParse_InvalidText_Throws(string text)
    {
        Assert.Throws<FormatException>(() => TypeName.Parse(text));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("has space")]
    [InlineData("")]
    public void ValueSpecConstructor_InvalidName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => new ValueSpec<int>(name, Types.Int));
    }

    /// <summary>The type writes <paramref name="value"/> as the well-known wrapper message does, and reads it back.</summary>
    private static void AssertIsWrapper<T>(StateFunType<T> type, T value, IMessage wrapper)
    {
        var bytes = type.Serialize(value).ToArray();

        Assert.Equal(wrapper.ToByteArray(), bytes);
        Assert.Equal(value, type.Deserialize(bytes));
    }
}
