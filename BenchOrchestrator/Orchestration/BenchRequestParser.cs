namespace FunctionsBench.BenchOrchestrator;

/// <summary>Why a benchmark request was refused: the message and the field it concerns (the 400 body).</summary>
public sealed record BenchRequestError(string Error, string Field);

/// <summary>What the operator allows a benchmark request to ask for.</summary>
public sealed class BenchLimits
{
    /// <summary>Largest accepted request body.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Largest N of one unit (the thesis' largest run was 16,000).</summary>
    public const int MaxInvocations = 100_000;

    /// <summary>Most entries in the <c>invocations</c> list.</summary>
    public const int MaxInvocationCounts = 16;

    /// <summary>Most repetitions.</summary>
    public const int MaxRepetitions = 20;

    /// <summary>Largest checkpoint interval.</summary>
    public const int MaxCheckpointEvery = 10_000;

    /// <summary>Most warm-up invocations per scenario.</summary>
    public const int MaxWarmup = 10_000;

    /// <summary>Most invocations in flight.</summary>
    public const int MaxParallelism = GreeterFunctions.GreeterEntity.MaxInFlight;

    /// <summary>Most invocations of a whole run (all scenarios, N and repetitions).</summary>
    public const long MaxTotalInvocations = 1_000_000;

    /// <summary>Most entries in the <c>users</c> list.</summary>
    public const int MaxUserCounts = 16;

    /// <summary>Longest user id and name.</summary>
    public const int MaxUserIdLength = 64, MaxUserNameLength = 100;

    /// <summary>
    /// Hosts besides loopback that <c>stateFunUrl</c> may name. Loopback is always allowed; anything else only when
    /// the operator lists it, so a request cannot turn the bench into a forwarder to arbitrary hosts.
    /// </summary>
    public IReadOnlyCollection<string> StateFunAllowedHosts { get; init; } = [];
}

/// <summary>
/// Parses and validates the body of <c>POST /api/bench</c>: every field is optional and every value is checked. The CLI
/// validates its flags with this same parser before it starts anything, so the rules live here only.
/// </summary>
public static class BenchRequestParser
{
    /// <summary>Default N when none is given.</summary>
    public const int DefaultInvocations = 1000;

    /// <summary>Default checkpoint interval.</summary>
    public const int DefaultCheckpointEvery = 100;

    /// <summary>
    /// Default warm-up invocations per scenario: the first ~250 invocations of a fresh host run at about 1.6 times the
    /// steady latency while its code is compiled and optimised.
    /// </summary>
    public const int DefaultWarmup = 100;

    /// <summary>The default user id and name (the thesis' and the playground's).</summary>
    public const string DefaultUserId = "1", DefaultUserName = "Joe";

    /// <summary>Longest <c>stateFunLabel</c>.</summary>
    public const int MaxLabelLength = 100;

