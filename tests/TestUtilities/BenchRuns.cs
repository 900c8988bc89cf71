using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsBench.BenchOrchestrator;
using FunctionsBench.Hosting;
using Xunit;

namespace FunctionsBench.Testing;

/// <summary>Where a run is, from its status URI and its running unit's.</summary>
/// <param name="RuntimeStatus">The control orchestration's status.</param>
/// <param name="Phase">floors, warm-up, units or done; null before the first custom status.</param>
/// <param name="Scenario">The running unit's scenario.</param>
/// <param name="Unit">The running unit, from 1.</param>
/// <param name="UnitDone">Invocations the running unit has finished.</param>
/// <param name="Output">The results document once completed (the failure once failed).</param>
public sealed record RunProgress(string RuntimeStatus, string? Phase, string? Scenario, int Unit, int UnitDone, JsonElement Output)
{
    /// <summary>Whether the run has not ended.</summary>
    public bool IsRunning => this.RuntimeStatus is "Running" or "Pending";

    /// <summary>For messages.</summary>
    public override string ToString() => $"{this.RuntimeStatus}, {this.Phase ?? "no phase"}, unit {this.Unit} {this.Scenario} {this.UnitDone} done";
}

/// <summary>A run driven through the HTTP API a user calls, and the checks every fault test makes of its records.</summary>
public static class BenchRuns
{
    /// <summary>POSTs <paramref name="request"/> to <c>/api/bench</c>; returns the run id.</summary>
    public static async Task<string> StartAsync(HttpClient http, object request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using HttpResponseMessage started = await HttpClientJsonExtensions.PostAsJsonAsync(http, "api/bench", request, cancellationToken);
        string body = await started.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"POST /api/bench: {(int)started.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>An instance's status from the extension's status URI; null when it does not exist (yet).</summary>
    public static async Task<JsonElement?> ReadInstanceAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using HttpResponseMessage response = await http.GetAsync($"runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(id)}", cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted) || !body.StartsWith('{'))
        {
            throw new HttpRequestException($"status URI of {id}: {(int)response.StatusCode} {body}", null, response.StatusCode);
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The run's progress: the control orchestration's custom status and its running unit's.</summary>
    public static async Task<RunProgress> ReadProgressAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        JsonElement status = await ReadInstanceAsync(http, id, cancellationToken) ?? throw new InvalidOperationException($"run {id} is not known to {http.BaseAddress}");
        JsonElement custom = status.GetProperty("customStatus");
        if (custom.ValueKind != JsonValueKind.Object)
        {
            return new RunProgress(status.GetProperty("runtimeStatus").GetString()!, null, null, 0, 0, status.GetProperty("output"));
        }

        int done = 0;
        if (custom.GetProperty("unitInstanceId").GetString() is { } unitId
            && await ReadInstanceAsync(http, unitId, cancellationToken) is { } unit
            && unit.GetProperty("customStatus") is { ValueKind: JsonValueKind.Object } unitCustom)
        {
            done = unitCustom.GetProperty("done").GetInt32();
        }

        return new RunProgress(
            status.GetProperty("runtimeStatus").GetString()!, custom.GetProperty("phase").GetString(), custom.GetProperty("scenario").GetString(),
            custom.GetProperty("unit").GetInt32(), done, status.GetProperty("output"));
    }

    /// <summary>
    /// Polls the run until <paramref name="condition"/> holds or it ends. While storage is down the status URI fails
    /// too: such failures are waited out until <paramref name="cancellationToken"/> gives up, the last one then reported.
    /// </summary>
    public static async Task<RunProgress> WaitForAsync(HttpClient http, string id, Func<RunProgress, bool> condition, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        string last = "no answer yet";
        while (true)
        {
            try
            {
                RunProgress progress = await ReadProgressAsync(http, id, cancellationToken);
                if (condition(progress) || !progress.IsRunning)
                {
                    return progress;
                }

                last = progress.ToString();
            }
            catch (Exception e) when ((e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested)) && !cancellationToken.IsCancellationRequested)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }

            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what} of run {id}; last: {last}");
            }
        }
    }

    /// <summary>Waits until the run ends and asserts that it completed.</summary>
    public static async Task<RunProgress> WaitForCompletionAsync(HttpClient http, string id, CancellationToken cancellationToken, Func<string>? context = null)
    {
        RunProgress final = await WaitForAsync(http, id, _ => false, "completion", cancellationToken);
        Assert.True(final.RuntimeStatus == "Completed", $"run {id} ended {final.RuntimeStatus}: {final.Output}\n{context?.Invoke()}");
        return final;
    }

    /// <summary>The run's results document.</summary>
    public static async Task<ResultsDocument> ResultsAsync(HttpClient http, string id, CancellationToken cancellationToken)
        => await http.GetFromJsonAsync<ResultsDocument>($"api/bench/{id}", BenchJson.Options, cancellationToken) ?? throw new InvalidDataException($"no results for {id}");

    /// <summary>The run's per-invocation records.</summary>
    public static async Task<IReadOnlyList<EventRecord>> EventsAsync(HttpClient http, string id, CancellationToken cancellationToken)
        => await http.GetFromJsonAsync<List<EventRecord>>($"api/bench/{id}/events?format=json", BenchJson.Options, cancellationToken) ?? [];

    /// <summary>
    /// Asserts that the results have exactly <paramref name="expected"/> units, each with <c>recorded</c> = N, and that
    /// the records hold each sequence 0..N-1 of each unit exactly once: nothing lost, nothing counted twice.
    /// </summary>
    public static void AssertEveryRecordOnce(ResultsDocument results, IReadOnlyList<EventRecord> events, IReadOnlyCollection<BenchUnit> expected)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(expected);
        Assert.Equal(expected.ToHashSet(), results.Results.Select(r => new BenchUnit(r.Scenario, r.Invocations, r.Repetition)).ToHashSet());
        Assert.Equal(expected.Count, results.Results.Count);
        Assert.All(results.Results, r => Assert.True(r.Recorded == r.Invocations, $"{r.Scenario}/{r.Invocations}/{r.Repetition}: recorded {r.Recorded}"));

        var units = events.GroupBy(e => new BenchUnit(e.Scenario, e.Invocations, e.Repetition)).ToDictionary(g => g.Key, g => g.Select(e => e.Sequence).ToList());
        Assert.Equal(expected.ToHashSet(), units.Keys.ToHashSet());
        foreach ((BenchUnit unit, List<int> sequences) in units)
        {
            int[] duplicates = [.. sequences.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key)];
            int[] missing = [.. Enumerable.Range(0, unit.Invocations).Except(sequences)];
            Assert.True(duplicates.Length == 0 && missing.Length == 0 && sequences.Count == unit.Invocations,
                $"{unit}: {sequences.Count} records, duplicates [{string.Join(",", duplicates)}], missing [{string.Join(",", missing)}]");
        }
    }

    /// <summary>Reads the results and records of run <paramref name="id"/> and asserts <see cref="AssertEveryRecordOnce"/>.</summary>
    public static async Task<(ResultsDocument Results, IReadOnlyList<EventRecord> Events)> AssertEveryRecordOnceAsync(
        HttpClient http, string id, IReadOnlyCollection<BenchUnit> expected, CancellationToken cancellationToken)
    {
        ResultsDocument results = await ResultsAsync(http, id, cancellationToken);
        IReadOnlyList<EventRecord> events = await EventsAsync(http, id, cancellationToken);
        AssertEveryRecordOnce(results, events, expected);
        return (results, events);
    }
}
