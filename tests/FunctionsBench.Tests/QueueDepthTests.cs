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

    private static ResultsDocument Document()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [2], 1, BenchModes.Single, 100, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 2, 1), T0, T0.AddSeconds(1), [1.0, 2.0])];
        return new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddSeconds(2), settings, results, ScenarioSummary.Of(results));
    }
}
