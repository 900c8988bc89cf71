using System.Globalization;
using System.Text;

namespace FunctionsBench.BenchOrchestrator;

/// <summary>One timed invocation with its unit: a row of <c>events.csv</c> and of <c>GET /api/bench/{id}/events</c>.</summary>
public sealed record EventRecord(string Scenario, int Invocations, int Repetition, int Sequence, DateTime Start, DateTime End, double LatencyMs)
{
    /// <summary>The CSV header.</summary>
    public const string CsvHeader = "scenario,invocations,repetition,sequence,start,end,latencyMs";

    /// <summary>The event of <paramref name="record"/> in <paramref name="unit"/>.</summary>
    public static EventRecord From(BenchUnit unit, TimingRecord record)
        => new(unit.Scenario, unit.Invocations, unit.Repetition, record.Sequence, record.Start, record.End, record.LatencyMs);

    /// <summary>The events as CSV (header first, times in ISO 8601 UTC with microseconds).</summary>
    public static string ToCsv(IEnumerable<EventRecord> events)
    {
        var csv = new StringBuilder(CsvHeader).Append('\n');
        foreach (EventRecord e in events)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Scenario},{e.Invocations},{e.Repetition},{e.Sequence},{e.Start:yyyy-MM-ddTHH:mm:ss.ffffffZ},{e.End:yyyy-MM-ddTHH:mm:ss.ffffffZ},{e.LatencyMs:0.###}\n");
        }

        return csv.ToString();
    }
}