    /// <summary>Each field of the body and how its value changes the settings; a field not here is refused.</summary>
    private static readonly Dictionary<string, Func<JsonElement, BenchSettings, BenchLimits, Parsed>> Fields = new(StringComparer.Ordinal)
    {
        ["scenarios"] = ParseScenarios,
        ["invocations"] = ParseInvocations,
        ["repetitions"] = (v, s, _) => Whole(v, "repetitions", 1, BenchLimits.MaxRepetitions, n => s with { Repetitions = n }),
        ["mode"] = (v, s, _) => v.ValueKind == JsonValueKind.String && BenchModes.All.Contains(v.GetString()!)
            ? new(s with { Mode = v.GetString()! })
            : Parsed.Fail("mode", $"'mode' must be one of {string.Join(", ", BenchModes.All)}"),
        ["checkpointEvery"] = (v, s, _) => Whole(v, "checkpointEvery", 1, BenchLimits.MaxCheckpointEvery, n => s with { CheckpointEvery = n }),
        ["parallelism"] = (v, s, _) => Whole(v, "parallelism", 1, BenchLimits.MaxParallelism, n => s with { Parallelism = n }),
        ["warmup"] = (v, s, _) => Whole(v, "warmup", 0, BenchLimits.MaxWarmup, n => s with { Warmup = n }),
        ["stateFunUrl"] = (v, s, limits) => v.ValueKind != JsonValueKind.String
            ? Parsed.Fail("stateFunUrl", "'stateFunUrl' must be a string")
            : CheckStateFunUrl(v.GetString()!, limits) is { } problem ? Parsed.Fail("stateFunUrl", problem) : new(s with { StateFunUrl = v.GetString()! }),
        ["stateFunLabel"] = (v, s, _) => Text(v) is { Length: > 0 and <= MaxLabelLength } label && !label.Any(char.IsControl)
            ? new(s with { StateFunLabel = label })
            : Parsed.Fail("stateFunLabel", $"'stateFunLabel' must be 1 to {MaxLabelLength} printable characters"),
        ["userId"] = (v, s, _) => Text(v) is { Length: > 0 and <= BenchLimits.MaxUserIdLength } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? new(s with { UserId = id })
            : Parsed.Fail("userId", $"'userId' must be 1 to {BenchLimits.MaxUserIdLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'"),
        ["users"] = ParseUsers,
        ["items"] = (v, s, _) => Whole(v, "items", 1, CartSettings.MaxItems, n => s with { Cart = (s.Cart ?? new()) with { Items = n } }),
        ["initialStock"] = (v, s, _) => Whole(v, "initialStock", 0, CartSettings.MaxInitialStock, n => s with { Cart = (s.Cart ?? new()) with { InitialStock = n } }),
        ["zipf"] = (v, s, _) => v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double z) && z >= 0 && z <= CartSettings.MaxZipf
            ? new(s with { Cart = (s.Cart ?? new()) with { Zipf = z } })
            : Parsed.Fail("zipf", $"'zipf' must be a number from 0 (uniform item keys) to {CartSettings.MaxZipf}"),
        ["seed"] = (v, s, _) => Whole(v, "seed", 0, int.MaxValue, n => s with { Cart = (s.Cart ?? new()) with { Seed = n } }),
        ["criticalSection"] = (v, s, _) => v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? new(s with { Cart = (s.Cart ?? new()) with { CriticalSection = v.GetBoolean() } })
            : Parsed.Fail("criticalSection", "'criticalSection' must be true or false"),
        ["userName"] = (v, s, _) => Text(v) is { Length: > 0 and <= BenchLimits.MaxUserNameLength } name && !name.Any(char.IsControl) && name.Trim().Length > 0
            ? new(s with { UserName = name })
            : Parsed.Fail("userName", $"'userName' must be 1 to {BenchLimits.MaxUserNameLength} printable characters"),
    };

    /// <summary>The body's fields, in the order the README lists them.</summary>
    public static IReadOnlyCollection<string> FieldNames => Fields.Keys;

    /// <summary>The settings of an empty body: every default.</summary>
    public static BenchSettings Defaults(string defaultStateFunUrl) => new(
        Scenarios.Defaults, [DefaultInvocations], 1, BenchModes.Checkpointed, DefaultCheckpointEvery, 1, defaultStateFunUrl, DefaultUserId, DefaultUserName, DefaultWarmup);

    /// <summary>
    /// Parses <paramref name="body"/> (UTF-8 JSON; empty means all defaults). Returns the settings or the first error.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="defaultStateFunUrl">This app's own StateFun endpoint, used when the request names none.</param>
    /// <param name="limits">What the operator allows.</param>
    public static (BenchSettings? Settings, BenchRequestError? Error) Parse(ReadOnlySpan<byte> body, string defaultStateFunUrl, BenchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (body.Length > BenchLimits.MaxBodyBytes)
        {
            return (null, new BenchRequestError($"the request body is larger than {BenchLimits.MaxBodyBytes} bytes", "body"));
        }

        BenchSettings settings = Defaults(defaultStateFunUrl);
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (settings, null);
        }

        JsonDocument document;
        bool givenScenarios;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return (null, new BenchRequestError($"the body is not valid JSON ({ex.Message})", "body"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, new BenchRequestError("the body must be a JSON object", "body"));
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            givenScenarios = document.RootElement.TryGetProperty("scenarios", out _);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                Parsed parsed = !seen.Add(property.Name)
                    ? Parsed.Fail(property.Name, $"field '{property.Name}' appears more than once")
                    : !Fields.TryGetValue(property.Name, out var parse)
                        ? Parsed.Fail(property.Name, $"unknown field '{property.Name}'; the fields are {string.Join(", ", Fields.Keys)}")
                        : property.Value.ValueKind == JsonValueKind.Null
                            ? Parsed.Fail(property.Name, $"'{property.Name}' must not be null; leave it out for the default")
                            : parse(property.Value, settings, limits);
                if (parsed.Error is { } error)
                {
                    return (null, error);
                }

                settings = parsed.Settings!;
            }
        }

        if (settings.InvocationsByScenario is { } byScenario)
        {
            // Per-scenario N name the scenarios; a 'scenarios' field beside them must agree.
            string[] named = [.. Scenarios.Names.Where(byScenario.ContainsKey)];
            if (givenScenarios && !named.SequenceEqual(settings.Scenarios))
            {
                return (null, new BenchRequestError($"'scenarios' ({string.Join(", ", settings.Scenarios)}) and the scenarios of 'invocations' ({string.Join(", ", named)}) differ; give one of them", "scenarios"));
            }

            settings = settings with { Scenarios = named };
        }

        long total = BenchPlan.TotalInvocations(settings);
        return total > BenchLimits.MaxTotalInvocations
            ? (null, new BenchRequestError($"the run would make {total} invocations (scenarios x invocations x repetitions); the limit is {BenchLimits.MaxTotalInvocations}", "invocations"))
            : (settings, null);
    }

    /// <summary>Why <paramref name="url"/> may not be used as a StateFun endpoint, or null when it may.</summary>
    public static string? CheckStateFunUrl(string url, BenchLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "'stateFunUrl' must be an absolute http or https URL";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "'stateFunUrl' must not carry credentials";
        }

        bool allowed = uri.IsLoopback || limits.StateFunAllowedHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
        return allowed ? null : $"'stateFunUrl' host '{uri.Host}' is not allowed; loopback is, and the operator may allow more hosts (Bench__StateFunAllowedHosts)";
    }

    private static Parsed ParseScenarios(JsonElement value, BenchSettings settings, BenchLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            return Parsed.Fail("scenarios", $"'scenarios' must be a non-empty array of scenario names ({string.Join(", ", Scenarios.Names)})");
        }

        var names = new List<string>();
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string field = $"scenarios[{i++}]";
            if (item.ValueKind != JsonValueKind.String || !Scenarios.IsKnown(item.GetString()!))
            {
                return Parsed.Fail(field, $"unknown scenario {item.GetRawText()}; the scenarios are {string.Join(", ", Scenarios.Names)}");
            }

            if (names.Contains(item.GetString()!))
            {
                return Parsed.Fail(field, $"scenario '{item.GetString()}' is listed twice");
            }

            names.Add(item.GetString()!);
        }

        // Runs take scenarios in the canonical order whatever order the request lists them in.
        return new(settings with { Scenarios = [.. Scenarios.Names.Where(names.Contains)] });
    }

    private static Parsed ParseInvocations(JsonElement value, BenchSettings settings, BenchLimits limits)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            return ParseCounts(value, "invocations", out List<int>? counts) is { } problem
                ? problem
                : new(settings with { Invocations = counts!, InvocationsByScenario = null });
        }

        var byScenario = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (JsonProperty property in value.EnumerateObject())
        {
            string field = $"invocations.{property.Name}";
            if (!Scenarios.IsKnown(property.Name) || byScenario.ContainsKey(property.Name))
            {
                return Parsed.Fail(field, byScenario.ContainsKey(property.Name)
                    ? $"scenario '{property.Name}' is listed twice in 'invocations'"
                    : $"unknown scenario '{property.Name}' in 'invocations'; the scenarios are {string.Join(", ", Scenarios.Names)}");
            }

            if (ParseCounts(property.Value, field, out List<int>? counts) is { } problem)
            {
                return problem;
            }

            byScenario[property.Name] = counts!;
        }

        if (byScenario.Count == 0)
        {
            return Parsed.Fail("invocations", "'invocations' as an object must name at least one scenario, e.g. {\"statefun\": [1000, 4000]}");
        }

        // The run takes the N in ascending order, each scenario at its own.
        return new(settings with { Invocations = [.. byScenario.Values.SelectMany(n => n).Distinct().Order()], InvocationsByScenario = byScenario });
    }

    private static Parsed ParseUsers(JsonElement value, BenchSettings settings, BenchLimits limits)
    {
        string rule = $"'users' must be an array of 1 to {BenchLimits.MaxUserCounts} distinct whole numbers from 1 to {ShoppingCart.CartWorkloadOptions.MaxUsers}, e.g. [1, 4, 16]";
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > BenchLimits.MaxUserCounts)
        {
            return Parsed.Fail("users", rule);
        }

        var list = new List<int>();
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string field = $"users[{i++}]";
            if (!TryInt(item, 1, ShoppingCart.CartWorkloadOptions.MaxUsers, out int n))
            {
                return Parsed.Fail(field, $"each user count must be a whole number from 1 to {ShoppingCart.CartWorkloadOptions.MaxUsers}, not {item.GetRawText()}");
            }

            if (list.Contains(n))
            {
                return Parsed.Fail(field, $"user count {n} is listed twice");
            }

            list.Add(n);
        }

        return new(settings with { Users = list });
    }

    /// <summary>An array of distinct N, or the failure naming <paramref name="field"/>.</summary>
    private static Parsed? ParseCounts(JsonElement value, string field, out List<int>? counts)
    {
        counts = null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > BenchLimits.MaxInvocationCounts)
        {
            return Parsed.Fail(field, $"'{field}' must be an array of 1 to {BenchLimits.MaxInvocationCounts} whole numbers, e.g. [1000, 4000], or an object of such arrays by scenario");
        }

        var list = new List<int>();
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            string itemField = $"{field}[{i++}]";
            if (!TryInt(item, 1, BenchLimits.MaxInvocations, out int n))
            {
                return Parsed.Fail(itemField, $"each invocation count must be a whole number from 1 to {BenchLimits.MaxInvocations}, not {item.GetRawText()}");
            }

            if (list.Contains(n))
            {
                return Parsed.Fail(itemField, $"invocation count {n} is listed twice");
            }

            list.Add(n);
        }

        counts = list;
        return null;
    }

    private static Parsed Whole(JsonElement value, string field, int min, int max, Func<int, BenchSettings> apply)
        => TryInt(value, min, max, out int n) ? new(apply(n)) : Parsed.Fail(field, $"'{field}' must be a whole number from {min} to {max}");

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryInt(JsonElement value, int min, int max, out int result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out result) && result >= min && result <= max;
    }

    /// <summary>A field's outcome: the changed settings, or the error.</summary>
    private readonly record struct Parsed(BenchSettings? Settings, BenchRequestError? Error = null)
    {
        public static Parsed Fail(string field, string message) => new(null, new BenchRequestError(message, field));
    }
}
