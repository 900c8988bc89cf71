using System.Text.Json.Nodes;
using FunctionsBench.BenchOrchestrator.Thesis;
using Spectre.Console;

namespace FunctionsBench.Embedded.Run;

/// <summary>
/// <c>./bench run --thesis</c>: the thesis' procedure (Table 5.4's N for df-activity, Table 5.3's for statefun, five
/// repetitions, one growing history per unit, the extension's default settings), and an estimate of how long it takes
/// from a short calibration run through the same host before it starts.
/// </summary>
public static class ThesisPreset
{
    /// <summary>The N of the calibration run: two for df-activity, whose time per invocation grows with N in single mode, one for StateFun.</summary>
    public static IReadOnlyDictionary<string, int[]> CalibrationInvocations { get; } = new Dictionary<string, int[]>(StringComparer.Ordinal)
    {
        [Scenarios.DfActivity] = [100, 300],
        [Scenarios.StateFun] = [2000],
    };

    /// <summary>The body fields the preset sets; the run's other flags add to them.</summary>
    public static JsonObject Body() => new()
    {
        ["invocations"] = InvocationsJson(ThesisTables.InvocationsByScenario.Select(p => (p.Key, (IEnumerable<int>)p.Value))),
        ["repetitions"] = ThesisTables.Repetitions,
        ["mode"] = ThesisTables.Mode,
    };

    /// <summary>The host.json the preset uses unless --host-json names one: the extension's defaults, beside the repository's host.json.</summary>
    public static string DefaultHostJson(string repositoryHostJson)
        => Path.Combine(Path.GetDirectoryName(repositoryHostJson)!, "host.defaults.json");

    /// <summary>
    /// Runs the calibration (the thesis' body with the calibration's N, one repetition, a short warm-up), prints the
    /// estimated time of <paramref name="settings"/> with the calibration's figures, and returns each scenario's fit
    /// (for the run's progress).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, RunTimeEstimate.Fit>> EstimateAsync(BenchApiClient client, JsonObject thesisBody, BenchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(thesisBody);
        JsonObject calibration = thesisBody.DeepClone().AsObject();
        calibration["invocations"] = InvocationsJson(CalibrationInvocations.Select(p => (p.Key, (IEnumerable<int>)p.Value)));
        calibration["repetitions"] = 1;
        calibration["warmup"] = Math.Min(settings.Warmup, 20);

        IAnsiConsole console = RunSession.Console();
        (ResultsDocument document, IReadOnlyList<EventRecord> events) = await console.Status().StartAsync("Calibrating: a short run to estimate the thesis run's time...", async _ =>
        {
            (string id, Uri statusUri) = await client.StartAsync(JsonSerializer.SerializeToElement(calibration), cancellationToken);
            while (true)
            {
                RunStatus status = await client.GetStatusAsync(statusUri, cancellationToken);
                if (status.RuntimeStatus == "Completed")
                {
                    return (RunOutput.Parse(await client.GetResultsJsonAsync(id, cancellationToken)), await client.GetEventsAsync(id, cancellationToken));
                }

                if (status.RuntimeStatus is "Failed" or "Terminated" or "Canceled")
                {
                    throw new BenchApiException($"the calibration run {id} ended {status.RuntimeStatus}: {status.Output}");
                }

                await Task.Delay(500, cancellationToken);
            }
        });

        IReadOnlyDictionary<string, RunTimeEstimate.Fit> fits = RunTimeEstimate.FitFromEvents(document.Results, events);
        double seconds = RunTimeEstimate.Seconds(settings, fits)
            ?? throw new BenchApiException("the calibration did not measure every scenario of the thesis run");
        string measured = string.Join(", ", document.Results.Select(r => $"{r.Scenario} N={r.Invocations} {RunTimeEstimate.Describe(r.ExecutionSeconds)}"));
        System.Console.Out.WriteLine($"Calibration ({document.Settings.Mode} mode): {measured}.");
        System.Console.Out.WriteLine(
            $"Estimated time of the thesis run ({BenchPlan.TotalInvocations(settings):N0} invocations in {BenchPlan.Units(settings).Count} units): about {RunTimeEstimate.Describe(seconds)}.");
        return fits;
    }

    /// <summary>The request's <c>invocations</c> as an object: each scenario with its own N.</summary>
    private static JsonObject InvocationsJson(IEnumerable<(string Scenario, IEnumerable<int> Invocations)> byScenario)
        => new(byScenario.Select(p => KeyValuePair.Create(p.Scenario, (JsonNode?)new JsonArray([.. p.Invocations.Select(n => (JsonNode)n)]))));
}
