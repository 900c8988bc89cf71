using System.Text.Json;

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

    /// <summary>Longest user id and name.</summary>
    public const int MaxUserIdLength = 64, MaxUserNameLength = 100;

    /// <summary>
    /// Hosts besides loopback that <c>stateFunUrl</c> may name. Loopback is always allowed; anything else only when
    /// the operator lists it, so a request cannot turn the bench into a forwarder to arbitrary hosts.
    /// </summary>
    public IReadOnlyCollection<string> StateFunAllowedHosts { get; init; } = [];
}

/// <summary>Parses and validates the body of <c>POST /api/bench</c>. Every field is optional; every value is checked.</summary>
public static class BenchRequestParser
{
    /// <summary>Default N when none is given.</summary>
    public const int DefaultInvocations = 1000;

    /// <summary>Default checkpoint interval.</summary>
    public const int DefaultCheckpointEvery = 100;

    /// <summary>
    /// Default warm-up invocations per Durable Functions scenario: the first ~250 invocations of a fresh host run at
    /// about 1.6 times the steady latency while its code is compiled and optimised.
    /// </summary>
    public const int DefaultWarmup = 100;

    private static readonly string[] Fields =
        ["scenarios", "invocations", "repetitions", "mode", "checkpointEvery", "parallelism", "warmup", "stateFunUrl", "userId", "userName"];

    /// <summary>
    /// Parses <paramref name="body"/> (UTF-8 JSON; empty means all defaults). Returns the settings or the first error.
    /// </summary>
    /// <param name="body">The request body.</param>
    /// <param name="defaultStateFunUrl">This app's own StateFun endpoint, used when the request names none.</param>
    /// <param name="limits">What the operator allows.</param>
    public static (BenchSettings? Settings, BenchRequestError? Error) Parse(ReadOnlySpan<byte> body, string defaultStateFunUrl, BenchLimits limits)
    {
        if (body.Length > BenchLimits.MaxBodyBytes)
        {
            return Fail("body", $"the request body is larger than {BenchLimits.MaxBodyBytes} bytes");
        }

        var settings = new BenchSettings(Scenarios.All, [DefaultInvocations], 1, BenchModes.Checkpointed, DefaultCheckpointEvery, 1, defaultStateFunUrl, "1", "Joe", DefaultWarmup);
        if (body.Trim(" \t\r\n"u8).IsEmpty)
        {
            return (settings, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            return Fail("body", $"the body is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail("body", "the body must be a JSON object");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    return Fail(property.Name, $"field '{property.Name}' appears more than once");
                }

                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                {
                    return Fail(property.Name, $"unknown field '{property.Name}'; the fields are {string.Join(", ", Fields)}");
                }

                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    return Fail(property.Name, $"'{property.Name}' must not be null; leave it out for the default");
                }

                BenchRequestError? error;
                (settings, error) = Apply(settings, property, defaultStateFunUrl, limits);
                if (error is not null)
                {
                    return (null, error);
                }
            }
        }

        if (BenchPlan.TotalInvocations(settings) > BenchLimits.MaxTotalInvocations)
        {
            return Fail("invocations", $"the run would make {BenchPlan.TotalInvocations(settings)} invocations (scenarios x invocations x repetitions); the limit is {BenchLimits.MaxTotalInvocations}");
        }

