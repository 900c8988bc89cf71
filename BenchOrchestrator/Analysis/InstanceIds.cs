namespace FunctionsBench.BenchOrchestrator;

/// <summary>
/// The ids of every orchestration and entity a run creates, built and read back in this one place: the orchestrations
/// build them, the History cross-check and the CLI parse them.
/// </summary>
/// <remarks>
/// Orchestrations of a run share the run id as prefix (<c>{runId}:...</c>), so one query reads all their History rows:
/// a unit <c>{runId}:{scenario}:{N}:{rep}</c>, its segments <c>...:s{k}</c>, a df-suborchestration invocation
/// <c>...:{sequence}</c>. Entity keys are the greeter's <c>{userId}@{runId}.{N}.{rep}</c> (one user per unit) and the
/// timings chunks' <c>{runId}/{scenario}/{N}/{rep}/{chunk}</c>.
/// </remarks>
public static class InstanceIds
{
    private const char Separator = ':';

    /// <summary>The unit orchestration of <paramref name="unit"/>.</summary>
    public static string Unit(string runId, BenchUnit unit)
        => string.Create(CultureInfo.InvariantCulture, $"{runId}{Separator}{unit.Scenario}{Separator}{Size(unit)}{Separator}{unit.Repetition}");

    /// <summary>
    /// A unit's size in its ids: N, and for a cart scenario's unit <c>{N}u{users}</c>, so the units of one N at several
    /// values of <c>users</c> never share an id.
    /// </summary>
    public static string Size(BenchUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return Scenarios.IsKnown(unit.Scenario) && Scenarios.Get(unit.Scenario).HasUsers
            ? string.Create(CultureInfo.InvariantCulture, $"{unit.Invocations}u{unit.Users}")
            : unit.Invocations.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The scope of a cart unit's entities: every cart key is <c>{scope}.u{n}</c>, every stock key <c>{scope}.i{n}</c>,
    /// so each unit starts from its own fresh shop.
    /// </summary>
    public static string CartScope(string runId, BenchUnit unit)
        => string.Create(CultureInfo.InvariantCulture, $"{runId}.{unit.Scenario}.{Size(unit)}.{unit.Repetition}");

    /// <summary>Chunk <paramref name="chunk"/> (from 0) of user loop <paramref name="loop"/> of a cart unit: an orchestration of its own.</summary>
    public static string CartChunk(string runId, BenchUnit unit, int loop, int chunk)
        => string.Create(CultureInfo.InvariantCulture, $"{Unit(runId, unit)}{Separator}l{loop}c{chunk}");

    /// <summary>Segment <paramref name="segment"/> (from 0) of <paramref name="unit"/>.</summary>
    public static string Segment(string runId, BenchUnit unit, int segment)
        => string.Create(CultureInfo.InvariantCulture, $"{Unit(runId, unit)}{Separator}s{segment}");

    /// <summary>The greeter orchestration of df-suborchestration invocation <paramref name="sequence"/>.</summary>
    public static string SubOrchestration(string runId, BenchUnit unit, int sequence)
        => string.Create(CultureInfo.InvariantCulture, $"{Unit(runId, unit)}{Separator}{sequence}");

    /// <summary>The greeter entity's key for <paramref name="unit"/>: each unit logs a user of its own in.</summary>
    public static string GreeterKey(string userId, string runId, BenchUnit unit)
        => string.Create(CultureInfo.InvariantCulture, $"{userId}@{runId}.{unit.Invocations}.{unit.Repetition}");

    /// <summary>The key of timings chunk <paramref name="chunk"/> of <paramref name="unit"/>.</summary>
    public static string TimingsKey(string runId, BenchUnit unit, int chunk)
        => string.Create(CultureInfo.InvariantCulture, $"{runId}/{unit.Scenario}/{Size(unit)}/{unit.Repetition}/{chunk}");

    /// <summary>What an orchestration id of run <paramref name="runId"/> names: its unit, and a segment or an invocation of it.</summary>
    /// <returns>Null when the id is not one of the run's.</returns>
    public static (BenchUnit Unit, int? Segment, int? Sequence)? Parse(string runId, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(instanceId);
        string[] parts = instanceId.Split(Separator);
        if (parts.Length is < 4 or > 5 || parts[0] != runId || !Scenarios.IsKnown(parts[1])
            || ParseSize(parts[2]) is not (int n, int users)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int repetition))
        {
            return null;
        }

        var unit = new BenchUnit(parts[1], n, repetition, users);
        if (parts.Length == 4)
        {
            return (unit, null, null);
        }

        if (parts[4].StartsWith('s') && int.TryParse(parts[4][1..], NumberStyles.None, CultureInfo.InvariantCulture, out int segment))
        {
            return (unit, segment, null);
        }

        return int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out int sequence) ? (unit, null, sequence) : null;
    }

    private static (int N, int Users)? ParseSize(string size)
    {
        int u = size.IndexOf('u', StringComparison.Ordinal);
        return u < 0
            ? int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? (n, 1) : null
            : int.TryParse(size.AsSpan(0, u), NumberStyles.None, CultureInfo.InvariantCulture, out int cartN)
                && int.TryParse(size.AsSpan(u + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int users) ? (cartN, users) : null;
    }

    /// <summary>The unit a greeter entity key of run <paramref name="runId"/> belongs to (df-entity); null for another key.</summary>
    public static BenchUnit? ParseGreeterKey(string runId, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int at = key.LastIndexOf('@');
        if (at < 0)
        {
            return null;
        }

        string[] parts = key[(at + 1)..].Split('.');
        return parts.Length == 3 && parts[0] == runId
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int repetition)
                ? new BenchUnit(Scenarios.DfEntity, n, repetition)
                : null;
    }
}
