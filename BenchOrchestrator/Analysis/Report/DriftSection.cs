using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>Latency drift within a unit: every unit's first and last tenth, the flagged ones marked, and what grew with them.</summary>
internal static class DriftSection
{
    /// <summary>The section; empty when no unit was long enough to judge.</summary>
    public static string Build(Inspection? inspection, IReadOnlyList<EventRecord> events)
    {
        IReadOnlyList<UnitDrift> drifts = inspection?.Drift ?? LatencyDrift.Of(events);
        if (drifts.Count == 0)
        {
            return string.Empty;
        }

        var rows = drifts.Select(d => (IEnumerable<string>)[
            E(d.Scenario), W(d.Invocations), W(d.Repetition), Sig(d.FirstTenthMedianMs), Sig(d.LastTenthMedianMs),
            d.Flagged ? $"<b class=\"bad\">{N(d.Ratio, "0.00")}&times;</b>" : N(d.Ratio, "0.00") + "&times;",
            Scenarios.IsKnown(d.Scenario) && Scenarios.Get(d.Scenario).IsDurable ? W(d.HistoryRowsBefore) : "&ndash;",
            d.Grew.Count == 0 ? "&ndash;" : $"<span class=\"text\">{E(string.Join(", ", d.Grew.Select(g => I($"{g.Operation} {g.First:0.0#} → {g.Last:0.0#}"))))}</span>"]);
        UnitDrift[] flagged = [.. drifts.Where(d => d.Flagged)];
        string verdict = flagged.Length == 0
            ? I($"No unit's latency rose beyond the threshold ({LatencyDrift.Rule}).")
            : I($"{flagged.Length} of {drifts.Count} units rose beyond the threshold ({LatencyDrift.Rule}): their invocations/s depends on N, and a longer unit would give a lower figure. ") +
              "Each segment starts a fresh orchestration, so a rise here is not the orchestration's own history: it grows with what the run leaves behind " +
              "(the task hub's History and Instances tables keep every segment's rows, and the emulator's table operations slow as a table grows) " +
              "or with the machine's other load. The History column counts the rows this run had written before the unit; the last column, from the " +
              "embedded host's request log, the storage requests per invocation that changed most between the first tenth and the last.";
        return "<h2>Latency drift within a unit</h2>" +
            Table(["scenario", "N", "rep", "first tenth p50 (ms)", "last tenth p50 (ms)", "last &divide; first", "History rows before", "what changed (requests/inv)"], rows) +
            $"<p class=\"{(flagged.Length == 0 ? "note" : "warn")}\">{E(verdict)}</p>";
    }
}
