using FunctionsBench.BenchOrchestrator;

namespace FunctionsBench.Tests;

public class ReportTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Csv_Events_HaveHeaderAndOneRowEach()
    {
        var events = new[]
        {
            new EventRecord("df-activity", 2, 1, 0, T0, T0.AddMilliseconds(12.5), 12.5),
            new EventRecord("df-activity", 2, 1, 1, T0.AddSeconds(1), T0.AddSeconds(1).AddMilliseconds(3), 3),
        };

        string[] lines = EventRecord.ToCsv(events).TrimEnd('\n').Split('\n');

        Assert.Equal(EventRecord.CsvHeader, lines[0]);
        Assert.Equal("df-activity,2,1,0,2026-03-01T12:00:00.000000Z,2026-03-01T12:00:00.012500Z,12.5", lines[1]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Build_Document_HasTablesChartsAndThesisReference()
    {
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.StateFun], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe<script>");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(10), [5.0, 6.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(1), [0.5, 0.7]),
        ];
        var document = new ResultsDocument("run-42", "embedded", "AzureStorage", T0, T0.AddMinutes(1), settings, results, ScenarioSummary.Of(results));
        EventRecord[] events = [.. Enumerable.Range(0, 1000).Select(i => new EventRecord(Scenarios.DfActivity, 1000, 1, i, T0, T0.AddMilliseconds(5), 5))];

        string html = HtmlReport.Build(document, inspection: null, events);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("run-42", html);
        Assert.Contains("<td>df-activity</td><td>1000</td><td>1</td><td>10.00</td><td>400.0</td>", html);
        Assert.Contains("thesis: StateFun (Table 5.3)", html);
        Assert.Contains("thesis: Durable Functions (Table 5.4)", html);
        Assert.Equal(3, html.Split("<svg").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<p>Storage:", html);
    }

    [Fact]
    public void Build_DocumentWithStorage_NamesTheAzuriteModeAndProviderSettings()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 1, BenchModes.Checkpointed, 5, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [5.0])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results))
        {
            Storage = new StorageSetup(StorageSetup.DevelopmentAccount, true, "memory", 1, true, 1000, 32),
        };

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.Contains("<p>Storage: Azurite (memory), 1 partition, extended sessions, max polling 1000 ms, control batch 32.</p>", html);
    }
}

public class ResultsCsvTests
{
    [Fact]
    public void ToCsv_OneResult_WritesEveryColumn()
    {
        DateTime t0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var settings = new BenchSettings([Scenarios.DfEntity], [10], 1, BenchModes.Single, 5, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 10, 1), t0, t0.AddSeconds(4), [1.0, 2.0, 3.0, 4.0])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", t0, t0, settings, results, ScenarioSummary.Of(results));

        string[] lines = document.ToCsv().TrimEnd('\n').Split('\n');

        Assert.Equal(ResultsDocument.CsvHeader, lines[0]);
        Assert.Equal("df-entity,10,1,4,40,4,10,2.5,4,2.5,2.5,3.7,3.97,4", lines[1]);
    }
}
