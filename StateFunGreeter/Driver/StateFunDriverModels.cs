namespace FunctionsBench.StateFun;

/// <summary>
/// What the bench's StateFun runtime remembers between chunks: the states registered per function type and every
/// address's state values. A plain JSON-serializable class so an orchestration can carry it between activities.
/// </summary>
public sealed class StateFunRuntimeState
{
    /// <summary>Registered states per function typename (e.g. <c>greeter.fns/user</c>), in registration order.</summary>
    public Dictionary<string, List<StateFunRegisteredState>> RegisteredStates { get; set; } = new(StringComparer.Ordinal);

    /// <summary>State values per address (<c>namespace/type/id</c>), then per state name: the raw value bytes.</summary>
    public Dictionary<string, Dictionary<string, byte[]>> Values { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The seen count of the last greeting checked, per user id; the next one must be one higher.</summary>
    public Dictionary<string, int> LastSeenCounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How many handshakes (<c>IncompleteInvocationContext</c> replies) the runtime has handled.</summary>
    public int Handshakes { get; set; }

    /// <summary>How many HTTP requests the runtime has sent, handshakes included.</summary>
    public long HttpRequests { get; set; }

    /// <summary>
    /// Takes a handshake of <paramref name="functionKey"/>: registers every state it says is missing, and refuses one
    /// declared again with another type.
    /// </summary>
    public void Register(string functionKey, Protocol.FromFunction.Types.IncompleteInvocationContext incomplete)
    {
        ArgumentNullException.ThrowIfNull(incomplete);
        this.Handshakes++;
        if (!this.RegisteredStates.TryGetValue(functionKey, out var registered))
        {
            registered = [];
            this.RegisteredStates[functionKey] = registered;
        }

        foreach (var missing in incomplete.MissingValues)
        {
            var existing = registered.Find(spec => spec.Name == missing.StateName);
            if (existing is null)
            {
                registered.Add(new StateFunRegisteredState(
                    missing.StateName,
                    missing.TypeTypename,
                    (ExpirationMode)(int)(missing.ExpirationSpec?.Mode ?? Protocol.FromFunction.Types.ExpirationSpec.Types.ExpireMode.None),
                    missing.ExpirationSpec?.ExpireAfterMillis ?? 0));
            }
            else if (existing.TypeName != missing.TypeTypename)
            {
                throw new StateFunDriverException(
                    $"{functionKey} re-declared state '{missing.StateName}' as '{missing.TypeTypename}'; it is registered as '{existing.TypeName}'.");
            }
        }
    }

    /// <summary>A deep copy, so a chunk never changes the state it was given.</summary>
    public StateFunRuntimeState Clone() => new()
    {
        RegisteredStates = RegisteredStates.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.Select(state => state with { }).ToList(),
            StringComparer.Ordinal),
        Values = Values.ToDictionary(
            pair => pair.Key,
            pair => pair.Value.ToDictionary(value => value.Key, value => value.Value.ToArray(), StringComparer.Ordinal),
            StringComparer.Ordinal),
        LastSeenCounts = new Dictionary<string, int>(LastSeenCounts, StringComparer.Ordinal),
        Handshakes = Handshakes,
        HttpRequests = HttpRequests,
    };
}

/// <summary>A state registered for a function type, as declared in an <c>IncompleteInvocationContext</c>.</summary>
/// <param name="Name">The state name.</param>
/// <param name="TypeName">The declared value typename; every MODIFY must carry it.</param>
/// <param name="Expiration">The declared expiration mode (not enforced by the bench runtime).</param>
/// <param name="ExpireAfterMillis">The declared expiration duration.</param>
public sealed record StateFunRegisteredState(string Name, string TypeName, ExpirationMode Expiration = ExpirationMode.None, long ExpireAfterMillis = 0);

/// <summary>One chunk of sequential logins for <see cref="StateFunDriver.RunChunkAsync"/>.</summary>
/// <param name="Endpoint">
/// The function endpoint. <c>{function.name}</c> is replaced with the function type's name, like StateFun's
/// <c>urlPathTemplate</c> (e.g. <c>http://127.0.0.1:8000/api/statefun/{function.name}</c>); without it every
/// request goes to this URL.
/// </param>
/// <param name="UserId">The user id: the id of both function instances.</param>
/// <param name="UserName">The user name sent in each <c>UserLogin</c>.</param>
/// <param name="FirstSequence">The sequence number of the chunk's first login.</param>
/// <param name="Count">How many logins to run.</param>
/// <param name="State">The runtime state after the previous chunk; a new instance for the first one.</param>
/// <param name="FunctionKey">
/// Sent with every request as the <c>x-functions-key</c> header, for a greeter hosted as an Azure Function with a
/// function key; null sends none.
/// </param>
public sealed record StateFunChunkRequest(Uri Endpoint, string UserId, string UserName, int FirstSequence, int Count, StateFunRuntimeState State, string? FunctionKey = null);

