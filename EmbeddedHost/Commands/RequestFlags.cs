using System.CommandLine;
using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator.Thesis;

namespace FunctionsBench.Embedded.Commands;

/// <summary>
/// The flags of <c>run</c> that become the POST /api/bench body, with help texts whose defaults are the parser's own,
/// and the check of that body by the server's parser before anything starts.
/// </summary>
internal sealed class RequestFlags
{
    /// <summary>A StateFun URL that stands for "the host's own greeter" while the CLI checks a request.</summary>
    internal const string PlaceholderStateFunUrl = "http://127.0.0.1/api/statefun/{function.name}";

    private static readonly BenchSettings Defaults = BenchRequestParser.Defaults(PlaceholderStateFunUrl);

    /// <summary>The body field each flag sets, for naming the flag in the parser's errors.</summary>
    private readonly Dictionary<string, string> flagOfField = new(StringComparer.Ordinal)
    {
        ["scenarios"] = "--scenarios",
        ["invocations"] = "--invocations",
        ["repetitions"] = "--repetitions",
        ["mode"] = "--mode",
        ["checkpointEvery"] = "--checkpoint-every",
        ["parallelism"] = "--parallelism",
        ["warmup"] = "--warmup",
        ["stateFunUrl"] = "--statefun-url",
        ["stateFunLabel"] = "--statefun-label",
        ["users"] = "--users",
        ["items"] = "--items",
        ["initialStock"] = "--initial-stock",
        ["zipf"] = "--zipf",
        ["seed"] = "--seed",
        ["criticalSection"] = "--critical-section",
    };

    private static readonly CartSettings CartDefaults = new();

    public Option<string?> Scenarios { get; } = new("--scenarios")
    {
        Description = $"Comma-separated scenarios: {string.Join(", ", BenchOrchestrator.Scenarios.Names)} (default {string.Join(",", Defaults.Scenarios)})",
    };

    public Option<string?> Invocations { get; } = new("--invocations")
    {
        Description = $"Comma-separated N for every scenario, or per scenario as 'df-activity=1000,2000;statefun=1000,4000' (default {string.Join(",", Defaults.Invocations)})",
    };

    public Option<int?> Repetitions { get; } = new("--repetitions")
    {
        Description = $"Repetitions of each (scenario, N), 1-{BenchLimits.MaxRepetitions} (default {Defaults.Repetitions}; --thesis: {ThesisTables.Repetitions})",
    };

    public Option<string?> Mode { get; } = new("--mode")
    {
        Description = $"{string.Join(" | ", BenchModes.All)}: one growing history per unit, or a fresh orchestration every --checkpoint-every (default {Defaults.Mode})",
    };

    public Option<int?> CheckpointEvery { get; } = new("--checkpoint-every")
    {
        Description = $"Invocations per orchestration in checkpointed mode, 1-{BenchLimits.MaxCheckpointEvery} (default {Defaults.CheckpointEvery})",
    };

    public Option<int?> Parallelism { get; } = new("--parallelism")
    {
        Description = $"Invocations in flight, 1-{BenchLimits.MaxParallelism} (default {Defaults.Parallelism}: one after another, as the thesis)",
    };

    public Option<int?> Warmup { get; } = new("--warmup")
    {
        Description = $"Unrecorded invocations of each scenario before its first unit, 0-{BenchLimits.MaxWarmup} (default {Defaults.Warmup})",
    };

    public Option<string?> StateFunUrl { get; } = new("--statefun-url") { Description = "StateFun endpoint to drive (default: the host's own C# greeter)" };

    public Option<string?> StateFunLabel { get; } = new("--statefun-label") { Description = "What serves --statefun-url, for the results (e.g. 'official JS SDK')" };

    public Option<string?> Users { get; } = new("--users")
    {
        Description = $"Cart scenarios: comma-separated user loops in flight, one unit per value, 1-{ShoppingCart.CartWorkloadOptions.MaxUsers} (default 1; the greeter's scenarios ignore it)",
    };

    public Option<int?> Items { get; } = new("--items") { Description = $"Cart scenarios: distinct items, 1-{CartSettings.MaxItems} (default {CartDefaults.Items})" };

    public Option<int?> InitialStock { get; } = new("--initial-stock") { Description = $"Cart scenarios: every item's stock before a unit (default {CartDefaults.InitialStock})" };

    public Option<double?> Zipf { get; } = new("--zipf") { Description = $"Cart scenarios: Zipf exponent of the item keys, 0 for uniform, up to {CartSettings.MaxZipf} (default {CartDefaults.Zipf})" };

    public Option<int?> Seed { get; } = new("--seed") { Description = $"Cart scenarios: the workload generator's seed (default {CartDefaults.Seed})" };

    public Option<bool?> CriticalSection { get; } = new("--critical-section")
    {
        Description = "cart-df: AddToCart and ClearCart lock the cart and the stocks they change (LockEntitiesAsync) (default false)",
    };