        return (settings, null);
    }

    private static (BenchSettings Settings, BenchRequestError? Error) Apply(BenchSettings s, JsonProperty property, string defaultStateFunUrl, BenchLimits limits)
    {
        JsonElement value = property.Value;
        switch (property.Name)
        {
            case "scenarios":
            {
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                {
                    return Error(s, "scenarios", $"'scenarios' must be a non-empty array of scenario names ({string.Join(", ", Scenarios.All)})");
                }

                var names = new List<string>();
                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    string field = $"scenarios[{i++}]";
                    if (item.ValueKind != JsonValueKind.String || !Scenarios.IsKnown(item.GetString()!))
                    {
                        return Error(s, field, $"unknown scenario {item.GetRawText()}; the scenarios are {string.Join(", ", Scenarios.All)}");
                    }

                    if (names.Contains(item.GetString()!))
                    {
                        return Error(s, field, $"scenario '{item.GetString()}' is listed twice");
                    }

                    names.Add(item.GetString()!);
                }

                // Runs take scenarios in the canonical order whatever order the request lists them in.
                return (s with { Scenarios = Scenarios.All.Where(names.Contains).ToList() }, null);
            }

            case "invocations":
            {
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > BenchLimits.MaxInvocationCounts)
                {
                    return Error(s, "invocations", $"'invocations' must be an array of 1 to {BenchLimits.MaxInvocationCounts} whole numbers, e.g. [1000, 4000]");
                }

                var counts = new List<int>();
                int i = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    string field = $"invocations[{i++}]";
                    if (!TryInt(item, 1, BenchLimits.MaxInvocations, out int n))
                    {
                        return Error(s, field, $"each invocation count must be a whole number from 1 to {BenchLimits.MaxInvocations}, not {item.GetRawText()}");
                    }

                    if (counts.Contains(n))
                    {
                        return Error(s, field, $"invocation count {n} is listed twice");
                    }

                    counts.Add(n);
                }

                return (s with { Invocations = counts }, null);
            }

            case "repetitions":
                return TryInt(value, 1, BenchLimits.MaxRepetitions, out int repetitions)
                    ? (s with { Repetitions = repetitions }, null)
                    : Error(s, "repetitions", $"'repetitions' must be a whole number from 1 to {BenchLimits.MaxRepetitions}");

            case "mode":
                return value.ValueKind == JsonValueKind.String && BenchModes.All.Contains(value.GetString()!)
                    ? (s with { Mode = value.GetString()! }, null)
                    : Error(s, "mode", $"'mode' must be one of {string.Join(", ", BenchModes.All)}");

            case "checkpointEvery":
                return TryInt(value, 1, BenchLimits.MaxCheckpointEvery, out int every)
                    ? (s with { CheckpointEvery = every }, null)
                    : Error(s, "checkpointEvery", $"'checkpointEvery' must be a whole number from 1 to {BenchLimits.MaxCheckpointEvery}");

            case "parallelism":
                return TryInt(value, 1, BenchLimits.MaxParallelism, out int parallelism)
                    ? (s with { Parallelism = parallelism }, null)
                    : Error(s, "parallelism", $"'parallelism' must be a whole number from 1 to {BenchLimits.MaxParallelism}");

            case "warmup":
                return TryInt(value, 0, BenchLimits.MaxWarmup, out int warmup)
                    ? (s with { Warmup = warmup }, null)
                    : Error(s, "warmup", $"'warmup' must be a whole number from 0 to {BenchLimits.MaxWarmup}");

            case "stateFunUrl":
            {
                if (value.ValueKind != JsonValueKind.String)
                {
                    return Error(s, "stateFunUrl", "'stateFunUrl' must be a string");
                }

                string? problem = CheckStateFunUrl(value.GetString()!, limits);
                return problem is null ? (s with { StateFunUrl = value.GetString()! }, null) : Error(s, "stateFunUrl", problem);
            }

            case "userId":
            {
                string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return text is { Length: > 0 and <= BenchLimits.MaxUserIdLength } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                    ? (s with { UserId = text }, null)
                    : Error(s, "userId", $"'userId' must be 1 to {BenchLimits.MaxUserIdLength} characters of A-Z, a-z, 0-9, '-', '_' or '.'");
            }

            case "userName":
            {
                string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                return text is { Length: > 0 and <= BenchLimits.MaxUserNameLength } && !text.Any(char.IsControl) && text.Trim().Length > 0
                    ? (s with { UserName = text }, null)
                    : Error(s, "userName", $"'userName' must be 1 to {BenchLimits.MaxUserNameLength} printable characters");
            }

            default:
                throw new InvalidOperationException("unreachable: the field list is checked before");
        }
    }

    /// <summary>Why <paramref name="url"/> may not be used as a StateFun endpoint, or null when it may.</summary>
    public static string? CheckStateFunUrl(string url, BenchLimits limits)
    {
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

    private static bool TryInt(JsonElement value, int min, int max, out int result)
    {
        result = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out result) && result >= min && result <= max;
    }

    private static (BenchSettings, BenchRequestError?) Error(BenchSettings s, string field, string message) => (s, new BenchRequestError(message, field));

    private static (BenchSettings?, BenchRequestError?) Fail(string field, string message) => (null, new BenchRequestError(message, field));
}