/// <summary>The outcome of one chunk.</summary>
/// <param name="Logins">One record per login, in order.</param>
/// <param name="State">The runtime state to pass to the next chunk.</param>
public sealed record StateFunChunkResult(IReadOnlyList<StateFunLogin> Logins, StateFunRuntimeState State);

/// <summary>One checked login.</summary>
/// <remarks>
/// A value, not an object per login, and without a stored text: the driver has compared the egress record with the
/// expected greeting byte for byte, so <see cref="Greeting"/> rebuilds exactly that text when asked.
/// </remarks>
/// <param name="Sequence">The login's sequence number.</param>
/// <param name="StartUtc">When the <c>UserLogin</c> was sent.</param>
/// <param name="EndUtc">When the greeting egress arrived.</param>
/// <param name="SeenCount">The user's seen count for this login.</param>
/// <param name="LastSeenDeltaMs">The milliseconds since the previous login, as the user function reported them.</param>
/// <param name="UserName">The user name the greeting addresses.</param>
public readonly record struct StateFunLogin(int Sequence, DateTime StartUtc, DateTime EndUtc, int SeenCount, long LastSeenDeltaMs, string UserName)
{
    /// <summary>The greeting text, as received.</summary>
    public string Greeting => GreetingText.For(SeenCount, UserName, LastSeenDeltaMs);

    /// <summary>The wall-clock latency in milliseconds.</summary>
    public double ElapsedMs => (EndUtc - StartUtc).TotalMilliseconds;
}

/// <summary>The StateFun function under test misbehaved: a wrong reply, status, mutation or greeting.</summary>
public sealed class StateFunDriverException : Exception
{
    /// <summary>Creates the exception with a message saying what was expected and what arrived.</summary>
    public StateFunDriverException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A chunk's login times in a compact, JSON-friendly form for carrying through a durable orchestration: microseconds
/// (the precision the bench's timings entity keeps) as offsets from the first start, instead of one object with two
/// ISO dates per login. 1000 logins are about 10 KiB of JSON instead of about 110 KiB, so even a segment of 25,000 logins
/// is a small message for the storage provider (which moves a result over its queue message limit through a blob).
/// </summary>
/// <param name="FirstSequence">The first login's sequence; the others follow one by one.</param>
/// <param name="FirstStartUnixUs">The first login's start, in microseconds since the Unix epoch.</param>
/// <param name="StartOffsetsUs">Each login's start, in microseconds after the first start.</param>
/// <param name="ElapsedUs">Each login's latency in microseconds.</param>
public sealed record StateFunTimings(int FirstSequence, long FirstStartUnixUs, long[] StartOffsetsUs, long[] ElapsedUs)
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>The timings of <paramref name="logins"/>, which must have consecutive sequences.</summary>
    /// <exception cref="ArgumentException">The sequences are not consecutive.</exception>
    public static StateFunTimings Of(IReadOnlyList<StateFunLogin> logins)
    {
        ArgumentNullException.ThrowIfNull(logins);
        if (logins.Count == 0)
        {
            return new StateFunTimings(0, 0, [], []);
        }

        var first = UnixUs(logins[0].StartUtc);
        var starts = new long[logins.Count];
        var elapsed = new long[logins.Count];
        for (var i = 0; i < logins.Count; i++)
        {
            if (logins[i].Sequence != logins[0].Sequence + i)
            {
                throw new ArgumentException($"Login {i} has sequence {logins[i].Sequence}; expected {logins[0].Sequence + i}.", nameof(logins));
            }

            var start = UnixUs(logins[i].StartUtc);
            starts[i] = start - first;
            elapsed[i] = UnixUs(logins[i].EndUtc) - start;
        }

        return new StateFunTimings(logins[0].Sequence, first, starts, elapsed);
    }

    /// <summary>The timings of cart operations (<see cref="CartOperationTiming"/>), which must have consecutive ids.</summary>
    /// <exception cref="ArgumentException">The ids are not consecutive.</exception>
    public static StateFunTimings Of(IReadOnlyList<CartOperationTiming> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return Of([.. operations.Select(o => new StateFunLogin(o.Id, o.StartUtc, o.EndUtc, 0, 0, string.Empty))]);
    }

    /// <summary>The logins back as (sequence, start, end), to microsecond precision.</summary>
    public IEnumerable<(int Sequence, DateTime StartUtc, DateTime EndUtc)> Records()
    {
        for (var i = 0; i < StartOffsetsUs.Length; i++)
        {
            var start = FromUnixUs(FirstStartUnixUs + StartOffsetsUs[i]);
            yield return (FirstSequence + i, start, start.AddTicks(ElapsedUs[i] * TicksPerMicrosecond));
        }
    }

    private static long UnixUs(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TicksPerMicrosecond;

    private static DateTime FromUnixUs(long us) => new(DateTime.UnixEpoch.Ticks + us * TicksPerMicrosecond, DateTimeKind.Utc);
}

/// <summary>What every run of logins needs, whichever runtime it goes through: a user and a count that is not negative.</summary>
internal static class LoginArguments
{
    public static void Check(string userId, string userName, int count)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
    }
}
