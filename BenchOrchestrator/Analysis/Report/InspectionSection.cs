using FunctionsBench.BenchOrchestrator.Floors;
using FunctionsBench.BenchOrchestrator.History;
using static FunctionsBench.BenchOrchestrator.Report.Html;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>What <c>./bench run</c> found out from outside the run: the History cross-check, storage requests and storage faults.</summary>
internal static class InspectionSection
{
    public static string HistoryCheck(HistoryCheck? check)
    {
        const string Heading = "<h2>History cross-check</h2>";
        if (check is null)
        {
            return Heading + "<p class=\"note\">Not in this report: <code>./bench run</code> reads the task hub's History table after a run and writes the " +
                "check to inspection.json; the orchestration's output and GET /api/bench/{id}/report do not have it.</p>";
        }

        string table = E(History.HistoryCheck.TableName(check.TaskHub));
        if (!check.Available || check.Results.Count == 0)
        {
            return Heading + $"<p class=\"note\">{table}: {E(string.Join(" ", check.Notes))}</p>";
        }

        var rows = check.Results.Select(r =>
        {
            string measured = N(r.MeasuredEventsPerInvocation, "0.###") + (r.CalleeEventsPerInvocation is double callee ? I($" ({callee:0.##} own)") : string.Empty);
            string matched = r.Matched >= r.Recorded * 0.99 ? I($"{r.Matched}") : I($"<b class=\"bad\">{r.Matched}</b>");
            return (IEnumerable<string>)[E(r.Scenario), I($"{r.Invocations}"), I($"{r.Repetition}"), I($"{r.Recorded}"), matched, I($"{r.EventsPerInvocation}"), measured,
                N(r.StartGapMs?.Median), N(r.StartGapMs?.Max), N(r.EndGapMs?.Median), N(r.EndGapMs?.Max), $"<span class=\"text\">{E(r.Note)}</span>"];
        });
        return Heading + I($"<p>{check.Rows} rows of this run read from <b>{table}</b>, where the thesis read its timings by hand.</p>") +
            Table(["scenario", "N", "rep", "recorded", "matched", "events/inv (formula)", "events/inv (History)", "start gap p50 (ms)", "max", "end gap p50 (ms)", "max", "note"], rows) +
            "<ul class=\"note\">" + string.Concat(check.Notes.Select(n => $"<li>{E(n)}</li>")) + "</ul>";
    }

    /// <summary>Storage requests per invocation, one row per unit with its operations as text, so no operation adds a column.</summary>
    public static string StorageRequests(Inspection? inspection)
    {
        if (inspection?.StorageRequests is not { Count: > 0 } counts)
        {
            return string.Empty;
        }

        var rows = counts.Select(c => (IEnumerable<string>)[
            E(c.Scenario), I($"{c.Invocations}"), I($"{c.Repetition}"), N(c.PerInvocation, "0.00"),
            $"<span class=\"text\">{E(string.Join(", ", c.ByOperation.OrderByDescending(o => o.Value).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value:0.00}"))))}</span>"]);
        return "<h2>Storage requests per invocation</h2>" + Table(["scenario", "N", "rep", "total", "by operation (most first)"], rows) +
            Note($"Every request of the task hub's storage clients while the unit ran, divided by N: the steps themselves, idle polls, lease renewals, the status polls of ./bench run, checkpoints and timing records. The floor's step has {StorageFloor.StepOperations}.");
    }

    /// <summary>Failed storage requests per unit (filled by the embedded host's storage request log); nothing when none were counted.</summary>
    public static string StorageFaults(Inspection? inspection)
    {
        if (inspection?.StorageFaults is not { Count: > 0 } faults)
        {
            return string.Empty;
        }

        var rows = faults.Select(f => (IEnumerable<string>)[
            E(f.Scenario), I($"{f.Invocations}"), I($"{f.Repetition}"), f.Failed > 0 ? I($"<b class=\"bad\">{f.Failed}</b>") : "0", I($"{f.NoResponse}"), N(f.LongestGapSeconds, "0.0")]);
        IReadOnlyList<string> notes = FunctionsBench.BenchOrchestrator.StorageFaults.Notes(inspection);
        string summary = notes.Count > 0
            ? string.Concat(notes.Select(n => $"<p class=\"warn\">{E(n)}</p>"))
            : "<p>No storage request failed while the units ran.</p>";
        return "<h2>Storage faults</h2>" + summary +
            Table(["scenario", "N", "rep", "failed requests", "of them no response", "longest outage (s)"], rows) +
            Note("Failed: a 5xx, 408 or 429 answer, or none at all; the longest outage is the longest stretch with failed requests and no successful one.");
    }
}
