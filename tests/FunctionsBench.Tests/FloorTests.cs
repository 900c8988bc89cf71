using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.Report;
using FunctionsBench.Http;
using FunctionsBench.StateFun;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsBench.Tests;

/// <summary>The storage floor's calibration against real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class StorageFloorTests
{
    [Fact]
    public async Task Measure_Azurite_GivesPositiveFiniteStepsAndLeavesNoScratchBehind()
    {
        string scratchId = Guid.NewGuid().ToString("N")[..16];
        var probe = new StorageFloorProbe(AzuriteFixture.ConnectionString, scratchId);

        StorageFloor floor = await probe.MeasureAsync(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.True(floor.Steps > 0, $"{floor.Steps} steps");
        Assert.True(double.IsFinite(floor.StepsPerSecond) && floor.StepsPerSecond > 0, $"{floor.StepsPerSecond} steps/s");
        Assert.All([floor.MsPerStep.Mean, floor.MsPerStep.P50, floor.MsPerStep.P99], ms => Assert.True(double.IsFinite(ms) && ms > 0, $"{ms} ms"));
        Assert.True(floor.MsPerStep.P50 <= floor.MsPerStep.P99);
        Assert.InRange(floor.Seconds, 1, 10);
        Assert.Equal(floor.Steps / floor.Seconds, floor.StepsPerSecond, 6);
        Assert.Equal(StorageFloorProbe.OperationsPerStep, floor.OperationsPerStep);
        Assert.Equal("Azurite", floor.Connection);
        Assert.DoesNotContain("AccountKey", floor.QueueEndpoint, StringComparison.OrdinalIgnoreCase);

        Assert.False(await probe.AnyScratchExistsAsync(CancellationToken.None));
        var queues = new QueueServiceClient(AzuriteFixture.ConnectionString);
        Assert.Equal(0, await CountAsync(queues.GetQueuesAsync(prefix: $"{StorageFloorProbe.ScratchPrefix}-{scratchId}")));
        var tables = new TableServiceClient(AzuriteFixture.ConnectionString);
        Assert.Equal(0, await CountAsync(tables.QueryAsync(t => t.Name == probe.TableName)));
    }

    [Fact]
    public async Task Measure_Cancelled_StillDeletesTheScratchQueuesAndTable()
    {
        var probe = new StorageFloorProbe(AzuriteFixture.ConnectionString);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(0.5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.MeasureAsync(TimeSpan.Zero, TimeSpan.FromSeconds(30), cancel.Token));

        Assert.False(await probe.AnyScratchExistsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MeasureFloors_AzuriteConfigured_RecordsTheStorageFloor()
    {
        MeasureFloors activity = Activity(new() { [FloorOptions.StorageConnectionSetting] = AzuriteFixture.ConnectionString });

        BenchFloors floors = await activity.ExecuteAsync(new MeasureFloorsInput(NoopUrl: null, "u1", "Joe"), CancellationToken.None);

        Assert.Null(floors.StorageError);
        Assert.NotNull(floors.Storage);
        Assert.True(floors.Storage.StepsPerSecond > 0);
        Assert.Null(floors.Http);
        Assert.Contains("no no-op endpoint", floors.HttpError);
    }

    // Counted by hand: System.Linq.Async (which the storage SDK brings) and .NET 10 both name an AsyncEnumerable.ToListAsync.
    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> items)
    {
        int count = 0;
        await foreach (T _ in items)
        {
            count++;
        }

        return count;
    }

    internal static MeasureFloors Activity(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Bench:Floors:StorageWarmupSeconds", "0.2");
        settings.TryAdd("Bench:Floors:StorageSeconds", "1");
        settings.TryAdd("Bench:Floors:HttpWarmupSeconds", "0.1");
        settings.TryAdd("Bench:Floors:HttpSeconds", "0.5");
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        ServiceProvider services = new ServiceCollection().AddBench(configuration).BuildServiceProvider();
        return new MeasureFloors(
            services.GetRequiredService<IOptions<FloorOptions>>(), services.GetRequiredService<StateFunHttpClient>(), NullLogger<MeasureFloors>.Instance);
    }
}

/// <summary>Floors that cannot be measured, the HTTP floor, the no-op endpoint and the efficiency arithmetic.</summary>
public sealed class FloorTests
{
    /// <summary>The app's StateFun endpoint and the no-op beside it, on Kestrel at 127.0.0.1, as both hosts map them.</summary>
    internal static Task<LoopbackServer> StartAppRoutesAsync() => LoopbackServer.StartAsync(app =>
    {
        RequestReplyHandler handler = Greeter.CreateHandler();
        app.MapPost("/api/statefun/{**path}", context => StateFunHttpEndpoint.HandleAsync(context, handler));
        app.MapPost(HostUrls.NoopPath, BenchHttpApi.NoopAsync);
    });

    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task MeasureFloors_NoStorageConnection_RecordsTheReasonInsteadOfFailing()
    {
        MeasureFloors activity = StorageFloorTests.Activity([]);

        BenchFloors floors = await activity.ExecuteAsync(new MeasureFloorsInput("http://127.0.0.1:1/", "u1", "Joe"), CancellationToken.None);

        Assert.Null(floors.Storage);
        Assert.Contains(FloorOptions.StorageConnectionSetting, floors.StorageError);
        Assert.Null(floors.Http);
        Assert.False(string.IsNullOrWhiteSpace(floors.HttpError));
    }

    [Fact]
    public async Task MeasureFloors_UnreachableStorage_RecordsTheFailureWithoutSecrets()
    {
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        string connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1";
        MeasureFloors activity = StorageFloorTests.Activity(new() { [FloorOptions.StorageConnectionSetting] = connection });

        BenchFloors floors = await activity.ExecuteAsync(new MeasureFloorsInput("http://127.0.0.1:1/", "u1", "Joe"), CancellationToken.None);

        Assert.Null(floors.Storage);
        Assert.False(string.IsNullOrWhiteSpace(floors.StorageError));
        Assert.DoesNotContain(key, floors.StorageError);
    }

    [Fact]
    public async Task MeasureFloors_LoopbackHost_MeasuresTheHttpFloorOnItsNoopWithoutTheFunctionKey()
    {
        await using LoopbackServer app = await StartAppRoutesAsync();
        MeasureFloors activity = StorageFloorTests.Activity([]);

        BenchFloors floors = await activity.ExecuteAsync(new MeasureFloorsInput(new Uri(app.BaseAddress, HostUrls.NoopPath).ToString(), "u1", "Joe", FunctionKey: "s3cret"), CancellationToken.None);

        Assert.Null(floors.HttpError);
        HttpFloor http = Assert.IsType<HttpFloor>(floors.Http);
        Assert.True(http.Requests > 0);
        Assert.True(double.IsFinite(http.RequestsPerSecond) && http.RequestsPerSecond > 0);
        Assert.All([http.Ms.Mean, http.Ms.P50, http.Ms.P99], ms => Assert.True(double.IsFinite(ms) && ms > 0));
        Assert.True(http.Ms.P50 <= http.Ms.P99);
        Assert.Equal(app.BaseAddress.ToString().TrimEnd('/') + "/api/noop", http.Url);
        Assert.Equal(StateFunDriver.FloorBody("u1", "Joe").Length, http.BodyBytes);
    }

    [Fact]
    public async Task MeasureFloors_InvalidFloorSettings_RecordsWhichSettingInsteadOfFailing()
    {
        MeasureFloors activity = StorageFloorTests.Activity(new() { ["Bench:Floors:StorageSeconds"] = "0", ["Bench:Floors:HttpWarmupSeconds"] = "-1" });

        BenchFloors floors = await activity.ExecuteAsync(new MeasureFloorsInput(NoopUrl: null, "u1", "Joe"), CancellationToken.None);

        Assert.Null(floors.Storage);
        Assert.Contains("Bench:Floors:StorageSeconds is 0", floors.StorageError);
        Assert.Contains("Bench:Floors:HttpWarmupSeconds is -1", floors.HttpError);
    }

    [Fact]
    public async Task HttpFloor_EndpointAnswersAnError_Throws()
    {
        await using LoopbackServer app = await StartAppRoutesAsync();
        using var client = new HttpClient();

        // The StateFun endpoint rejects a body that is not a ToFunction: a floor must never be measured against errors.
        await Assert.ThrowsAsync<HttpRequestException>(() => HttpFloorProbe.MeasureAsync(
            client, new Uri(app.BaseAddress, "/api/statefun/user"), functionKey: null, [1, 2, 3], TimeSpan.Zero, TimeSpan.FromSeconds(0.2), CancellationToken.None));
    }

    [Fact]
    public void FloorBody_IsAToFunctionTheGreeterAccepts()
    {
        byte[] body = StateFunDriver.FloorBody("1", "Joe");

        var request = StateFun.Protocol.ToFunction.Parser.ParseFrom(body);
        Assert.Equal("user", request.Invocation.Target.Type);
        Assert.Equal(2, request.Invocation.State.Count);
        Assert.InRange(body.Length, 60, 400);
    }

    [Fact]
    public async Task Noop_AnyBody_Answers200EmptyOctetStream()
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Body = new MemoryStream(new byte[10_000]);
        http.Response.Body = new MemoryStream();

        await BenchHttpApi.NoopAsync(http);

        Assert.Equal(200, http.Response.StatusCode);
        Assert.Equal("application/octet-stream", http.Response.ContentType);
        Assert.Equal(0, http.Response.Body.Length);
        Assert.Equal(http.Request.Body.Length, http.Request.Body.Position);
    }

    [Theory]
    [InlineData("http", "127.0.0.1:7071", "", "http://127.0.0.1:7071/api/noop")]
    [InlineData("https", "app.example", "/base", "https://app.example/base/api/noop")]
    public void NoopUrlOf_Request_IsTheNoopOfTheHostThatReceivedIt(string scheme, string host, string pathBase, string expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = scheme;
        http.Request.Host = new HostString(host);
        http.Request.PathBase = pathBase;

        Assert.Equal(expected, HostUrls.NoopUrlOf(http.Request));
    }

    [Theory]
    [InlineData(Scenarios.DfActivity, 1)]
    [InlineData(Scenarios.DfSubOrchestration, 3)]
    [InlineData(Scenarios.DfEntity, 2)]
    [InlineData(Scenarios.StateFun, 2)]
    public void StepsPerInvocation_Scenario_IsTheDocumentedCount(string scenario, int steps)
        => Assert.Equal(steps, Scenarios.Get(scenario).StepsPerInvocation);

    [Theory]
    [InlineData(Scenarios.DfActivity, 12.5, 0.8)]        // 1000 / 12.5 s = 80 inv/s x 1 / 100 steps/s
    [InlineData(Scenarios.DfSubOrchestration, 50, 0.6)]  // 20 inv/s x 3 / 100
    [InlineData(Scenarios.DfEntity, 1000 / 30.0, 0.6)]   // 30 inv/s x 2 / 100
    [InlineData(Scenarios.StateFun, 1000 / 700.0, 0.7)]  // 700 inv/s x 2 requests / 2000 requests/s
    public void From_MeasuredFloors_EfficiencyIsRateTimesStepsOverFloor(string scenario, double seconds, double expected)
    {
        ScenarioResult result = ScenarioResult.From(new BenchUnit(scenario, 1000, 1), T0, T0.AddSeconds(seconds), [1.0], Floors(100, 2000));

        Assert.Equal(expected, result.Efficiency!.Value, 6);   // the end time is rounded to 100 ns ticks
        Assert.Equal(Scenarios.Get(scenario).StepsPerInvocation, result.StepsPerInvocation);
    }

    [Fact]
    public void From_FloorNotMeasured_EfficiencyIsNull()
    {
        var floors = new BenchFloors(null, "no storage", Floors(100, 2000).Http, null);

        Assert.Null(ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 10, 1), T0, T0.AddSeconds(1), [1.0], floors).Efficiency);
        Assert.Equal(1.0, ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(1), [1.0], floors).Efficiency!.Value, 6);
        Assert.Null(ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 10, 1), T0, T0.AddSeconds(1), [1.0]).Efficiency);
    }

    [Fact]
    public void From_FloorInTurns_TakesItsSlicesOutOfTheSpanAndIsTheReference()
    {
        // 10 s from the first login to the last, 4 s of it floor slices: 1000 logins in 6 s against 3000 requests in 4 s.
        var inTurns = new HttpFloorInTurns(3000, 4);

        ScenarioResult result = ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(10), [1.0], Floors(100, 2000), floorInTurns: inTurns);

        Assert.Equal(6, result.ExecutionSeconds, 6);
        Assert.Equal(1000 / 6.0, result.InvocationsPerSecond, 6);
        Assert.Equal((750.0, ScenarioResult.TurnsFloor), (result.FloorRate!.Value, result.FloorSource));
        Assert.Equal(2 * (1000 / 6.0) / 750, result.Efficiency!.Value, 6);
    }

    [Fact]
    public void From_FloorInTurnsThatFailed_StillTakesItsTimeOutButFallsBackToTheRunFloor()
    {
        var failed = new HttpFloorInTurns(500, 2, "HttpRequestException: connection refused");

        ScenarioResult result = ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(3), [1.0], Floors(100, 2000), floorInTurns: failed);

        Assert.Null(failed.RequestsPerSecond);
        Assert.Equal(1, result.ExecutionSeconds, 6);
        Assert.Equal((2000.0, ScenarioResult.RunFloor), (result.FloorRate!.Value, result.FloorSource));
        Assert.Equal(1.0, result.Efficiency!.Value, 6);
    }

    [Fact]
    public void Merge_TwoSegmentsFloors_AddsRequestsAndSecondsAndKeepsAnError()
    {
        var first = new HttpFloorInTurns(2000, 1);
        var second = new HttpFloorInTurns(1000, 1, "IOException: reset");

        Assert.Same(first, HttpFloorInTurns.Merge(first, null));
        Assert.Same(first, HttpFloorInTurns.Merge(null, first));
        Assert.Equal(1500, HttpFloorInTurns.Merge(first, first with { Requests = 1000 })!.RequestsPerSecond);
        Assert.Equal(new HttpFloorInTurns(3000, 2, "IOException: reset"), HttpFloorInTurns.Merge(first, second));
        Assert.Null(HttpFloorInTurns.Merge(first, second)!.RequestsPerSecond);
    }

    [Fact]
    public void Summary_TwoRepetitions_MeanEfficiencyIsTheirMean_AndNullWhenOneIsMissing()
    {
        BenchFloors floors = Floors(100, 2000);
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(12.5), [1.0], floors),  // 0.8
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 2), T0, T0.AddSeconds(25), [1.0], floors),    // 0.4
            ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 1000, 1), T0, T0.AddSeconds(20), [1.0], floors),
            ScenarioResult.From(new BenchUnit(Scenarios.DfEntity, 1000, 2), T0, T0.AddSeconds(20), [1.0]),
        ];

        IReadOnlyList<ScenarioSummary> summary = ScenarioSummary.Of(results);

        Assert.Equal(0.6, summary[0].MeanEfficiency!.Value, 9);
        Assert.Null(summary[1].MeanEfficiency);
    }

    [Fact]
    public void ResultsDocument_Json_CarriesFloorsAndEfficiencyInCamelCaseAndRoundTrips()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        BenchFloors floors = Floors(100, 2000) with { StorageError = null };
        ScenarioResult[] results = [ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(12.5), [1.0], floors)];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), floors);

        string json = JsonSerializer.Serialize(document, BenchJson.Options);
        using JsonDocument parsed = JsonDocument.Parse(json);
        JsonElement root = parsed.RootElement;

        JsonElement storage = root.GetProperty("floors").GetProperty("storage");
        Assert.Equal(100, storage.GetProperty("stepsPerSecond").GetDouble());
        Assert.Equal(10, storage.GetProperty("msPerStep").GetProperty("mean").GetDouble());
        Assert.Equal(9, storage.GetProperty("msPerStep").GetProperty("p50").GetDouble());
        Assert.Equal(30, storage.GetProperty("msPerStep").GetProperty("p99").GetDouble());
        Assert.Equal(300, storage.GetProperty("steps").GetInt32());
        Assert.Equal("Azurite", storage.GetProperty("connection").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("floors").GetProperty("storageError").ValueKind);
        JsonElement http = root.GetProperty("floors").GetProperty("http");
        Assert.Equal(2000, http.GetProperty("requestsPerSecond").GetDouble());
        Assert.Equal(0.5, http.GetProperty("ms").GetProperty("mean").GetDouble());
        Assert.Equal("http://127.0.0.1:7071/api/noop", http.GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("floors").GetProperty("httpError").ValueKind);
        JsonElement result = root.GetProperty("results")[0];
        Assert.Equal(1, result.GetProperty("stepsPerInvocation").GetInt32());
        Assert.Equal(0.8, result.GetProperty("efficiency").GetDouble(), 9);
        Assert.Equal(0.8, root.GetProperty("summary")[0].GetProperty("meanEfficiency").GetDouble(), 9);

        ResultsDocument back = JsonSerializer.Deserialize<ResultsDocument>(json, BenchJson.Options)!;
        Assert.Equal(floors, back.Floors);
        Assert.Equal(results[0].Efficiency, back.Results[0].Efficiency);
    }

    [Fact]
    public void ResultsDocument_UnmeasuredFloors_SerializeNullsWithReasons()
    {
        var settings = new BenchSettings([Scenarios.DfActivity], [10], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, [], [], BenchFloors.Unmeasured("why"));

        JsonElement floors = JsonDocument.Parse(JsonSerializer.Serialize(document, BenchJson.Options)).RootElement.GetProperty("floors");

        Assert.Equal(JsonValueKind.Null, floors.GetProperty("storage").ValueKind);
        Assert.Equal("why", floors.GetProperty("storageError").GetString());
        Assert.Equal(JsonValueKind.Null, floors.GetProperty("http").ValueKind);
        Assert.Equal("why", floors.GetProperty("httpError").GetString());
    }

    [Fact]
    public void Report_WithFloors_ShowsFloorsEfficiencyAndWhereTheRemainingTimeGoes()
    {
        var settings = new BenchSettings([Scenarios.DfActivity, Scenarios.StateFun], [1000], 1, BenchModes.Checkpointed, 100, 1, "http://127.0.0.1/", "1", "Joe");
        BenchFloors floors = new(null, "no storage <connection>", Floors(100, 2000).Http, null);
        ScenarioResult[] results =
        [
            ScenarioResult.From(new BenchUnit(Scenarios.DfActivity, 1000, 1), T0, T0.AddSeconds(12.5), [1.0], floors),
            ScenarioResult.From(new BenchUnit(Scenarios.StateFun, 1000, 1), T0, T0.AddSeconds(1000 / 700.0), [1.0], floors),
        ];
        var document = new ResultsDocument("r", "embedded", "AzureStorage", T0, T0, settings, results, ScenarioSummary.Of(results), floors);

        string html = HtmlReport.Build(document, inspection: null, []);

        Assert.Contains("<h2>Floors</h2>", html);
        Assert.Contains("not measured: no storage &lt;connection&gt;", html);
        Assert.Contains("2000.0 requests/s", html);
        Assert.Contains("<td>2</td><td>0.70</td><td>2,000.0</td><td>run</td></tr>", html);
        Assert.Contains("statefun at N=1000 took 0.714 ms per HTTP request against the run&#39;s start floor of 0.5 ms (2,000.0 per second, as in &#39;Every result&#39;), efficiency 0.70; the remaining 0.214 ms (30%)", html);
        Assert.DoesNotContain("df-activity at N=1000 took", html);
    }

    private static BenchFloors Floors(double stepsPerSecond, double requestsPerSecond) => new(
        new StorageFloor(stepsPerSecond, new FloorMs(10, 9, 30), 300, 100, 1, 3, StorageFloorProbe.OperationsPerStep, "Azurite", "http://127.0.0.1:10001/devstoreaccount1"),
        null,
        new HttpFloor(requestsPerSecond, new FloorMs(0.5, 0.45, 1.5), 4000, 100, 0.5, 2, 120, "http://127.0.0.1:7071/api/noop"),
        null);
}