    public IEnumerable<Option> All => [
        this.Scenarios, this.Invocations, this.Repetitions, this.Mode, this.CheckpointEvery, this.Parallelism, this.Warmup, this.StateFunUrl, this.StateFunLabel,
        this.Users, this.Items, this.InitialStock, this.Zipf, this.Seed, this.CriticalSection];

    /// <summary>
    /// The POST /api/bench body: only what was given, so the server's defaults apply to the rest; <paramref name="preset"/>
    /// (the thesis') fills what the flags leave out. A flag that cannot become a field is a <see cref="CliException"/>.
    /// </summary>
    public JsonObject Body(ParseResult result, JsonObject? preset = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        JsonObject body = preset?.DeepClone().AsObject() ?? [];
        if (result.GetValue(this.Scenarios) is { } scenarios)
        {
            body["scenarios"] = new JsonArray([.. List(scenarios).Select(s => (JsonNode)s)]);
        }

        if (result.GetValue(this.Invocations) is { } invocations)
        {
            body["invocations"] = ParseInvocations(invocations);
        }

        void Set<T>(string field, T? value)
            where T : struct
        {
            if (value is T v)
            {
                body[field] = JsonValue.Create(v);
            }
        }

        Set("repetitions", result.GetValue(this.Repetitions));
        Set("checkpointEvery", result.GetValue(this.CheckpointEvery));
        Set("parallelism", result.GetValue(this.Parallelism));
        Set("warmup", result.GetValue(this.Warmup));
        if (result.GetValue(this.Users) is { } users)
        {
            body["users"] = new JsonArray([.. List(users).Select(u => (JsonNode)(int.TryParse(u, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                ? n
                : throw new CliException($"--users takes whole numbers separated by commas, not '{u}'")))]);
        }

        Set("items", result.GetValue(this.Items));
        Set("initialStock", result.GetValue(this.InitialStock));
        Set("zipf", result.GetValue(this.Zipf));
        Set("seed", result.GetValue(this.Seed));
        Set("criticalSection", result.GetValue(this.CriticalSection));
        foreach ((string field, Option<string?> option) in new[] { ("mode", this.Mode), ("stateFunUrl", this.StateFunUrl), ("stateFunLabel", this.StateFunLabel) })
        {
            if (result.GetValue(option) is { } text)
            {
                body[field] = text;
            }
        }

        return body;
    }

    /// <summary>
    /// Checks <paramref name="body"/> with the server's parser and returns the settings it would run; a refused body is
    /// a <see cref="CliException"/> naming the flag. <paramref name="remoteTarget"/>: the server's own allow-list decides
    /// which StateFun hosts it accepts, so the CLI does not refuse one for it.
    /// </summary>
    public BenchSettings Validate(JsonObject body, bool remoteTarget)
    {
        ArgumentNullException.ThrowIfNull(body);
        string? url = body["stateFunUrl"]?.GetValue<string>();
        var limits = new BenchLimits
        {
            StateFunAllowedHosts = remoteTarget && url is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
                ? [uri.Host]
                : (Environment.GetEnvironmentVariable("Bench__StateFunAllowedHosts") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
        (BenchSettings? settings, BenchRequestError? error) = BenchRequestParser.Parse(JsonSerializer.SerializeToUtf8Bytes(body), PlaceholderStateFunUrl, limits);
        if (error is not null)
        {
            // The server's message names body fields ('mode'); the user typed flags (--mode).
            string field = error.Field.Split('[', '.')[0];
            string flag = this.flagOfField.TryGetValue(field, out string? name) ? name : field;
            string message = this.flagOfField.Aggregate(error.Error, (text, pair) => text.Replace($"'{pair.Key}'", pair.Value, StringComparison.Ordinal));
            throw new CliException(message.StartsWith(flag + " ", StringComparison.Ordinal) ? message : $"{flag}: {message}");
        }

        return settings!;
    }

    /// <summary>"1000,2000" for every scenario, or "df-activity=1000,2000;statefun=1000,4000" per scenario.</summary>
    internal static JsonNode ParseInvocations(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return Counts(text);
        }

        var byScenario = new JsonObject();
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || pair[0].Length == 0)
            {
                throw new CliException($"--invocations: '{part}' must read scenario=N,N (e.g. statefun=1000,4000), parts separated by ';'");
            }

            if (byScenario.ContainsKey(pair[0]))
            {
                throw new CliException($"--invocations: scenario '{pair[0]}' is given twice");
            }

            byScenario[pair[0]] = Counts(pair[1]);
        }

        return byScenario;
    }

    private static JsonArray Counts(string text)
    {
        var counts = new JsonArray();
        foreach (string n in List(text))
        {
            counts.Add(int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
                ? count
                : throw new CliException($"--invocations takes whole numbers separated by commas, not '{n}'"));
        }

        return counts;
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Input or a situation the user can fix: printed as one line, exit code <see cref="ExitCode"/>, no stack trace.</summary>
internal sealed class CliException(string message, int exitCode = 2) : Exception(message)
{
    /// <summary>2 for bad input, 1 for a failure of the run or its target.</summary>
    public int ExitCode { get; } = exitCode;
}
