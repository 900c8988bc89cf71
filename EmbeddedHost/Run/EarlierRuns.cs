namespace FunctionsBench.Embedded.Run;

/// <summary>
/// The results of earlier runs beside a results folder (its siblings' results.json), which give this machine's usual
/// floors for the warnings. A sibling whose results.json does not read is counted, not used.
/// </summary>
public static class EarlierRuns
{
    /// <summary>Most recent earlier runs considered.</summary>
    public const int Considered = 30;

    /// <summary>The earlier runs beside <paramref name="folder"/>, newest first, and how many results.json files there could not be read.</summary>
    public static (IReadOnlyList<ResultsDocument> Runs, int Unreadable) Beside(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string full = Path.GetFullPath(folder);
        string? parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (parent is null || !Directory.Exists(parent))
        {
            return ([], 0);
        }

        var runs = new List<ResultsDocument>();
        int unreadable = 0;
        IEnumerable<string> files = Directory.EnumerateDirectories(parent)
            .Where(d => !string.Equals(Path.GetFullPath(d).TrimEnd(Path.DirectorySeparatorChar), full.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            .Select(d => Path.Combine(d, "results.json"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .Take(Considered);
        foreach (string file in files)
        {
            try
            {
                runs.Add(RunOutput.Parse(File.ReadAllText(file)));
            }
            catch (Exception e) when (e is JsonException or BenchApiException or NotSupportedException)
            {
                unreadable++;
            }
        }

        return (runs, unreadable);
    }
}
