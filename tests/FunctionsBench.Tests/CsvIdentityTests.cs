using FunctionsBench.BenchOrchestrator.Csv;
using FunctionsBench.BenchOrchestrator.Floors;

namespace FunctionsBench.Tests;

/// <summary>The CSV identity columns that tell pooled rows apart, and statefun's floor slices in events.csv and results.csv.</summary>
public class CsvIdentityTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Identity_DefaultsAndTunedRunInTheSameMode_DifferInTheirSettingsColumns()
    {
        StorageSetup tuned = new(StorageSetup.DevelopmentAccount, true, "disk", 1, true, 1000, 32, Source: StorageSetup.SourceExtension);
        StorageSetup defaults = new(StorageSetup.DevelopmentAccount, true, "memory", 4, false, 30_000, 32, Source: StorageSetup.SourceExtension);
        JsonElement tunedJson = JsonDocument.Parse("""{"version":"2.0","extensions":{"durableTask":{"extendedSessionsEnabled":true}}}""").RootElement;
        JsonElement defaultsJson = JsonDocument.Parse("""{"version":"2.0","extensions":{"durableTask":{"extendedSessionsEnabled":false}}}""").RootElement;

        string a = Row(tuned, tunedJson, "abc123", "the C# greeter");
        string b = Row(defaults, defaultsJson, "def456", "the Java greeter");

        Dictionary<string, string> first = Columns(a), second = Columns(b);
        Assert.Equal(("disk", "memory"), (first["azuriteMode"], second["azuriteMode"]));
        Assert.Equal(("1", "4"), (first["partitionCount"], second["partitionCount"]));
        Assert.Equal(("true", "false"), (first["extendedSessions"], second["extendedSessions"]));
        Assert.Equal(("1000", "30000"), (first["maxQueuePollingIntervalMs"], second["maxQueuePollingIntervalMs"]));
        Assert.Equal(("abc123", "def456"), (first["gitCommit"], second["gitCommit"]));
        Assert.Equal(("the C# greeter", "the Java greeter"), (first["stateFunLabel"], second["stateFunLabel"]));
        Assert.Matches("^[0-9a-f]{16}$", first["hostJsonSha256"]);
        Assert.NotEqual(first["hostJsonSha256"], second["hostJsonSha256"]);
        // The same host.json, however it is indented, has one hash.
        Assert.Equal(RunIdentity.HashHostJson(tunedJson), RunIdentity.HashHostJson(JsonDocument.Parse("{ \"version\": \"2.0\",\n \"extensions\": {\"durableTask\": {\"extendedSessionsEnabled\": true}} }").RootElement));
    }

    [Fact]
    public void Identity_StorageAccount_IsNamedAccountNotAnAzuriteMode()
    {
        var identity = RunIdentity.Of(Document(new StorageSetup("prodaccount", false, null, 4, false, 30_000, 32), null, null, null));

        Assert.Equal("account", identity.AzuriteMode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(200)]
    [InlineData(8001)]
    [InlineData(25_000)]
    public void ChunkLogins_IsTheOrchestrationsSplit(int count)
    {
        Assert.Equal(StateFunLogins.ChunkLogins(count), EventsCsv.ChunkLogins(count));
        Assert.Equal(StateFunLogins.FloorTurnLogins, EventsCsv.FloorTurnLogins);
        Assert.Equal(StateFunLogins.MinFloorTurns, EventsCsv.MinFloorTurns);
    }

    [Fact]
    public void StateFunFloorInTurns_SlicesMarkedInEventsAndTheirTimeInResults_RecomputeTheExecutionTime()
    {
        // 16 logins in chunks of 2: a slice before logins 2, 4, ..., 14 (7 slices of 4 no-op requests at 1000 requests/s = 28 ms).
        const int n = 16;
        var events = new List<EventRecord>();
        DateTime t = T0;
        for (int i = 0; i < n; i++)
        {
            if (i > 0 && i % 2 == 0)
            {
                t = t.AddMilliseconds(4);
            }

            events.Add(new EventRecord(Scenarios.StateFun, n, 1, i, t, t.AddMilliseconds(1), 1));
            t = t.AddMilliseconds(1);
        }

        var floorInTurns = new HttpFloorInTurns(28, 0.028);
        ScenarioResult result = ScenarioResult.From(new BenchUnit(Scenarios.StateFun, n, 1), events[0].Start, events[^1].End, [.. events.Select(e => e.LatencyMs)], floorInTurns: floorInTurns);
        ResultsDocument document = Document(null, null, null, null) with { Results = [result], Settings = Document(null, null, null, null).Settings with { Scenarios = [Scenarios.StateFun] } };

        string[] eventLines = EventsCsv.Write(RunIdentity.Of(document), events).TrimEnd('\n').Split('\n');
        string[] header = eventLines[0].Split(',');
        int mark = Array.IndexOf(header, "afterFloorSlice");
        int[] marked = [.. eventLines.Skip(1).Select((line, i) => (line.Split(',')[mark], i)).Where(x => x.Item1 == "1").Select(x => x.i)];
        Assert.Equal([2, 4, 6, 8, 10, 12, 14], marked);

        Dictionary<string, string> row = Columns(ResultsCsv.Results(document));
        Assert.Equal("turns", row["floorSource"]);
        Assert.Equal("requests/s", row["floorUnit"]);
        double slices = double.Parse(row["floorSliceSeconds"], System.Globalization.CultureInfo.InvariantCulture);
        double span = (events[^1].End - events[0].Start).TotalSeconds;
        Assert.Equal(0.028, slices, 6);
        Assert.Equal(result.ExecutionSeconds, span - slices, 6);
    }

    [Fact]
    public void Events_UnitWithoutFloorInTurns_MarksNoSlice()
    {
        EventRecord[] events = [.. Enumerable.Range(0, 16).Select(i => new EventRecord(Scenarios.StateFun, 16, 1, i, T0.AddMilliseconds(i), T0.AddMilliseconds(i + 1), 1))];

        string csv = EventsCsv.Write(RunIdentity.Of(Document(null, null, null, null)), events);

        Assert.All(csv.TrimEnd('\n').Split('\n').Skip(1), line => Assert.EndsWith(",0", line));
    }

    private static string Row(StorageSetup storage, JsonElement hostJson, string commit, string label)
        => ResultsCsv.Results(Document(storage, new RunEnvironment(2, null, null, "Linux", "10.0", new Dictionary<string, string>(), commit, "host.json", hostJson), label, null));

    private static Dictionary<string, string> Columns(string csv)
    {
        IReadOnlyList<IReadOnlyList<string>> records = CsvText.Records(csv);
        return records[0].Zip(records[1]).ToDictionary(p => p.First, p => p.Second);
    }

    private static ResultsDocument Document(StorageSetup? storage, RunEnvironment? environment, string? label, BenchFloors? floors)
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe", StateFunLabel: label);
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0, 2.0], floors)];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), floors, storage, environment);
    }
}
