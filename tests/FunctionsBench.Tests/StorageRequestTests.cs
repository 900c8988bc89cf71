using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Tests;

public class StorageRequestTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("queue", "GET", "http://127.0.0.1:10001/devstoreaccount1/hub-control-00/messages?numofmessages=32&visibilitytimeout=30", "queue.receive")]
    [InlineData("queue", "GET", "http://127.0.0.1:10001/devstoreaccount1/hub-control-00/messages?peekonly=true", "queue.other")]
    [InlineData("queue", "POST", "http://127.0.0.1:10001/devstoreaccount1/hub-workitems/messages", "queue.send")]
    [InlineData("queue", "DELETE", "http://127.0.0.1:10001/devstoreaccount1/hub-workitems/messages/6f1c?popreceipt=AAA", "queue.delete")]
    [InlineData("queue", "PUT", "http://127.0.0.1:10001/devstoreaccount1/hub-workitems/messages/6f1c?popreceipt=AAA&visibilitytimeout=30", "queue.update")]
    [InlineData("queue", "GET", "http://127.0.0.1:10001/devstoreaccount1/hub-workitems?comp=metadata", "queue.other")]
    [InlineData("table", "POST", "http://127.0.0.1:10002/devstoreaccount1/$batch", "table.batch")]
    [InlineData("table", "PUT", "http://127.0.0.1:10002/devstoreaccount1/HubInstances(PartitionKey='a',RowKey='')", "table.write")]
    [InlineData("table", "PATCH", "http://127.0.0.1:10002/devstoreaccount1/HubInstances(PartitionKey='a',RowKey='')", "table.write")]
    [InlineData("table", "POST", "http://127.0.0.1:10002/devstoreaccount1/HubHistory", "table.write")]
    [InlineData("table", "GET", "http://127.0.0.1:10002/devstoreaccount1/HubHistory()?$filter=PartitionKey%20eq%20'a'", "table.query")]
    [InlineData("table", "PUT", "http://127.0.0.1:10002/devstoreaccount1/Tables", "table.other")]
    [InlineData("blob", "PUT", "http://127.0.0.1:10000/devstoreaccount1/hub-leases/default/hub-control-00?comp=lease", "blob.lease")]
    [InlineData("blob", "GET", "http://127.0.0.1:10000/devstoreaccount1/hub-largemessages/x.json.gz", "blob.read")]
    [InlineData("blob", "PUT", "http://127.0.0.1:10000/devstoreaccount1/hub-largemessages/x.json.gz", "blob.write")]
    [InlineData("blob", "HEAD", "http://127.0.0.1:10000/devstoreaccount1/hub-leases/taskhub.json", "blob.other")]
    [InlineData("blob", "GET", "http://127.0.0.1:10000/devstoreaccount1/hub-leases?restype=container&comp=list", "blob.other")]
    public void Classify_RestShapes_NameTheOperation(string service, string method, string uri, string operation)
    {
        Assert.Equal(operation, StorageOperations.Classify(service, method, new Uri(uri)));
        Assert.Contains(operation, StorageOperations.All);
    }

    [Fact]
    public void Classify_UnknownService_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StorageOperations.Classify("file", "GET", new Uri("http://127.0.0.1/")));
    }

    [Fact]
    public void PerUnit_CountsOnlyRequestsInsideEachUnitsWindow()
    {
        EventRecord[] events =
        [
            new(Scenarios.DfActivity, 2, 1, 0, T0, T0.AddSeconds(1), 1000),
            new(Scenarios.DfActivity, 2, 1, 1, T0.AddSeconds(1), T0.AddSeconds(2), 1000),
            new(Scenarios.DfEntity, 2, 1, 0, T0.AddSeconds(10), T0.AddSeconds(11), 1000),
            new(Scenarios.DfEntity, 2, 1, 1, T0.AddSeconds(11), T0.AddSeconds(12), 1000),
        ];
        (DateTime, string)[] requests =
        [
            (T0.AddSeconds(-1), "queue.receive"), // before the first unit
            (T0.AddSeconds(1.5), "queue.send"),
            (T0, "queue.receive"), // on the window's start: inside
            (T0.AddSeconds(2), "table.batch"), // on the window's end: inside
            (T0.AddSeconds(0.5), "queue.receive"),
            (T0.AddSeconds(5), "blob.lease"), // between units
            (T0.AddSeconds(11), "table.write"),
        ];

        IReadOnlyList<StorageRequestCount> counts = StorageOperations.PerUnit(requests, events);

        Assert.Equal(2, counts.Count);
        StorageRequestCount activity = counts.Single(c => c.Scenario == Scenarios.DfActivity);
        Assert.Equal((4L, 2.0, 2.0), (activity.Requests, activity.PerInvocation, activity.Seconds));
        Assert.Equal(["queue.receive", "queue.send", "table.batch"], activity.ByOperation.Keys);
        Assert.Equal([1.0, 0.5, 0.5], activity.ByOperation.Values);
        StorageRequestCount entity = counts.Single(c => c.Scenario == Scenarios.DfEntity);
        Assert.Equal((1L, 0.5), (entity.Requests, entity.PerInvocation));
    }

    [Fact]
    public void PerUnit_NoRequests_CountsZero()
    {
        EventRecord[] events = [new(Scenarios.DfActivity, 1, 1, 0, T0, T0.AddSeconds(1), 1000)];

        StorageRequestCount count = Assert.Single(StorageOperations.PerUnit([], events));

        Assert.Equal(0, count.Requests);
        Assert.Empty(count.ByOperation);
    }

    [Fact]
    public void Report_WithCountedRequests_SaysWhatTheCountAloneAllowsAndShowsTheTable()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        var floors = new BenchFloors(
            new StorageFloor(100, new FloorMs(10, 9, 30), 300, 100, 1, 3, StorageFloorProbe.OperationsPerStep, "Azurite", "http://127.0.0.1:10001/devstoreaccount1"), null, null, "no HTTP floor");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(12.5), [1.0], floors)];
        var counted = new StorageRequestCount(Scenarios.DfActivity, 1000, 1, 12.5, 10_000, 10,
            new Dictionary<string, double> { ["queue.receive"] = 3.5, ["queue.send"] = 2, ["queue.delete"] = 2, ["table.batch"] = 1.5, ["table.write"] = 1 });
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), floors);

        string html = HtmlReport.Build(document, new Inspection("r", StorageRequests: [counted]), []);

        Assert.Contains("Counted: 10.0 storage requests per invocation where the floor has 8 (most: queue.receive 3.5, queue.send 2.0, queue.delete 2.0); requests differ in cost", html);
        Assert.Contains("<h2>Storage requests per invocation</h2>", html);
        Assert.Contains("<tr><td>df-activity</td><td>1000</td><td>1</td><td>10.00</td><td><span class=\"text\">queue.receive 3.50, queue.send 2.00, queue.delete 2.00, table.batch 1.50, table.write 1.00</span></td></tr>", html);
    }

    [Fact]
    public void Report_WithoutCountedRequests_HasNoRequestsSection()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 1, BenchModes.Checkpointed, 5, 1, "http://127.0.0.1/", "1", "Joe");
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0])];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results));

        Assert.DoesNotContain("Storage requests per invocation", HtmlReport.Build(document, new Inspection("r"), []));
    }
}
