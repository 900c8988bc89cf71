namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary><c>events.csv</c> and <c>GET /api/bench/{id}/events?format=csv</c>: one row per timed invocation.</summary>
public static class EventsCsv
{
    /// <summary>
    /// The header: the run's identity, then the invocation. <c>afterFloorSlice</c> is 1 on a statefun login that follows
    /// a slice of its HTTP floor in turns: the gap between the previous login's end and its start holds the slice, whose
    /// time the unit's execution time leaves out (results.csv's <c>floorSliceSeconds</c>).
    /// </summary>
    public const string Header = RunIdentity.Header + ",scenario,invocations,users,repetition,sequence,startUtc,endUtc,latencyMs,afterFloorSlice";

    /// <summary>Logins per chunk at most between two floor slices (the orchestration's <c>StateFunLogins.FloorTurnLogins</c>).</summary>
    public const int FloorTurnLogins = 1000;

    /// <summary>Chunks per segment at least (the orchestration's <c>StateFunLogins.MinFloorTurns</c>).</summary>
    public const int MinFloorTurns = 8;

    /// <summary>Logins per chunk in a segment of <paramref name="count"/> logins, as the orchestration splits it.</summary>
    public static int ChunkLogins(int count) => Math.Clamp((count + MinFloorTurns - 1) / MinFloorTurns, 1, FloorTurnLogins);

    /// <summary>
    /// Whether a floor slice ran just before <paramref name="e"/> (0-based sequence), given that its unit's floor ran in
    /// turns: the first login of every chunk but a segment's first.
    /// </summary>
    public static bool AfterFloorSlice(EventRecord e, int segmentLogins = BenchPlan.StateFunSegmentLogins)
    {
        ArgumentNullException.ThrowIfNull(e);
        int first = e.Sequence / segmentLogins * segmentLogins;
        int offset = e.Sequence - first;
        return offset > 0 && offset % ChunkLogins(Math.Min(segmentLogins, e.Invocations - first)) == 0;
    }

    /// <summary>The events of the run <paramref name="identity"/> as CSV.</summary>
    public static string Write(RunIdentity identity, IEnumerable<EventRecord> events)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(events);
        string columns = identity.Columns();
        var csv = new StringBuilder(Header).Append('\n');
        foreach (EventRecord e in events)
        {
            csv.Append(columns).Append(',').AppendJoin(',',
                CsvText.Field(e.Scenario), Whole(e.Invocations), Whole(e.Users), Whole(e.Repetition), Whole(e.Sequence), CsvText.Time(e.Start), CsvText.Time(e.End),
                CsvText.Number(e.LatencyMs),
                identity.FloorInTurns.Contains((e.Scenario, e.Invocations, e.Repetition)) && AfterFloorSlice(e) ? "1" : "0").Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>
    /// Reads events back from <paramref name="csv"/> by column name, so files of this format and of the earlier one
    /// (no identity columns, <c>start</c>/<c>end</c>) both read. A row that does not parse is an error naming it (the header
    /// is row 1; a quoted line break does not start a row).
    /// </summary>
    public static IReadOnlyList<EventRecord> Read(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        IReadOnlyList<IReadOnlyList<string>> rows = CsvText.Records(csv);
        if (rows.Count == 0)
        {
            return [];
        }

        IReadOnlyList<string> header = rows[0];
        int Column(params string[] names)
        {
            int index = header.ToList().FindIndex(h => names.Contains(h, StringComparer.Ordinal));
            return index >= 0 ? index : throw new FormatException($"events CSV has no column {string.Join(" or ", names)}");
        }

        int scenario = Column("scenario"), invocations = Column("invocations"), repetition = Column("repetition"), sequence = Column("sequence");
        int start = Column("startUtc", "start"), end = Column("endUtc", "end"), latency = Column("latencyMs");
        // Files written before the cart have no users column: their units all ran one user.
        int users = header.ToList().IndexOf("users");
        var events = new List<EventRecord>(rows.Count - 1);
        for (int i = 1; i < rows.Count; i++)
        {
            IReadOnlyList<string> f = rows[i];
            try
            {
                events.Add(new EventRecord(
                    f[scenario], int.Parse(f[invocations], CultureInfo.InvariantCulture), int.Parse(f[repetition], CultureInfo.InvariantCulture),
                    int.Parse(f[sequence], CultureInfo.InvariantCulture), ParseTime(f[start]), ParseTime(f[end]),
                    double.Parse(f[latency], CultureInfo.InvariantCulture), users < 0 ? 1 : int.Parse(f[users], CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                throw new FormatException($"events CSV row {i + 1}: {e.Message}", e);
            }
        }

        return events;
    }

    private static DateTime ParseTime(string value)
        => DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static string Whole(int value) => value.ToString(CultureInfo.InvariantCulture);
}
