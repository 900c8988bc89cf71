namespace FunctionsBench.BenchOrchestrator.Compare;

/// <summary>One run given to <c>./bench compare</c>: where it came from, its results and its per-invocation latencies.</summary>
/// <param name="Label">How the comparison names it (its folder or file).</param>
/// <param name="Document">Its results document.</param>
/// <param name="Events">Its timed invocations; empty when its folder has no events.csv.</param>
public sealed record ComparedRun(string Label, ResultsDocument Document, IReadOnlyList<EventRecord> Events);

/// <summary>
/// One (scenario, N) of a run against the same (scenario, N) of the baseline: the ratio of mean throughput over the
/// repetitions and the ratio of mean latency over every invocation, each with its 95% interval and significance.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Invocations">N.</param>
/// <param name="Baseline">The baseline run's label.</param>
/// <param name="Other">The compared run's label.</param>
/// <param name="BaselineEventsPerSecond">The baseline's events per second, one value per repetition.</param>
/// <param name="OtherEventsPerSecond">The other run's, one value per repetition.</param>
/// <param name="BaselineLatencyMeanMs">The baseline's mean latency over every recorded invocation; null without events.</param>
/// <param name="OtherLatencyMeanMs">The other run's; null without events.</param>
/// <param name="Throughput">Other ÷ baseline events per second over repetitions; null with fewer than two repetitions on a side.</param>
/// <param name="Latency">Other ÷ baseline mean latency over invocations; null without events on a side.</param>
/// <param name="LatencyCounts">Invocations compared on each side.</param>
/// <param name="BaselineEfficiency">The baseline's efficiencies, one per repetition that has one.</param>
/// <param name="OtherEfficiency">The other run's.</param>
/// <param name="Efficiency">Other ÷ baseline efficiency over repetitions; null with fewer than two a side.</param>
public sealed record ComparisonRow(
    string Scenario,
    int Invocations,
    string Baseline,
    string Other,
    IReadOnlyList<double> BaselineEventsPerSecond,
    IReadOnlyList<double> OtherEventsPerSecond,
    double? BaselineLatencyMeanMs,
    double? OtherLatencyMeanMs,
    RatioEstimate? Throughput,
    RatioEstimate? Latency,
    (int Baseline, int Other) LatencyCounts,
    IReadOnlyList<double>? BaselineEfficiency = null,
    IReadOnlyList<double>? OtherEfficiency = null,
    RatioEstimate? Efficiency = null)
{
    /// <summary>Other ÷ baseline mean efficiency (a point estimate, even for one repetition); null when a side has none.</summary>
    public double? EfficiencyRatio => this.BaselineEfficiency is { Count: > 0 } a && this.OtherEfficiency is { Count: > 0 } b && a.Average() > 0
        ? b.Average() / a.Average()
        : null;

    /// <summary>Other ÷ baseline mean events per second (a point estimate, even for one repetition).</summary>
    public double ThroughputRatio => this.OtherEventsPerSecond.Average() / this.BaselineEventsPerSecond.Average();

    /// <summary>One phrase on what the row shows, for the console and the page.</summary>
    public string Verdict()
    {
        string throughput = this.Throughput is not { } t
            ? "throughput: too few repetitions to test"
            : t.Significant ? $"throughput {(t.Ratio > 1 ? "higher" : "lower")} (p {Format.P(t.PValue)})" : $"throughput: no significant difference (p {Format.P(t.PValue)})";
        string latency = this.Latency is not { } l
            ? "latency: no events"
            : l.Significant ? $"latency {(l.Ratio > 1 ? "higher" : "lower")} (p {Format.P(l.PValue)})" : $"latency: no significant difference (p {Format.P(l.PValue)})";
        return $"{throughput}; {latency}";
    }
}

/// <summary>Pairs the units of runs for <c>./bench compare</c>: every run against the first, per (scenario, N) both have.</summary>
public static class RunComparison
{
    /// <summary>
    /// The rows of every run after the first against the first (the baseline), for each (scenario, N) that both ran, in
    /// the baseline's order.
    /// </summary>
    public static IReadOnlyList<ComparisonRow> Compare(IReadOnlyList<ComparedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2)
        {
            throw new ArgumentException("A comparison needs at least two runs.", nameof(runs));
        }

