using FunctionsBench.BenchOrchestrator.History;

namespace FunctionsBench.Tests;

public class QueueDepthTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Serialize_InspectionWithQueueDepthsAndHistoryCheck_WritesTheDocumentedFieldNames()
    {
        var inspection = new Inspection("run1")
        {
            QueueDepths = [new QueueDepthSample(1.5, 3, 0)],
            HistoryCheck = new HistoryCheck(true, "hub", 12, [new HistoryCheckResult(Scenarios.DfActivity, 2, 1, 2, 2, 4, 4, null, new GapStatistics(0.1, 0.2), new GapStatistics(3, 4), null)], ["n"]),
        };

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(inspection, BenchJson.Options));
        JsonElement root = json.RootElement;
        JsonElement sample = root.GetProperty("queueDepths")[0];
        JsonElement check = root.GetProperty("historyCheck");
        JsonElement result = check.GetProperty("results")[0];

        Assert.Equal(1.5, sample.GetProperty("t").GetDouble());
        Assert.Equal(3, sample.GetProperty("control").GetInt32());
        Assert.Equal(0, sample.GetProperty("workItems").GetInt32());
        Assert.True(check.GetProperty("available").GetBoolean());
        Assert.Equal(2, result.GetProperty("matched").GetInt32());
        Assert.Equal(4, result.GetProperty("measuredEventsPerInvocation").GetDouble());
        Assert.Equal(0.2, result.GetProperty("startGapMs").GetProperty("max").GetDouble());
        Assert.Equal(3, result.GetProperty("endGapMs").GetProperty("median").GetDouble());
    }

    [Fact]
    public void Serialize_ResultsDocument_CarriesNoInspectionFields()
    {
        string json = JsonSerializer.Serialize(Document(), BenchJson.Options);

        Assert.DoesNotContain("queueDepths", json, StringComparison.Ordinal);
        Assert.DoesNotContain("historyCheck", json, StringComparison.Ordinal);
        Assert.DoesNotContain("storageRequests", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Relative_SamplesAroundTheStart_AreSecondsSinceTheStart()
    {
        IReadOnlyList<QueueDepthSample> samples = QueueDepthSample.Relative([(T0.AddMilliseconds(-250), 1, 0), (T0.AddSeconds(2), 4, 2)], T0);

        Assert.Equal([new QueueDepthSample(-0.25, 1, 0), new QueueDepthSample(2, 4, 2)], samples);
    }

    [Fact]
    public void Backlogs_DepthAboveThreshold_ReturnsEachStretchWithItsDeepestSample()
    {
        QueueDepthSample[] samples =
        [
            new(0, 1, 0), new(1, 12, 0), new(2, 3, 30), new(3, 2, 1), new(4, 0, 11),
        ];

        IReadOnlyList<(double From, double To, int Deepest)> backlogs = QueueDepthSample.Backlogs(samples, 10);

        Assert.Equal([(1.0, 2.0, 30), (4.0, 4.0, 11)], backlogs);
        Assert.Empty(QueueDepthSample.Backlogs(samples, 30));
        Assert.Equal(16, QueueDepthSample.BacklogAbove(8));
    }

    [Fact]
    public void BacklogsByWindow_BacklogsInAndOutsideDurableUnits_OnlyThoseInDurableUnitsAreMeasured()
    {
        // df-activity timed from t=10 to t=20, statefun from t=30 to t=35; backlogs in the first, between, in the second.
        EventRecord[] events = [Event(Scenarios.DfActivity, 1, 10, 15), Event(Scenarios.DfActivity, 2, 15, 20), Event(Scenarios.StateFun, 1, 30, 35)];
        QueueDepthSample[] samples = [new(12, 20, 0), new(13, 2, 0), new(25, 35, 0), new(26, 1, 0), new(32, 21, 0), new(33, 0, 0)];

        var (measured, elsewhere) = QueueDepthSample.BacklogsByWindow(samples, 10, UnitWindow.Of(events), T0);

        Assert.Equal([(12.0, 12.0, 20)], measured);
        Assert.Equal([(25.0, 25.0, 35), (32.0, 32.0, 21)], elsewhere);
    }

    [Fact]
    public void UnitWindowOf_EventsOfTwoUnitsInAnyOrder_EachUnitFromItsFirstStartToItsLastEnd()
    {
        EventRecord[] events = [Event(Scenarios.StateFun, 2, 31, 32), Event(Scenarios.DfActivity, 1, 10, 11), Event(Scenarios.StateFun, 1, 30, 31), Event(Scenarios.DfActivity, 2, 11, 13)];

        IReadOnlyList<UnitWindow> windows = UnitWindow.Of(events);

        Assert.Equal(
            [new UnitWindow(Scenarios.DfActivity, 2, 1, T0.AddSeconds(10), T0.AddSeconds(13)), new UnitWindow(Scenarios.StateFun, 2, 1, T0.AddSeconds(30), T0.AddSeconds(32))],
            windows);
        Assert.Equal((10.0, 13.0), (windows[0].FromSeconds(T0), windows[0].ToSeconds(T0)));
    }

    /// <summary>Invocation <paramref name="sequence"/> of a unit of 2 of <paramref name="scenario"/>, timed from second <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static EventRecord Event(string scenario, int sequence, double from, double to)
        => new(scenario, 2, 1, sequence, T0.AddSeconds(from), T0.AddSeconds(to), (to - from) * 1000);

    private static ResultsDocument Document()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [2], 1, BenchModes.Single, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 2, 1), T0, T0.AddSeconds(1), [1.0, 2.0])];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddSeconds(2), settings, results, ScenarioSummary.Of(results));
    }
}
