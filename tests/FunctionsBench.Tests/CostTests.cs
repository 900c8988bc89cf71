using FunctionsBench.BenchOrchestrator.Csv;
using FunctionsBench.BenchOrchestrator.Cost;

namespace FunctionsBench.Tests;

public class CostTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The repository's price file, as the CLI reads it by default.</summary>
    private static PriceFile RepositoryPrices()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, PriceFile.Folder, PriceFile.DefaultFileName);
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "FunctionsBench.sln")))
            {
                return PriceFile.Load(candidate);
            }
        }

        throw new FileNotFoundException("prices/" + PriceFile.DefaultFileName + " not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The prices the hand computations below use: if the file changes, these fail first and say which.</summary>
    [Fact]
    public void RepositoryPrices_AreThoseTheHandComputationsUse()
    {
        PriceFile prices = RepositoryPrices();
        StorageAccountPrices v1 = prices.Account("v1")!, v2 = prices.Account("v2")!;
        Assert.Equal(0.00036, v1.PerTenThousand["queue.class1"].Value);
        Assert.Equal(0.00036, v1.PerTenThousand["queue.class2"].Value);
        Assert.Equal(0.00036, v1.PerTenThousand["blob.read"].Value);
        Assert.Equal(0.004, v2.PerTenThousand["queue.class1"].Value);
        Assert.Equal(0.004, v2.PerTenThousand["queue.class2"].Value);
        Assert.Equal(0.0044, v2.PerTenThousand["blob.other"].Value);
        Assert.Null(v1.PerTenThousand["table.transaction"].Value);
        Assert.Null(v2.PerTenThousand["table.transaction"].Value);
        FunctionsPlanPrices consumption = prices.Plan(CostModel.Consumption)!, flex = prices.Plan(CostModel.FlexConsumption)!;
        Assert.Equal((0.20, 0.000016, 128.0, 100.0), (consumption.PerMillionExecutions.Value, consumption.PerGbSecond.Value, consumption.MemoryMb.Value, consumption.MinimumMs.Value));
        Assert.Equal((0.40, 0.000026, 2048.0, 0.0), (flex.PerMillionExecutions.Value, flex.PerGbSecond.Value, flex.MemoryMb.Value, flex.MinimumMs.Value));
        Assert.Null(prices.SchedulerPerMillionActions.Value);

        // Every price with a value names its source and date.
        foreach (Price price in prices.Storage.SelectMany(s => s.PerTenThousand.Values).Where(p => p.IsPriced))
        {
            Assert.False(string.IsNullOrEmpty(price.Source));
            Assert.False(string.IsNullOrEmpty(price.Date));
        }
    }

    [Fact]
    public void Unit_DurableCounts_GiveTheHandComputedDollarsPerMillion()
    {
        PriceFile prices = RepositoryPrices();
        var storage = new StorageRequestCount("df-activity", 1000, 1, 10, 14_200, 14.2, new Dictionary<string, double>
        {
            ["queue.receive"] = 3, ["queue.receive.empty"] = 1, ["queue.send"] = 2, ["queue.delete"] = 2, ["table.batch"] = 2, ["table.query"] = 1, ["blob.lease"] = 0.2,
        });
        var executions = new ExecutionCount("df-activity", 1000, 1, new Dictionary<string, ExecutionTally>
        {
            ["orchestrator"] = new(1100, 2.2, 1100, 2.2),
            ["activity"] = new(1000, 0.5, 1000, 0.5),
            ["entity"] = new(10, 0.3, 5, 0.05),
            ["http"] = new(7, 1.0, 0, 0), // not a Durable Functions execution: left out of a durable unit
        });

        UnitCost cost = CostModel.Unit(prices, executions, storage);

        // By hand, per million invocations (x 100 turns "per 10,000" into "per million"):
        // v1 storage: queue class 2 (3 + 1) x 100 x 0.00036 = 0.144; class 1 (2 + 2) x 100 x 0.00036 = 0.144;
        //             leases are v1 reads: 0.2 x 100 x 0.00036 = 0.0072; tables (3 per invocation) not priced. Sum 0.2952.
        // Consumption: (1100 + 1000 + 10) / 1000 = 2.11 executions x $0.20 = 0.422;
        //             billed seconds: 1100 x 0.1 + 1000 x 0.1 + (0.3 - 0.05 + 5 x 0.1) = 210.75 s per 1000 invocations,
        //             0.21075 s x 1e6 x 0.125 GB = 26,343.75 GB-s x 0.000016 = 0.4215. Total 1.1387 -> $1.14, a lower bound.
        CostOption v1Consumption = cost.Options.Single(o => o.Key == "storage-v1+consumption");
        Assert.Equal(1.14, Math.Round(v1Consumption.Dollars, 2));
        Assert.False(v1Consumption.Complete);
        Assert.Equal(["table.transaction (gpv1-lrs)"], v1Consumption.NotPriced);
        Assert.Same(v1Consumption, cost.Headline);

        // v2 storage: class 2 4 x 100 x 0.004 = 1.6; class 1 1.6; leases are "other": 0.2 x 100 x 0.0044 = 0.088. Sum 3.288.
        // Flex: 2.11 x $0.40 = 0.844; (2.2 + 0.5 + 0.3) / 1000 = 0.003 s x 1e6 x 2 GB = 6,000 GB-s x 0.000026 = 0.156. Total 4.288 -> $4.29.
        Assert.Equal(4.29, Math.Round(cost.Options.Single(o => o.Key == "storage-v2+flex").Dollars, 2));

        // v2 + Consumption: 3.288 + 0.422 + 0.4215 = 4.1315 -> $4.13; v1 + Flex: 0.2952 + 0.844 + 0.156 = 1.2952 -> $1.30.
        Assert.Equal(4.13, Math.Round(cost.Options.Single(o => o.Key == "storage-v2+consumption").Dollars, 2));
        Assert.Equal(1.30, Math.Round(cost.Options.Single(o => o.Key == "storage-v1+flex").Dollars, 2));

        // Scheduler: 2.11 actions per invocation, not priced; the Consumption compute alone 0.8435 -> $0.84.
        CostOption scheduler = cost.Options.Single(o => o.Key == "scheduler+consumption");
        Assert.Equal(0.84, Math.Round(scheduler.Dollars, 2));
        Assert.Equal(["Durable Task Scheduler actions"], scheduler.NotPriced);
        Assert.Equal(2.11, cost.SchedulerActionsPerInvocation);
        Assert.Equal(2.11, cost.ExecutionsPerInvocation);
        Assert.Equal(3, cost.StorageTransactionsPerInvocation!["table.transaction"]);
    }

    [Fact]
    public void Unit_StateFunCounts_PriceTheRemoteFunctionsExecutionsOnly()
    {
        PriceFile prices = RepositoryPrices();
        var executions = new ExecutionCount("statefun", 1000, 1, new Dictionary<string, ExecutionTally>
        {
            ["http"] = new(2000, 0.4, 2000, 0.4),
            ["activity"] = new(1, 0.5, 0, 0), // the bench's driver activity: not the remote function
        });

        UnitCost cost = CostModel.Unit(prices, executions, storage: null);

        // 2 executions x $0.20 = 0.40; 2000 x 0.1 s / 1000 = 0.2 s x 1e6 x 0.125 GB = 25,000 GB-s x 0.000016 = 0.40. $0.80, complete.
        Assert.Equal(0.80, Math.Round(cost.Headline.Dollars, 2));
        Assert.True(cost.Headline.Complete);
        Assert.Equal(2, cost.ExecutionsPerInvocation);
        Assert.Null(cost.SchedulerActionsPerInvocation);

        // Flex: 2 x $0.40 = 0.80; 0.4 s / 1000 x 1e6 x 2 GB = 800 GB-s x 0.000026 = 0.0208. $0.82.
        Assert.Equal(0.82, Math.Round(cost.Options.Single(o => o.Key == CostModel.FlexConsumption).Dollars, 2));
    }

    [Fact]
    public void Idle_MeasuredRequestsAndScaleController_GiveTheHandComputedDollarsPerDay()
    {
        PriceFile prices = RepositoryPrices();
        var requests = new Dictionary<string, long> { ["queue.receive.empty"] = 30, ["blob.lease"] = 10 };

        IdleCost idle = IdleCost.Of(prices, seconds: 60, partitions: 4, requests);

        // Worker per day (x 1440): 43,200 class 2 receives, 14,400 leases. v1: 57,600 / 10,000 x 0.00036 = 0.0020736.
        // Scale controller, every 10 s (8,640 a day), 4 control queues + the work-item queue, a peek and a metadata read
        // each, and 3 blob requests: 86,400 class 2, 17,280 blob other (v1 read), 8,640 blob read. v1: 112,320 / 10,000
        // x 0.00036 = 0.00404352.
        IdleAccountCost v1 = idle.Accounts.Single(a => a.Account == "gpv1-lrs");
        Assert.Equal(0.0020736, v1.WorkerDollarsPerDay, 6);
        Assert.Equal(0.00404352, v1.ScaleControllerDollarsPerDay, 6);

        // v2: worker 43,200 / 10,000 x 0.004 + 14,400 / 10,000 x 0.0044 = 0.01728 + 0.006336 = 0.023616; scale controller
        // 86,400 / 10,000 x 0.004 + 17,280 / 10,000 x 0.0044 + 8,640 / 10,000 x 0.0044 = 0.03456 + 0.0076032 + 0.0038016.
        IdleAccountCost v2 = idle.Accounts.Single(a => a.Account == "gpv2-lrs");
        Assert.Equal(0.023616, v2.WorkerDollarsPerDay, 6);
        Assert.Equal(0.0459648, v2.ScaleControllerDollarsPerDay, 6);
        Assert.True(v2.Complete);
    }

    [Fact]
    public void PerUnit_ExecutionsInTheWindow_AreTalliedWithTheirMinimum()
    {
        EventRecord[] events =
        [
            new("df-activity", 2, 1, 0, T0, T0.AddSeconds(1), 1000),
            new("df-activity", 2, 1, 1, T0.AddSeconds(1), T0.AddSeconds(2), 1000),
        ];
        FunctionExecution[] executions =
        [
            new("orchestrator", T0.AddSeconds(-1), 0.01), // before the window
            new("orchestrator", T0, 0.02),
            new("activity", T0.AddSeconds(0.5), 0.25),
            new("orchestrator", T0.AddSeconds(2), 0.03),
            new("orchestrator", T0.AddSeconds(3), 0.01), // after it
        ];

        ExecutionCount count = Assert.Single(FunctionExecutions.PerUnit(executions, events));

        Assert.Equal(new ExecutionTally(2, 0.05, 2, 0.05), count.Of("orchestrator"));
        Assert.Equal(new ExecutionTally(1, 0.25, 0, 0), count.Of("activity"));
        Assert.Equal(1.5, count.PerInvocation);
        Assert.Equal(0.2 + 0.25, count.Of("orchestrator").BilledSeconds(0.1) + count.Of("activity").BilledSeconds(0.1), 9);
        ExecutionCount checkedCount = Assert.Single(FunctionExecutions.WithHistory([count], [T0, T0.AddSeconds(1.5), T0.AddSeconds(5)], events));
        Assert.Equal(2, checkedCount.OrchestratorStartedRows);
    }

    [Fact]
    public void CostCsv_TwoRepetitions_ResultsAndSummaryGetTheCostColumns()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 2, BenchModes.Checkpointed, 5, 2, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0, 3.0]),
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 2), T0, T0.AddSeconds(2), [5.0]),
        ];
        var document = new ResultsDocument("r2", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));
        PriceFile prices = RepositoryPrices();
        ExecutionCount Count(int repetition, long orchestrator) => new(Scenarios.DfActivity, 10, repetition, new Dictionary<string, ExecutionTally>
        {
            ["orchestrator"] = new(orchestrator, 0.01, orchestrator, 0.01),
        });
        var storage = new StorageRequestCount(Scenarios.DfActivity, 10, 1, 1, 20, 2, new Dictionary<string, double> { ["queue.send"] = 2 });
        CostReport cost = CostModel.Of(prices, PriceIdentity.Of(prices, "{}"), [Count(1, 10), Count(2, 20)], [storage]);

        string[] rows = CostCsv.AppendToResults(ResultsCsv.Results(document), document, cost).TrimEnd('\n').Split('\n');
        string[] summary = CostCsv.AppendToSummary(ResultsCsv.Summary(document), document, cost).TrimEnd('\n').Split('\n');

        Assert.EndsWith("," + CostCsv.ResultsColumns, rows[0]);
        Assert.All(rows, r => Assert.Equal(rows[0].Split(',').Length, r.Split(',').Length));
        // Rep 1: 2 queue sends x 100 x $0.00036 = 0.072; 1 execution x $0.20 = 0.2; 10 x 0.1 s / 10 x 1e6 x 0.125 GB x 0.000016 = 0.2. $0.472.
        Assert.EndsWith(",0.472,true," + prices.Id, rows[1]);
        // Rep 2 has no storage count: its Azure Storage figures are lower bounds. 2 x 0.2 + 0.4 = 0.8.
        Assert.EndsWith(",0.8,false," + prices.Id, rows[2]);
        Assert.EndsWith(",meanPerMillionHeadline,perMillionComplete,pricesId", summary[0]);
        Assert.EndsWith(",0.636,false," + prices.Id, summary[1]);
    }

    [Theory]
    [InlineData("{", "is not valid JSON")]
    [InlineData("{\"currency\":\"USD\"}", "(root) has no \"id\"")]
    [InlineData("WRONG_CATEGORY", "unknown category \"queue.class3\"")]
    [InlineData("NO_SOURCE", "has a value but no source and date")]
    [InlineData("NULL_NO_NOTE", "is null (not priced) without a note")]
    [InlineData("NEGATIVE", "must not be negative")]
    public void Parse_BadFile_OneLineErrorNamingIt(string json, string expected)
    {
        string good = File.ReadAllText(RepositoryPrices().Path);
        string text = json switch
        {
            "WRONG_CATEGORY" => good.Replace("\"queue.class1\": {\n          \"value\": 0.004", "\"queue.class3\": {\"value\": 1, \"unit\": \"x\", \"source\": \"s\", \"date\": \"2026-01-01\"},\n        \"queue.class1\": {\n          \"value\": 0.004", StringComparison.Ordinal),
            "NO_SOURCE" => good.Replace("\"value\": 0.20, \"unit\": \"million executions\",\n        \"source\":", "\"value\": 0.20, \"unit\": \"million executions\",\n        \"nosource\":", StringComparison.Ordinal),
            "NULL_NO_NOTE" => good.Replace("\"value\": null, \"unit\": \"million actions\",\n      \"note\":", "\"value\": null, \"unit\": \"million actions\",\n      \"other\":", StringComparison.Ordinal),
            "NEGATIVE" => good.Replace("\"value\": 0.055", "\"value\": -0.055", StringComparison.Ordinal),
            _ => json,
        };
        Assert.NotEqual(good, text);

        PriceFileException e = Assert.Throws<PriceFileException>(() => PriceFile.Parse(text, "p.json"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("price file 'p.json'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
