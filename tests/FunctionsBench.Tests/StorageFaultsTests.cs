using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Tests;

public class StorageFaultsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(null, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(200, false)]
    [InlineData(201, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    public void IsFailure_Status_IsWhatTheSdkRetries(int? status, bool failure)
    {
        Assert.Equal(failure, StorageFaults.IsFailure(status));
    }

    [Fact]
    public void LongestGap_FailuresBetweenSuccesses_RunsFromFirstFailureToNextSuccess()
    {
        StorageAttempt[] attempts =
        [
            At(0, 200), At(1, null), At(2, null), At(4, 200), // 3 s
            At(5, 503), At(5.5, 200),                          // 0.5 s
            At(6, null), At(13, null), At(16.5, 201),         // 10.5 s, the longest
            At(17, 404), At(18, 500),                          // a 404 is an answer; the 500 has no success after it
        ];

        Assert.Equal(TimeSpan.FromSeconds(10.5), StorageFaults.LongestGap(attempts));
    }

    [Fact]
    public void LongestGap_NoSuccessAfterTheFailures_RunsToTheLastFailure()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), StorageFaults.LongestGap([At(0, 200), At(2, null), At(9, null)]));
        Assert.Equal(TimeSpan.Zero, StorageFaults.LongestGap([At(0, 200), At(1, 404)]));
    }

    [Fact]
    public void PerUnit_CountsFaultsInsideEachUnitsWindowOnly()
    {
        EventRecord[] events =
        [
            Event(Scenarios.DfActivity, 0, 0, 30),
            Event(Scenarios.DfActivity, 1, 30, 40),
            Event(Scenarios.DfEntity, 0, 50, 60),
        ];
        StorageAttempt[] attempts =
        [
            At(-5, null),                              // before the first unit: nobody's
            At(10, 200), At(11, null), At(12, 503), At(20, null), At(27, 200), // a 16 s outage in df-activity
            At(45, null),                              // between the units
            At(52, 200), At(53, 429), At(53.2, 200),   // one throttled request in df-entity
        ];

        IReadOnlyList<StorageFaultCount> faults = StorageFaults.PerUnit(attempts.Reverse().ToArray(), events);

        StorageFaultCount activity = Assert.Single(faults, f => f.Scenario == Scenarios.DfActivity);
        StorageFaultCount entity = Assert.Single(faults, f => f.Scenario == Scenarios.DfEntity);
        Assert.Equal(new StorageFaultCount(Scenarios.DfActivity, 1000, 1, 3, 2, 16), activity);
        Assert.True(activity.IncludesOutage);
        Assert.Equal(new StorageFaultCount(Scenarios.DfEntity, 1000, 1, 1, 0, 0.2), entity);
        Assert.False(entity.IncludesOutage);
    }

    [Fact]
    public void PerUnit_FaultlessUnit_IsListedWithZeros()
    {
        IReadOnlyList<StorageFaultCount> faults = StorageFaults.PerUnit([At(1, 200)], [Event(Scenarios.StateFun, 0, 0, 2)]);

        Assert.Equal([new StorageFaultCount(Scenarios.StateFun, 1000, 1, 0, 0, 0)], faults);
        Assert.Null(StorageFaults.Describe(faults[0]));
    }

    [Fact]
    public void Describe_Outage_SaysTheUnitsTimeIncludesIt()
    {
        string? text = StorageFaults.Describe(new StorageFaultCount(Scenarios.DfEntity, 1000, 1, 812, 790, 15.24));

        Assert.Equal(
            "df-entity N=1000 repetition 1: its time includes a storage outage of 15.2 s; 812 storage requests failed (790 without a response) and were retried.",
            text);
    }

    [Fact]
    public void Describe_ScatteredFaults_SaysTheTimeIncludesTheRetries()
    {
        string? text = StorageFaults.Describe(new StorageFaultCount(Scenarios.DfActivity, 200, 2, 41, 9, 0.8));

        Assert.Equal("df-activity N=200 repetition 2: 41 storage requests failed (9 without a response) and were retried; its time includes those retries.", text);
    }

    [Fact]
    public void Report_UnitWithOutage_SaysItsTimeIncludesTheOutageAndFaultlessUnitsSayNothing()
    {
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.DfEntity], [10], 1, BenchModes.Checkpointed, 5, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(20), [5.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 10, 1), T0.AddSeconds(30), T0.AddSeconds(31), [5.0]),
        ];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results));
        var inspection = new Inspection("r", StorageFaults: [new(Scenarios.DfActivity, 10, 1, 300, 298, 15.04), new(Scenarios.DfEntity, 10, 1, 0, 0, 0)]);

        string html = HtmlReport.Build(document, inspection, []);
        string plain = HtmlReport.Build(document, new Inspection("r", StorageFaults: [new(Scenarios.DfActivity, 10, 1, 0, 0, 0)]), []);

        Assert.Contains("df-activity N=10 repetition 1: its time includes a storage outage of 15.0 s; 300 storage requests failed (298 without a response)", html);
        Assert.DoesNotContain("df-entity N=10 repetition 1:", html);
        Assert.DoesNotContain("its time includes", plain);
        Assert.Contains("No storage request failed while the units ran.", plain);
    }

    private static StorageAttempt At(double seconds, int? status) => new(T0.AddSeconds(seconds), "queue.receive", status);

    private static EventRecord Event(string scenario, int sequence, double start, double end)
        => new(scenario, 1000, 1, sequence, T0.AddSeconds(start), T0.AddSeconds(end), (end - start) * 1000);
}
