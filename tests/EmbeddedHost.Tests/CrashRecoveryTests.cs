using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Embedded.Run;
using Xunit.Abstractions;

namespace FunctionsBench.Embedded.Tests;

/// <summary>
/// Crash recovery of <c>serve</c>: a benchmark runs in a child process that is killed with SIGKILL at chosen
/// points; <c>serve</c> is started again on the same task hub and port, the run resumes and completes, and every
/// (scenario, N, repetition) has exactly the sequences 0..N-1, each once, with <c>recorded</c> = N.
/// </summary>
/// <remarks>
/// Recovery waits for the dead worker's partition lease and for the messages it had dequeued to become visible again
/// (host.json's queue visibility timeouts, 1 minute; with the provider's default of 5 minutes a restart sat idle that
/// long, which <see cref="MaxRecovery"/> would catch).
/// </remarks>
[Collection(AzuriteCollection.Name)]
[Trait(TestLane.Trait, TestLane.Full)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Invocations = 20;
    private const int Repetitions = 2;
    private static readonly string[] AllScenarios = [.. Scenarios.Defaults];

    /// <summary>The longest a restarted host may take to commit its first step (message visibility is 60 s, the lease shorter).</summary>
    private static readonly TimeSpan MaxRecovery = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Floors long enough (about 2 s) to be killed in, short enough for a test.</summary>
    private static readonly IReadOnlyDictionary<string, string> ServeEnvironment = new Dictionary<string, string>
    {
        ["Bench__Floors__StorageWarmupSeconds"] = "0",
        ["Bench__Floors__StorageSeconds"] = "1",
        ["Bench__Floors__HttpWarmupSeconds"] = "0",
        ["Bench__Floors__HttpSeconds"] = "1",
        ["Bench__Floors__JitQuietSeconds"] = "0.5",
    };

    [Fact]
    public async Task Serve_KilledDuringFloorsAndDuringEntityUnit_CheckpointedRunResumesWithEveryRecordOnce()
        => await this.RunWithKillsAsync("checkpointed", KillPoint.DuringFloors, KillPoint.InUnit(3, "df-entity"));

    [Fact]
    public async Task Serve_KilledDuringSubOrchestrationAndEntityUnits_SingleRunResumesWithEveryRecordOnce()
        => await this.RunWithKillsAsync("single", KillPoint.InUnit(2, "df-suborchestration"), KillPoint.InUnit(7, "df-entity"));

    private async Task RunWithKillsAsync(string mode, params KillPoint[] kills)
    {
        var clock = Stopwatch.StartNew();
        string connection = AzuriteFixture.ConnectionString;
        string hub = EmbeddedHostFixture.NewTaskHubName("crash");
        int port = FreePorts.Pick();
        using var timeout = new CancellationTokenSource(TestTimeout);
        CancellationToken cancellationToken = timeout.Token;
        var log = new List<string>();
        ServeProcess? serve = null;
        HttpClient? http = null;
        try
        {
            (serve, http) = await StartServeAsync(port, hub, connection, cancellationToken);
            var request = new { scenarios = AllScenarios, invocations = new[] { Invocations }, repetitions = Repetitions, mode, checkpointEvery = 5 };
            using HttpResponseMessage started = await HttpClientJsonExtensions.PostAsJsonAsync(http, "api/bench", request, cancellationToken);
            Assert.True(started.IsSuccessStatusCode, $"POST /api/bench: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync(cancellationToken)}");
            string id = (await started.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;

            foreach (KillPoint kill in kills)
            {
                RunStatus before = await WaitForAsync(http, id, kill.IsReached, $"kill point '{kill.Name}'", cancellationToken);
                Assert.True(before.IsRunning, $"run {id} ended {before.RuntimeStatus} before kill point '{kill.Name}'; log: {string.Join("; ", log)}");
                var killedAt = Stopwatch.StartNew();
                serve.Kill();
                http.Dispose();
                serve.Dispose();
                (serve, http) = await StartServeAsync(port, hub, connection, cancellationToken);
                RunStatus afterKill = await ReadStatusAsync(http, id, cancellationToken);
                TimeSpan restarted = killedAt.Elapsed;
                RunStatus resumed = await WaitForAsync(
                    http, id, s => s.Step != afterKill.Step || !s.IsRunning, "the restarted host's first step", cancellationToken);
                TimeSpan recovery = killedAt.Elapsed;
                string line = $"{clock.Elapsed.TotalSeconds:0.0} s: killed at '{kill.Name}' ({before.Describe()}); committed state then: {afterKill.Describe()}; " +
                    $"restarted in {restarted.TotalSeconds:0.0} s; first step after {recovery.TotalSeconds:0.0} s ({resumed.Describe()})";
                log.Add(line);
                output.WriteLine(line);
                Assert.True(recovery < MaxRecovery, $"recovery took {recovery.TotalSeconds:0} s (at most {MaxRecovery.TotalSeconds} s expected): {line}");
            }

            RunStatus final = await WaitForAsync(http, id, s => !s.IsRunning, "completion", cancellationToken);
            output.WriteLine($"{final.RuntimeStatus} at {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.True(final.RuntimeStatus == "Completed", $"run {id} ended {final.RuntimeStatus}: {final.Output}; log: {string.Join("; ", log)}\nserve output:\n{serve.Output}");
            await AssertEveryRecordOnceAsync(http, id, cancellationToken);
            output.WriteLine($"every record checked at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"crash recovery test did not finish in {TestTimeout.TotalMinutes} minutes; log: {string.Join("; ", log)}\nserve output:\n{serve?.Output}");
        }
        finally
        {
            http?.Dispose();
            serve?.Dispose();
            await DeleteTaskHubAsync(connection, hub);
            output.WriteLine($"task hub {hub} deleted at {clock.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private static async Task<(ServeProcess Serve, HttpClient Http)> StartServeAsync(int port, string hub, string connection, CancellationToken cancellationToken)
    {
        ServeProcess serve = await ServeProcess.StartAsync(port, hub, connection, ServeEnvironment, cancellationToken);
        return (serve, new HttpClient { BaseAddress = serve.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
    }

    private static async Task AssertEveryRecordOnceAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        var expectedUnits = AllScenarios.SelectMany(s => Enumerable.Range(1, Repetitions).Select(r => (Scenario: s, N: Invocations, Rep: r))).ToHashSet();

        JsonElement document = await http.GetFromJsonAsync<JsonElement>($"api/bench/{id}", cancellationToken);
        var results = document.GetProperty("results").EnumerateArray()
            .Select(r => (Scenario: r.GetProperty("scenario").GetString()!, N: r.GetProperty("invocations").GetInt32(), Rep: r.GetProperty("repetition").GetInt32(), Recorded: r.GetProperty("recorded").GetInt32()))
            .ToList();
        Assert.Equal(expectedUnits.Count, results.Count);
        Assert.Equal(expectedUnits, results.Select(r => (r.Scenario, r.N, r.Rep)).ToHashSet());
        Assert.All(results, r => Assert.True(r.Recorded == r.N, $"{r.Scenario}/{r.N}/{r.Rep}: recorded {r.Recorded}"));

        JsonElement events = await http.GetFromJsonAsync<JsonElement>($"api/bench/{id}/events?format=json", cancellationToken);
        var units = events.EnumerateArray()
            .GroupBy(e => (Scenario: e.GetProperty("scenario").GetString()!, N: e.GetProperty("invocations").GetInt32(), Rep: e.GetProperty("repetition").GetInt32()))
            .ToDictionary(g => g.Key, g => g.Select(e => e.GetProperty("sequence").GetInt32()).ToList());
        Assert.Equal(expectedUnits, units.Keys.ToHashSet());
        foreach (((string scenario, int n, int rep), List<int> sequences) in units)
        {
            int[] duplicates = sequences.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
            int[] gaps = Enumerable.Range(0, n).Except(sequences).ToArray();
            Assert.True(duplicates.Length == 0 && gaps.Length == 0 && sequences.Count == n,
                $"{scenario}/{n}/{rep}: {sequences.Count} records, duplicates [{string.Join(",", duplicates)}], gaps [{string.Join(",", gaps)}]");
        }
    }

    private static async Task<RunStatus> WaitForAsync(HttpClient http, string id, Func<RunStatus, bool> condition, string what, CancellationToken cancellationToken)
    {
        RunStatus status;
        do
        {
            status = await ReadStatusAsync(http, id, cancellationToken);
            if (condition(status) || !status.IsRunning)
            {
                return status;
            }

            // Fast enough to catch a unit of 20 invocations in the middle.
            await Task.Delay(25, cancellationToken);
        }
        while (!cancellationToken.IsCancellationRequested);

        throw new OperationCanceledException($"gave up waiting for {what}: {status.Describe()}", cancellationToken);
    }

    private static async Task<RunStatus> ReadStatusAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        JsonElement status = await ReadInstanceAsync(http, id, cancellationToken)
            ?? throw new InvalidOperationException($"run {id} is not known to the restarted host");
        JsonElement custom = status.GetProperty("customStatus");
        Progress? progress = null;
        if (custom.ValueKind == JsonValueKind.Object)
        {
            // The control orchestration names the running unit; that unit's orchestration says how far it is.
            string? unitId = custom.GetProperty("unitInstanceId").GetString();
            JsonElement? unit = unitId is null ? null : await ReadInstanceAsync(http, unitId, cancellationToken);
            JsonElement? unitCustom = unit?.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } c ? c : null;
            progress = new Progress(
                custom.GetProperty("phase").GetString()!, custom.GetProperty("scenario").GetString(), custom.GetProperty("unit").GetInt32(),
                unitCustom?.GetProperty("done").GetInt32() ?? 0, unitCustom?.GetProperty("total").GetInt32() ?? 0,
                custom.GetProperty("doneOverall").GetInt64(), custom.GetProperty("totalOverall").GetInt64(), unit?.GetProperty("lastUpdatedTime").GetString());
        }

        return new RunStatus(status.GetProperty("runtimeStatus").GetString()!, status.GetProperty("lastUpdatedTime").GetString(), progress, status.GetProperty("output").ToString());
    }

    /// <summary>An instance's status from the extension's status URI; null when the instance does not exist (yet).</summary>
    private static async Task<JsonElement?> ReadInstanceAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await http.GetAsync($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted && body.StartsWith('{'), $"status URI of {id}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static Task DeleteTaskHubAsync(string connection, string hub) => new TaskHubResources(connection).DeleteAsync(hub);

    /// <summary>Where a run is: the control orchestration's phase and unit, and how far that unit's orchestration is.</summary>
    private sealed record Progress(string Phase, string? Scenario, int Unit, int UnitDone, int UnitTotal, long DoneOverall, long TotalOverall, string? UnitLastUpdated);

    /// <summary>What the status URIs say about a run.</summary>
    private sealed record RunStatus(string RuntimeStatus, string? LastUpdated, Progress? Progress, string Output)
    {
        public bool IsRunning => this.RuntimeStatus is "Running" or "Pending";

        /// <summary>A step of the run: the control's or the running unit's last update.</summary>
        public string Step => $"{this.LastUpdated}|{this.Progress?.UnitLastUpdated}|{this.Progress?.UnitDone}";

        /// <summary>Whether the run is past the start of unit <paramref name="unit"/> and has not reached its end.</summary>
        public bool IsInsideOrPast(int unit)
            => this.Progress is { Phase: "units" or "done" } p && (p.Unit > unit || (p.Unit == unit && p.UnitDone > 0));

        public string Describe()
            => $"{this.RuntimeStatus}, " +
               (this.Progress is { } p ? $"{p.Phase}, unit {p.Unit} {p.Scenario} {p.UnitDone}/{p.UnitTotal}, overall {p.DoneOverall}/{p.TotalOverall}" : "no custom status");
    }

    /// <summary>When to kill the host.</summary>
    private sealed record KillPoint(string Name, Func<RunStatus, bool> IsReached)
    {
        /// <summary>Running and measuring the floors (about 2 s here).</summary>
        public static KillPoint DuringFloors { get; } = new("during the floors", s => s.RuntimeStatus == "Running" && s.Progress is { Phase: "floors" });

        /// <summary>In unit <paramref name="unit"/> (1-based) after its first invocation; should the polls miss it, the first later point.</summary>
        public static KillPoint InUnit(int unit, string scenario)
            => new($"in unit {unit} ({scenario})", s => s.IsInsideOrPast(unit));
    }
}