        ComparedRun baseline = runs[0];
        var rows = new List<ComparisonRow>();
        foreach (ComparedRun other in runs.Skip(1))
        {
            foreach (var key in baseline.Document.Results.Select(r => (r.Scenario, r.Invocations)).Distinct())
            {
                double[] a = Throughputs(baseline, key), b = Throughputs(other, key);
                if (b.Length == 0)
                {
                    continue;
                }

                double[] la = Latencies(baseline, key), lb = Latencies(other, key);
                double[] ea = Efficiencies(baseline, key), eb = Efficiencies(other, key);
                rows.Add(new ComparisonRow(
                    key.Scenario, key.Invocations, baseline.Label, other.Label, a, b,
                    la.Length > 0 ? la.Average() : null, lb.Length > 0 ? lb.Average() : null,
                    Significance.OverRepetitions(a, b), la.Length > 0 && lb.Length > 0 ? Significance.OverLatencies(la, lb) : null,
                    (la.Length, lb.Length), ea, eb, Significance.OverRepetitions(ea, eb)));
            }
        }

        return rows;
    }

    /// <summary>The (scenario, N) of the other runs that the baseline did not run, which the comparison leaves out.</summary>
    public static IReadOnlyList<string> Unmatched(IReadOnlyList<ComparedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var baseline = runs[0].Document.Results.Select(r => (r.Scenario, r.Invocations)).ToHashSet();
        return [.. runs.Skip(1).SelectMany(run => run.Document.Results.Select(r => (r.Scenario, r.Invocations)).Distinct()
            .Where(k => !baseline.Contains(k)).Select(k => $"{run.Label}: {k.Scenario} N={k.Invocations}"))];
    }

    /// <summary>
    /// For every run after the first, the settings in which it differs from the first (mode, host.json settings and its
    /// hash, storage, StateFun endpoint, commit, machine): their ratios then include the setting's effect, not only the
    /// change under test. Empty when all match.
    /// </summary>
    public static IReadOnlyList<string> SettingsDifferences(IReadOnlyList<ComparedRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2)
        {
            return [];
        }

        IReadOnlyList<(string Name, string Value)> baseline = Settings(runs[0].Document);
        var differences = new List<string>();
        for (int i = 1; i < runs.Count; i++)
        {
            IReadOnlyList<(string Name, string Value)> other = Settings(runs[i].Document);
            string[] changed = [.. baseline.Zip(other).Where(p => p.First.Value != p.Second.Value).Select(p => $"{p.First.Name} {p.First.Value} -> {p.Second.Value}")];
            if (changed.Length > 0)
            {
                differences.Add($"{CompareHtml.Letter(i)} differs from A in {string.Join("; ", changed)}");
            }
        }

        return differences;
    }

    /// <summary>The settings of a run that a comparison should hold fixed, by name; "?" where not recorded.</summary>
    private static IReadOnlyList<(string Name, string Value)> Settings(ResultsDocument d)
    {
        Csv.RunIdentity identity = Csv.RunIdentity.Of(d);
        static string V(object? value) => value switch
        {
            null => "?",
            bool b => b ? "on" : "off",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() is { Length: > 0 } text ? text : "?",
        };
        return
        [
            ("host", V(d.Host)), ("provider", V(d.StorageProvider)), ("mode", V(d.Settings.Mode)), ("parallelism", V(d.Settings.Parallelism)),
            ("checkpoint every", V(d.Settings.CheckpointEvery)), ("warm-up", V(d.Settings.Warmup)), ("storage", V(identity.AzuriteMode)),
            ("partitions", V(identity.PartitionCount)), ("extended sessions", V(identity.ExtendedSessions)), ("max polling ms", V(identity.MaxQueuePollingIntervalMs)),
            ("control batch", V(identity.ControlQueueBatchSize)), ("host.json hash", V(identity.HostJsonSha256)), ("StateFun endpoint", V(identity.StateFunLabel)),
            ("commit", V(identity.GitCommit is { Length: >= 7 } c ? c[..7] : identity.GitCommit)), ("cores", V(d.Environment?.ProcessorCount)),
            ("CPU", V(d.Environment?.CpuModel)),
        ];
    }

    private static double[] Efficiencies(ComparedRun run, (string Scenario, int Invocations) key)
        => [.. run.Document.Results.Where(r => r.Scenario == key.Scenario && r.Invocations == key.Invocations && r.Efficiency is not null).Select(r => r.Efficiency!.Value)];

    private static double[] Throughputs(ComparedRun run, (string Scenario, int Invocations) key)
        => [.. run.Document.Results.Where(r => r.Scenario == key.Scenario && r.Invocations == key.Invocations).Select(r => r.EventsPerSecond)];

    private static double[] Latencies(ComparedRun run, (string Scenario, int Invocations) key)
        => [.. run.Events.Where(e => e.Scenario == key.Scenario && e.Invocations == key.Invocations && !BenchUnit.IsWarmupRepetition(e.Repetition)).Select(e => e.LatencyMs)];
}
