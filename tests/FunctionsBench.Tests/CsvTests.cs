using FunctionsBench.BenchOrchestrator.Csv;

namespace FunctionsBench.Tests;

/// <summary>results.csv, summary.csv and events.csv: identity columns first, units in the names, values that read back.</summary>
public class CsvTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Results_OneResult_CarriesTheRunsIdentityEfficiencyAndSteps()
    {
        ResultsDocument document = Document();

        string[] lines = ResultsCsv.Results(document).TrimEnd('\n').Split('\n');

        Assert.Equal(ResultsCsv.ResultsHeader, lines[0]);
        Assert.StartsWith(
            "runId,host,storageProvider,mode,parallelism,checkpointEvery,startedAtUtc,azuriteMode,partitionCount,extendedSessions,maxQueuePollingIntervalMs," +
            "controlQueueBatchSize,hostJsonSha256,stateFunLabel,gitCommit,scenario,invocations,", lines[0]);
        Assert.EndsWith(",stepsPerInvocation,efficiency,floorRate,floorUnit,floorSource,floorSliceSeconds", lines[0]);
        // 10 df-entity invocations in 4 s: 2.5 invocations/s x 2 steps / 10 steps/s = 0.5. No storage or environment recorded: empty settings.
        Assert.Equal("r1,embedded,AzureStorage,single,1,5,2026-03-01T12:00:00.000000Z,,,,,,,,,df-entity,10,1,1,4,40,4,10,2.5,4,2.5,2.5,3.7,3.97,4,2,0.5,10,steps/s,run,0", lines[1]);
        Assert.Equal(lines[0].Split(',').Length, lines[1].Split(',').Length);
    }

    [Fact]
    public void Summary_TwoRepetitions_OneRowWithMeansAndInterval()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 2, BenchModes.Checkpointed, 5, 2, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0, 3.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 2), T0, T0.AddSeconds(2), [5.0]),
        ];
        var document = new ResultsDocument("r2", "functions", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));

        string[] lines = ResultsCsv.Summary(document).TrimEnd('\n').Split('\n');

        Assert.Equal(ResultsCsv.SummaryHeader, lines[0]);
        Assert.Equal(2, lines.Length);
        // events/s 40 and 20: mean 30, s = 14.142, CV 0.471, CI 12.70620 x 14.142 / sqrt 2 = 127.062; invocations/s 10 and 5; latency means 2 and 5.
        Assert.EndsWith(",cv,ci95,meanLatencyMs,meanEfficiency", lines[0]);
        Assert.Equal("r2,functions,AzureStorage,checkpointed,2,5,2026-03-01T12:00:00.000000Z,,,,,,,,,df-activity,10,1,2,1.5,30,7.5,0.471,127.062,3.5,", lines[1]);
    }

    [Fact]
    public void Events_WriteThenRead_RoundTripsWithIdentity()
    {
        EventRecord[] events =
        [
            new(Scenarios.DfActivity, 2, 1, 0, T0, T0.AddMilliseconds(12.5), 12.5),
            new(Scenarios.DfActivity, 2, 1, 1, T0.AddSeconds(1), T0.AddSeconds(1).AddMilliseconds(3), 3),
        ];

        string csv = EventsCsv.Write(RunIdentity.Of(Document()), events);

        Assert.Equal(EventsCsv.Header, csv.Split('\n')[0]);
        Assert.Equal("r1,embedded,AzureStorage,single,1,5,2026-03-01T12:00:00.000000Z,,,,,,,,,df-activity,2,1,1,0,2026-03-01T12:00:00.000000Z,2026-03-01T12:00:00.012500Z,12.5,0", csv.Split('\n')[1]);
        Assert.Equal(events, EventsCsv.Read(csv));
    }

    [Fact]
    public void Events_ReadEarlierFormat_ReadsByColumnName()
    {
        const string csv = "scenario,invocations,repetition,sequence,start,end,latencyMs\nstatefun,1,1,0,2026-03-01T12:00:00.000000Z,2026-03-01T12:00:00.000400Z,0.4\n";

        EventRecord e = Assert.Single(EventsCsv.Read(csv));

        Assert.Equal(new EventRecord(Scenarios.StateFun, 1, 1, 0, T0, T0.AddTicks(4000), 0.4), e);
        Assert.Equal(DateTimeKind.Utc, e.Start.Kind);
    }

    [Fact]
    public void Events_BadRow_IsAnErrorNamingItsLine()
    {
        const string csv = "scenario,invocations,repetition,sequence,start,end,latencyMs\nstatefun,1,1,0,2026-03-01T12:00:00Z,2026-03-01T12:00:00Z,0.4\nstatefun,x,1,1,2026-03-01T12:00:00Z,2026-03-01T12:00:00Z,0.4\n";

        FormatException e = Assert.Throws<FormatException>(() => EventsCsv.Read(csv));

        Assert.StartsWith("events CSV row 3:", e.Message);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("crlf\r\nline", "\"crlf\r\nline\"")]
    [InlineData("", "")]
    public void Field_WhatItWrites_RecordsReadsBack(string value, string written)
    {
        Assert.Equal(written, CsvText.Field(value));
        IReadOnlyList<string> record = Assert.Single(CsvText.Records($"x,{CsvText.Field(value)},y\n"));
        Assert.Equal(["x", value, "y"], record);
    }

    [Fact]
    public void Records_QuotedLineBreaksAndCrLfRows_ReadAsTheirRecords()
    {
        IReadOnlyList<IReadOnlyList<string>> records = CsvText.Records("a,b\r\n\"1\n2\",\"\"\r\n\n3,4");

        Assert.Equal([["a", "b"], ["1\n2", ""], ["3", "4"]], records.Select(r => r.ToArray()).ToArray());
    }

    [Theory]
    [InlineData("a,\"open\nb", "CSV line 1: a quoted field is not closed")]
    [InlineData("a\n\"x\"y,b", "CSV line 2: text after a field's closing quote")]
    public void Records_MalformedQuotes_AreAnErrorNamingTheLine(string csv, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => CsvText.Records(csv)).Message);

    [Fact]
    public void Events_TextWithCommasQuotesAndLineBreaks_RoundTrips()
    {
        EventRecord[] events =
        [
            new("odd,\"scenario\"\nname", 2, 1, 0, T0, T0.AddMilliseconds(12.5), 12.5),
            new("crlf\r\nname", 2, 1, 1, T0.AddSeconds(1), T0.AddSeconds(1).AddMilliseconds(3), 3),
        ];
        RunIdentity identity = RunIdentity.Of(Document()) with { RunId = "run\n\"7\"", Host = "a,b" };

        string csv = EventsCsv.Write(identity, events);

        Assert.Equal(events, EventsCsv.Read(csv));
        IReadOnlyList<IReadOnlyList<string>> rows = CsvText.Records(csv);
        Assert.Equal(3, rows.Count);
        Assert.All(rows.Skip(1), r => Assert.Equal(["run\n\"7\"", "a,b"], r.Take(2)));
    }

    private static ResultsDocument Document()
    {
        var settings = new BenchSettings([Scenarios.DfEntity], [10], 1, BenchModes.Single, 5, 1, "http://127.0.0.1/", "1", "Joe");
        var floors = new BenchOrchestrator.Floors.BenchFloors(
            new BenchOrchestrator.Floors.StorageFloor(10, new BenchOrchestrator.Floors.FloorMs(100, 100, 100), 30, 0, 0, 3, 8, "Azurite", "http://q"), null, null, "none");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 10, 1), T0, T0.AddSeconds(4), [1.0, 2.0, 3.0, 4.0], floors)];
        return new ResultsDocument("r1", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), floors);
    }
}
