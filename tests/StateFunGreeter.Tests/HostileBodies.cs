using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FunctionsBench.StateFun.Protocol;
using Google.Protobuf;
using Proto = FunctionsBench.StateFun.Protocol;

namespace FunctionsBench.StateFun.Tests;

/// <summary>The families of hostile bodies, for the status histogram.</summary>
internal enum HostileKind
{
    Oversized,
    Semantic,
    Truncated,
    RandomBytes,
    Mutated,
}

/// <summary>One hostile request body and what it was made from, so a failure names its case.</summary>
internal sealed record HostileBody(HostileKind Kind, string Case, byte[] Bytes);

/// <summary>
/// Generates the fuzz test's request bodies from a seed: the same seed gives the same bodies in the same order,
/// so a failure replays exactly.
/// </summary>
internal static class HostileBodies
{
    private const long Timestamp = 1_700_000_000_000;
    private const string UserLogin = "greeter.types/UserLogin";
    private const string UserProfileTypename = "greeter.types/org.apache.flink.statefun.playground.java.greeter.types.UserProfile";

    // Five bytes of UTF-8 that occur nowhere else in the requests that carry them, and five bytes that are not UTF-8.
    private const string Marker = "#BAD#";
    private static readonly byte[] InvalidUtf8 = [0xff, 0xfe, 0xc3, 0x28, 0x80];

    // Strings with the characters that break naive code: separators, quotes, escapes, NUL, multi-byte and surrogate pairs.
    private static readonly string[] Pieces = ["a", "Z", "7", "_", "/", ".", " ", "\"", "\\", "\0", "\n", "é", "中", "😀", "greeter", "fns", "user"];

    public static List<HostileBody> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var bodies = new List<HostileBody>(count);
        AddOversized(bodies);
        AddSemantic(bodies, random, semanticCount: 1_200);
        AddTruncations(bodies);
        AddRandomBytes(bodies, random, randomCount: (count - bodies.Count) * 2 / 5);
        AddMutations(bodies, random, mutationCount: count - bodies.Count);
        return bodies;
    }

    /// <summary>Valid requests of every shape the runtime sends, the raw material for truncation and mutation.</summary>
    public static IReadOnlyList<(string Name, ToFunction Request)> Templates()
    {
        var withCaller = TestRequests.UserBatch(1, Timestamp, TestRequests.Login());
        withCaller.Invocation.Invocations[0].Caller = TestRequests.GreetingsAddress();
        return
        [
            ("handshake", TestRequests.Batch(TestRequests.UserAddress(), null, TestRequests.Login())),
            ("user with state", TestRequests.UserBatch(3, Timestamp, TestRequests.Login())),
            ("user with registered empty states", TestRequests.UserBatch(null, null, TestRequests.Login())),
            ("user batch of three", TestRequests.UserBatch(7, Timestamp, TestRequests.Login(), TestRequests.Login("1", "Ann"), TestRequests.Login())),
            ("user with caller", withCaller),
            ("greetings profile", TestRequests.Batch(TestRequests.GreetingsAddress(), TestRequests.UserAddress(), TestRequests.Profile("Joe", 5, 1234))),
            ("greetings batch", TestRequests.Batch(
                TestRequests.GreetingsAddress(), TestRequests.UserAddress(),
                TestRequests.Profile("Joe", 1, 0), TestRequests.Profile("Joe", 2, 10), TestRequests.Profile("Joe", 3, 20))),
            ("greetings other type", TestRequests.Batch(TestRequests.GreetingsAddress(), null, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0, 0, 0]))),
        ];
    }

    private static void AddOversized(List<HostileBody> bodies)
    {
        var valid = TestRequests.UserBatch(3, Timestamp, TestRequests.Login()).ToByteArray();
        bodies.Add(new(HostileKind.Oversized, "1 MiB + 1 zero bytes", new byte[StateFunHttpEndpoint.MaxBodyBytes + 1]));
        bodies.Add(new(HostileKind.Oversized, "2 MiB random bytes", RandomBytes(new Random(1), 2 * StateFunHttpEndpoint.MaxBodyBytes)));
        bodies.Add(new(HostileKind.Oversized, "valid request padded to exactly 1 MiB", PadTo(valid, StateFunHttpEndpoint.MaxBodyBytes)));
        bodies.Add(new(HostileKind.Oversized, "valid request padded to 1 MiB + 1", PadTo(valid, StateFunHttpEndpoint.MaxBodyBytes + 1)));
    }

    private static void AddSemantic(List<HostileBody> bodies, Random random, int semanticCount)
    {
        var first = bodies.Count;
        void Add(string name, byte[] bytes) => bodies.Add(new(HostileKind.Semantic, name, bytes));
        void AddMessage(string name, ToFunction request) => Add(name, request.ToByteArray());

        var login = TestRequests.Login();
        AddMessage("empty ToFunction", new ToFunction());
        AddMessage("empty invocation batch", new ToFunction { Invocation = new() });
        AddMessage("missing target", Changed(TestRequests.UserBatch(3, Timestamp, login), batch => batch.Target = null));
        AddMessage("target namespace only", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns" }, null, login));
        AddMessage("unknown function type", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns", Type = "nobody", Id = "1" }, null, login));
        AddMessage("function type differs in case", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns", Type = "User", Id = "1" }, null, login));
        AddMessage("unknown namespace", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fn", Type = "user", Id = "1" }, null, login));
        AddMessage("invocation without argument", Changed(TestRequests.UserBatch(3, Timestamp, login), batch => batch.Invocations[0].Argument = null));
        AddMessage("handshake with invocation without argument", Changed(TestRequests.Batch(TestRequests.UserAddress(), null, login), batch => batch.Invocations[0].Argument = null));
        AddMessage("second invocation without argument", Changed(TestRequests.UserBatch(3, Timestamp, login, login), batch => batch.Invocations[1].Argument = null));
        AddMessage("greetings invocation without argument", Changed(TestRequests.Batch(TestRequests.GreetingsAddress(), null, login), batch => batch.Invocations[0].Argument = null));
        AddMessage("user gets an int", TestRequests.UserBatch(3, Timestamp, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0, 0, 0])));
        AddMessage("user gets a profile", TestRequests.UserBatch(3, Timestamp, TestRequests.Profile("Joe", 1, 0)));
        AddMessage("user gets an empty typename", TestRequests.UserBatch(3, Timestamp, TestRequests.Value("", [])));
        AddMessage("user gets a login without value", TestRequests.UserBatch(3, Timestamp, new Proto.TypedValue { Typename = UserLogin }));
        AddMessage("user gets a login typename with a trailing space", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin + " ", login.Value.ToByteArray())));
        AddMessage("second of two logins is an int", TestRequests.UserBatch(3, Timestamp, login, TestRequests.Value("io.statefun.types/int", [])));
        AddMessage("seen_count typed as long", WithState(0, TestRequests.Value("io.statefun.types/long", [0x09, 1, 0, 0, 0, 0, 0, 0, 0])));
        AddMessage("seen_timestamp_ms typed as int", WithState(1, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0, 0, 0])));
        AddMessage("seen_count typed as UserLogin", WithState(0, TestRequests.Value(UserLogin, login.Value.ToByteArray())));
        AddMessage("seen_count with garbage bytes", WithState(0, TestRequests.Value("io.statefun.types/int", [0xff, 0xff, 0xff])));
        AddMessage("seen_count with a truncated int", WithState(0, TestRequests.Value("io.statefun.types/int", [0x0d, 1, 0])));
        AddMessage("seen_count with an unknown field", WithState(0, TestRequests.Value("io.statefun.types/int", [0x0d, 2, 0, 0, 0, 0x10, 0x05])));
        AddMessage("seen_count at int.MaxValue", TestRequests.UserBatch(int.MaxValue, Timestamp, login));
        AddMessage("seen_timestamp_ms at long.MinValue", TestRequests.UserBatch(3, long.MinValue, login));
        AddMessage("wrong typename without value", WithState(0, new Proto.TypedValue { Typename = "io.statefun.types/string", HasValue = false, Value = ByteString.CopyFrom(0xff) }));
        AddMessage("duplicate state entries", WithDuplicateStates());
        AddMessage("unknown extra state", Changed(TestRequests.UserBatch(3, Timestamp, login), batch => batch.State.Add(new ToFunction.Types.PersistedValue { StateName = "unknown" })));
        AddMessage("empty batch of invocations with garbage state", Changed(WithState(0, TestRequests.Value("io.statefun.types/int", [0xff])), batch => batch.Invocations.Clear()));
        AddMessage("login that is JSON null", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, "null"u8.ToArray())));
        AddMessage("login that is an empty object", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, "{}"u8.ToArray())));
        AddMessage("login with a number user_id", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, """{"user_id":1,"user_name":"Joe","login_type":"WEB"}"""u8.ToArray())));
        AddMessage("login with null user_name", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, """{"user_id":"1","user_name":null,"login_type":"WEB"}"""u8.ToArray())));
        AddMessage("login with trailing garbage", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, [.. login.Value.ToByteArray(), .. "}x"u8])));
        AddMessage("login nested 10,000 deep", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)))));
        AddMessage("login with invalid UTF-8 in user_name", TestRequests.UserBatch(3, Timestamp, TestRequests.Value(UserLogin, [.. "{\"user_id\":\"1\",\"user_name\":\"J"u8, 0xc3, 0x28, 0xff, .. "\",\"login_type\":\"WEB\"}"u8])));
        AddMessage("greetings profile with garbage bytes", TestRequests.Batch(TestRequests.GreetingsAddress(), null, TestRequests.Value(UserProfileTypename, [0xff, 0xff])));
        AddMessage("greetings profile with seen count 0", TestRequests.Batch(TestRequests.GreetingsAddress(), null, TestRequests.Profile("Joe", 0, 0)));
        AddMessage("greetings profile with negative seen count", TestRequests.Batch(TestRequests.GreetingsAddress(), null, TestRequests.Profile("Joe", -5, -1)));
        AddMessage("2,000 logins in one batch", TestRequests.UserBatch(3, Timestamp, [.. Enumerable.Repeat(login, 2_000)]));
        AddMessage("5,000 unknown states", Changed(TestRequests.UserBatch(3, Timestamp, login), batch =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                batch.State.Add(new ToFunction.Types.PersistedValue { StateName = "s" + i, StateValue = TestRequests.Value("io.statefun.types/int", []) });
            }
        }));

        // Invalid UTF-8 in every string of the request. Protobuf's string fields must be UTF-8, but a marker of the
        // same length swapped for bad bytes after serializing keeps every length prefix right.
        foreach (var (name, request) in InvalidUtf8Carriers())
        {
            Add("invalid UTF-8 in " + name, WithInvalidUtf8(request));
        }

        var validBatch = Batch(TestRequests.UserBatch(3, Timestamp, login));
        Add("batch length 2^31 - 1", [0xa2, 0x06, .. Varint(int.MaxValue), .. validBatch]);
        Add("batch length 2^32 - 1", [0xa2, 0x06, .. Varint(uint.MaxValue), .. validBatch]);
        Add("batch length 2^64 - 1", [0xa2, 0x06, .. Varint(ulong.MaxValue), .. validBatch]);
        Add("batch length as an 11-byte varint", [0xa2, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, .. validBatch]);
        Add("target length 2^31 - 1 inside a batch", Field(100, [0x0a, .. Varint(int.MaxValue), 0x0a, 0x01, 0x61]));
        Add("state length 2^32 - 1 inside a batch", Field(100, [.. Field(1, TestRequests.UserAddress().ToByteArray()), 0x12, .. Varint(uint.MaxValue)]));
        Add("negative int32 length", [0xa2, 0x06, 0xff, 0xff, 0xff, 0xff, 0x0f, .. validBatch]);
        Add("batch length in a non-canonical 5-byte varint", [0xa2, 0x06, .. NonCanonicalVarint((uint)validBatch.Length), .. validBatch]);
        Add("field number 0", [0x02, 0x01, 0x00, .. Field(100, validBatch)]);
        Add("field 100 as a varint", [0xa0, 0x06, 0x01]);
        Add("field 100 twice, merged", [.. Field(100, Batch(TestRequests.UserBatch(3, Timestamp))), .. Field(100, Batch(TestRequests.Batch(TestRequests.UserAddress(), null, login)))]);
        Add("end-group tag without a group", [0x7c, .. Field(100, validBatch)]);
        foreach (var depth in new[] { 1, 10, 64, 98, 99, 100, 101, 1_000, 100_000 })
        {
            Add($"unknown groups nested {depth} deep before a valid batch", [.. Groups(depth), .. Field(100, validBatch)]);
            Add($"unknown groups nested {depth} deep inside the batch", Field(100, [.. validBatch, .. Groups(depth)]));
        }

        Add("100,000 unterminated unknown groups", [.. Field(100, validBatch), .. Enumerable.Repeat((byte)0x7b, 100_000)]);
        Add("unknown length-delimited fields nested 1,000 deep", [.. Field(100, validBatch), .. NestedLengthDelimited(1_000)]);
        Add("unknown length-delimited fields nested 1,000 deep inside the batch", Field(100, [.. validBatch, .. NestedLengthDelimited(1_000)]));

        while (bodies.Count - first < semanticCount)
        {
            var (name, request) = RandomRequest(random);
            AddMessage("random " + name, request);
        }
    }

    private static void AddTruncations(List<HostileBody> bodies)
    {
        foreach (var (name, request) in Templates())
        {
            var bytes = request.ToByteArray();
            for (var length = 0; length < bytes.Length; length++)
            {
                bodies.Add(new(HostileKind.Truncated, $"{name} cut at {length}/{bytes.Length}", bytes[..length]));
            }
        }
    }

    private static void AddRandomBytes(List<HostileBody> bodies, Random random, int randomCount)
    {
        for (var i = 0; i < randomCount; i++)
        {
            var bytes = RandomBytes(random, random.Next(4 * 1024 + 1));

            // Half are framed as the invocation batch field, so the parser gets past the first tag.
            if (i % 2 == 1)
            {
                bodies.Add(new(HostileKind.RandomBytes, $"{bytes.Length} random bytes framed as field 100", Field(100, bytes)));
            }
            else
            {
                bodies.Add(new(HostileKind.RandomBytes, $"{bytes.Length} random bytes", bytes));
            }
        }
    }

    private static void AddMutations(List<HostileBody> bodies, Random random, int mutationCount)
    {
        var templates = Templates().Select(t => (t.Name, Bytes: t.Request.ToByteArray())).ToArray();
        for (var i = 0; i < mutationCount; i++)
        {
            var (name, original) = templates[random.Next(templates.Length)];
            var bytes = new List<byte>(original);
            var operations = new List<string>();
            for (var n = 1 + random.Next(4); n > 0; n--)
            {
                var position = random.Next(bytes.Count + 1);
                switch (bytes.Count == 0 ? 2 : random.Next(4))
                {
                    case 0:
                        position = Math.Min(position, bytes.Count - 1);
                        var bit = random.Next(8);
                        bytes[position] ^= (byte)(1 << bit);
                        operations.Add($"flip bit {bit} at {position}");
                        break;
                    case 1:
                        position = Math.Min(position, bytes.Count - 1);
                        bytes[position] = (byte)random.Next(256);
                        operations.Add($"set {position}");
                        break;
                    case 2:
                        bytes.Insert(position, (byte)random.Next(256));
                        operations.Add($"insert at {position}");
                        break;
                    default:
                        position = Math.Min(position, bytes.Count - 1);
                        bytes.RemoveAt(position);
                        operations.Add($"delete at {position}");
                        break;
                }
            }

            bodies.Add(new(HostileKind.Mutated, $"{name}: {string.Join(", ", operations)}", [.. bytes]));
        }
    }

    /// <summary>A request built from random parts, valid protobuf but right or wrong in any way the greeter can meet.</summary>
    private static (string Name, ToFunction Request) RandomRequest(Random random)
    {
        var target = random.Next(10) switch
        {
            < 6 => TestRequests.UserAddress(RandomId(random)),
            < 9 => TestRequests.GreetingsAddress(RandomId(random)),
            _ => new Proto.Address { Namespace = random.Next(2) == 0 ? "greeter.fns" : RandomText(random, 12), Type = RandomText(random, 12), Id = RandomId(random) },
        };
        var batch = new ToFunction.Types.InvocationBatchRequest { Target = target };
        var stateShape = random.Next(6);
        switch (stateShape)
        {
            case 0:
                break;
            case 1:
                AddState(batch, "seen_count", null);
                AddState(batch, "seen_timestamp_ms", null);
                break;
            case 2:
                AddState(batch, "seen_count", TestRequests.Value("io.statefun.types/int", Types.Int.Serialize(RandomInt(random)).ToArray()));
                AddState(batch, "seen_timestamp_ms", TestRequests.Value("io.statefun.types/long", Types.Long.Serialize(RandomLong(random)).ToArray()));
                break;
            case 3:
                AddState(batch, random.Next(2) == 0 ? "seen_count" : "seen_timestamp_ms", null);
                break;
            default:
                // Any state name, typename and bytes, in any number, duplicates included.
                for (var n = random.Next(5); n >= 0; n--)
                {
                    var name = random.Next(3) switch { 0 => "seen_count", 1 => "seen_timestamp_ms", _ => RandomText(random, 10) };
                    var value = random.Next(4) switch
                    {
                        0 => null,
                        1 => TestRequests.Value(random.Next(2) == 0 ? "io.statefun.types/int" : "io.statefun.types/long", RandomBytes(random, random.Next(10))),
                        2 => new Proto.TypedValue { Typename = RandomText(random, 20), HasValue = random.Next(2) == 0, Value = ByteString.CopyFrom(RandomBytes(random, random.Next(10))) },
                        _ => TestRequests.Value("io.statefun.types/int", Types.Int.Serialize(RandomInt(random)).ToArray()),
                    };
                    AddState(batch, name, value);
                }

                break;
        }

        var isGreetings = target.Type == "greetings";
        for (var n = random.Next(10) switch { 0 => 0, < 8 => 1, _ => 1 + random.Next(4) }; n > 0; n--)
        {
            var invocation = new ToFunction.Types.Invocation();
            if (random.Next(4) == 0)
            {
                invocation.Caller = new Proto.Address { Namespace = RandomText(random, 8), Type = RandomText(random, 8), Id = RandomId(random) };
            }

            var kind = random.Next(12);
            if (isGreetings)
            {
                kind = kind < 8 ? 9 : kind;
            }

            invocation.Argument = kind switch
            {
                < 7 => TestRequests.Value(UserLogin, RandomLoginJson(random)),
                7 => TestRequests.Value("io.statefun.types/int", Types.Int.Serialize(RandomInt(random)).ToArray()),
                8 => new Proto.TypedValue { Typename = RandomText(random, 20), HasValue = random.Next(2) == 0, Value = ByteString.CopyFrom(RandomBytes(random, random.Next(20))) },
                9 => RandomProfile(random),
                10 => TestRequests.Value(UserProfileTypename, RandomBytes(random, random.Next(20))),
                _ => null,
            };
            batch.Invocations.Add(invocation);
        }

        return ($"{target.Type} request, state shape {stateShape}, {batch.Invocations.Count} invocations", new ToFunction { Invocation = batch });
    }

    private static Proto.TypedValue RandomProfile(Random random) =>
        TestRequests.Value(UserProfileTypename, new UserProfile
        {
            Name = RandomText(random, 12),
            SeenCount = random.Next(10) == 0 ? RandomInt(random) : random.Next(1, 20),
            LastSeenDeltaMs = RandomLong(random),
            LoginLocation = random.Next(2) == 0 ? "WEB" : RandomText(random, 6),
        }.ToByteArray());

    private static byte[] RandomLoginJson(Random random)
    {
        switch (random.Next(10))
        {
            case < 6:
            {
                // A well-formed login, sometimes with a property missing, null, a number or an extra one.
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStartObject();
                    foreach (var property in new[] { "user_id", "user_name", "login_type" })
                    {
                        switch (random.Next(12))
                        {
                            case 0:
                                break;
                            case 1:
                                writer.WriteNull(property);
                                break;
                            case 2:
                                writer.WriteNumber(property, random.Next());
                                break;
                            default:
                                writer.WriteString(property, property == "login_type" && random.Next(2) == 0 ? "WEB" : RandomText(random, 10));
                                break;
                        }
                    }

                    if (random.Next(4) == 0)
                    {
                        writer.WriteString(RandomText(random, 6), RandomText(random, 6));
                    }

                    writer.WriteEndObject();
                }

                return buffer.WrittenSpan.ToArray();
            }

            case 6:
                return Encoding.UTF8.GetBytes(new[] { "null", "[]", "\"x\"", "1", "{", "{\"user_id\":\"1\",}", "{\"user_id\":\"1\" /* c */}", "" }[random.Next(8)]);
            default:
                return RandomBytes(random, random.Next(40));
        }
    }

    private static IEnumerable<(string Name, ToFunction Request)> InvalidUtf8Carriers()
    {
        var login = TestRequests.Login();
        yield return ("the target namespace", TestRequests.Batch(new Proto.Address { Namespace = "greeter" + Marker, Type = "user", Id = "1" }, null, login));
        yield return ("the target type", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns", Type = "u" + Marker, Id = "1" }, null, login));
        yield return ("the target id", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns", Type = "user", Id = Marker }, null, login));
        yield return ("the greetings id", TestRequests.Batch(new Proto.Address { Namespace = "greeter.fns", Type = "greetings", Id = Marker }, null, TestRequests.Profile("Joe", 4, 1)));
        yield return ("a state name", Changed(TestRequests.UserBatch(3, Timestamp, login), batch => batch.State[0].StateName = "seen" + Marker));
        yield return ("a state typename", WithState(0, TestRequests.Value("io.statefun.types/" + Marker, [0x0d, 1, 0, 0, 0])));
        yield return ("the argument typename", TestRequests.UserBatch(3, Timestamp, TestRequests.Value("greeter.types/" + Marker, login.Value.ToByteArray())));
        yield return ("the caller", TestRequests.Batch(TestRequests.GreetingsAddress(), new Proto.Address { Namespace = Marker, Type = "user", Id = "1" }, TestRequests.Profile("Joe", 2, 1)));
        yield return ("a profile name", TestRequests.Batch(TestRequests.GreetingsAddress(), null,
            TestRequests.Value(UserProfileTypename, new UserProfile { Name = "J" + Marker, SeenCount = 5 }.ToByteArray())));
    }

    private static byte[] WithInvalidUtf8(ToFunction request)
    {
        var bytes = request.ToByteArray();
        var marker = Encoding.ASCII.GetBytes(Marker);
        var at = bytes.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            throw new InvalidOperationException("The marker is not in the serialized request.");
        }

        InvalidUtf8.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    private static ToFunction Changed(ToFunction request, Action<ToFunction.Types.InvocationBatchRequest> change)
    {
        change(request.Invocation);
        return request;
    }

    private static ToFunction WithState(int index, Proto.TypedValue value) =>
        Changed(TestRequests.UserBatch(3, Timestamp, TestRequests.Login()), batch => batch.State[index].StateValue = value);

    // The runtime never repeats a state, but a hostile sender may: a later valued entry, an empty one in between.
    private static ToFunction WithDuplicateStates() => Changed(TestRequests.UserBatch(3, Timestamp, TestRequests.Login()), batch =>
    {
        batch.State.Add(new ToFunction.Types.PersistedValue { StateName = "seen_count" });
        batch.State.Add(new ToFunction.Types.PersistedValue { StateName = "seen_count", StateValue = TestRequests.Value("io.statefun.types/int", Types.Int.Serialize(41).ToArray()) });
    });

    private static void AddState(ToFunction.Types.InvocationBatchRequest batch, string name, Proto.TypedValue? value)
    {
        var state = new ToFunction.Types.PersistedValue { StateName = name };
        if (value is not null)
        {
            state.StateValue = value;
        }

        batch.State.Add(state);
    }

    private static byte[] Batch(ToFunction request) => request.Invocation.ToByteArray();

    private static byte[] PadTo(byte[] request, int size)
    {
        // An unknown field 15, length-delimited with a 3-byte length: the parser skips it, so the request stays valid.
        var padding = size - request.Length - 4;
        return [.. request, 0x7a, .. Varint((ulong)padding), .. new byte[padding]];
    }

    // Start-group tags of unknown field 15, then as many end-group tags.
    private static byte[] Groups(int depth) => [.. Enumerable.Repeat((byte)0x7b, depth), .. Enumerable.Repeat((byte)0x7c, depth)];

    private static byte[] NestedLengthDelimited(int depth)
    {
        byte[] nested = [0x08, 0x01];
        for (var i = 0; i < depth; i++)
        {
            nested = [0x7a, .. Varint((ulong)nested.Length), .. nested];
        }

        return nested;
    }

    private static byte[] Field(int number, byte[] payload) => [.. Varint((ulong)((number << 3) | 2)), .. Varint((ulong)payload.Length), .. payload];

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        for (; value >= 0x80; value >>= 7)
        {
            bytes.Add((byte)(value | 0x80));
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }

    private static byte[] NonCanonicalVarint(uint value) =>
        [(byte)(value | 0x80), (byte)((value >> 7) | 0x80), (byte)((value >> 14) | 0x80), (byte)((value >> 21) | 0x80), (byte)(value >> 28)];

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random, int maxPieces)
    {
        var text = new StringBuilder();
        for (var n = random.Next(maxPieces + 1); n > 0; n--)
        {
            text.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return text.ToString();
    }

    private static string RandomId(Random random) => random.Next(3) == 0 ? RandomText(random, 8) : random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int RandomInt(Random random) => random.Next(6) switch
    {
        0 => int.MaxValue,
        1 => int.MinValue,
        2 => 0,
        3 => -1,
        _ => random.Next(),
    };

    private static long RandomLong(Random random) => random.Next(5) switch
    {
        0 => long.MaxValue,
        1 => long.MinValue,
        2 => 0,
        _ => random.NextInt64(),
    };
}
