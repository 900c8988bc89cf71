using FunctionsBench.BenchOrchestrator.Csv;
using FunctionsBench.BenchOrchestrator.Report;

namespace FunctionsBench.Embedded.Run;

/// <summary>A run's results folder as read back: the measurement, what <c>./bench run</c> added, and the timed invocations.</summary>
/// <param name="Folder">The folder.</param>
/// <param name="Document">results.json.</param>
/// <param name="Inspection">inspection.json; null when the folder has none (e.g. a document fetched from GET /api/bench/{id}).</param>
/// <param name="Events">events.csv; empty when the folder has none.</param>
public sealed record RunFolder(string Folder, ResultsDocument Document, Inspection? Inspection, IReadOnlyList<EventRecord> Events);

/// <summary>What <c>./bench run</c> leaves behind, and reading it back for <c>./bench report</c> and <c>./bench compare</c>.</summary>
public static class RunOutput
{
    /// <summary>The files a run writes into its output folder.</summary>
    public static readonly string[] FileNames = ["results.json", "inspection.json", "results.csv", "summary.csv", "events.csv", "report.html"];

    /// <summary>The default output folder: a timestamped folder under <c>results/</c>.</summary>
    public static string DefaultFolder(DateTime now)
        => Path.Combine("results", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

    /// <summary>The results document as the server wrote it.</summary>
    public static ResultsDocument Parse(string resultsJson)
        => JsonSerializer.Deserialize<ResultsDocument>(resultsJson, BenchJson.Options) ?? throw new BenchApiException("The results document is empty.");

    /// <summary>Writes every file of <see cref="FileNames"/> into <paramref name="folder"/>; the report shows <paramref name="warnings"/> first.</summary>
    public static async Task WriteAsync(
        string folder, ResultsDocument document, Inspection inspection, IReadOnlyList<EventRecord> events, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(document, BenchJson.Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "inspection.json"), JsonSerializer.Serialize(inspection, BenchJson.Indented), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "events.csv"), EventsCsv.Write(RunIdentity.Of(document), events), cancellationToken);
        await WriteDerivedAsync(folder, document, inspection, events, warnings, cancellationToken);
    }

    /// <summary>Creates <paramref name="folder"/> and writes results.json alone into it, as soon as the run completed; returns its path.</summary>
    public static string WriteResults(string folder, ResultsDocument document)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "results.json");
        File.WriteAllText(path, JsonSerializer.Serialize(document, BenchJson.Indented));
        return path;
    }

    /// <summary>Writes what is computed from the measurement (results.csv, summary.csv, report.html): <c>./bench report</c> rewrites only these.</summary>
    public static async Task WriteDerivedAsync(
        string folder, ResultsDocument document, Inspection? inspection, IReadOnlyList<EventRecord> events, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(folder, "results.csv"), CostCsv.AppendToResults(ResultsCsv.Results(document), document, inspection?.Cost), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "summary.csv"), CostCsv.AppendToSummary(ResultsCsv.Summary(document), document, inspection?.Cost), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.html"), HtmlReport.Build(document, inspection, events, warnings), cancellationToken);
    }

    /// <summary>
    /// Reads a results folder, or the folder of a results.json named directly. A missing or unreadable results.json is
    /// a <see cref="RunFolderException"/> that names the file; inspection.json and events.csv are optional.
    /// </summary>
    public static async Task<RunFolder> LoadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string folder = File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;
        string results = File.Exists(path) ? path : Path.Combine(folder, "results.json");
        if (!File.Exists(results))
        {
            throw new RunFolderException(Directory.Exists(folder) ? $"{folder} has no results.json" : $"{path} is neither a results folder nor a results.json");
        }

        ResultsDocument document;
        try
        {
            document = Parse(await File.ReadAllTextAsync(results, cancellationToken));
        }
        catch (Exception e) when (e is JsonException or BenchApiException or NotSupportedException)
        {
            throw new RunFolderException($"{results} is not a results document: {e.Message}");
        }

        string inspectionPath = Path.Combine(folder, "inspection.json"), eventsPath = Path.Combine(folder, "events.csv");
        try
        {
            Inspection? inspection = File.Exists(inspectionPath)
                ? JsonSerializer.Deserialize<Inspection>(await File.ReadAllTextAsync(inspectionPath, cancellationToken), BenchJson.Options)
                : null;
            IReadOnlyList<EventRecord> events = File.Exists(eventsPath) ? EventsCsv.Read(await File.ReadAllTextAsync(eventsPath, cancellationToken)) : [];
            return new RunFolder(folder, document, inspection, events);
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            throw new RunFolderException($"{(e is JsonException ? inspectionPath : eventsPath)} cannot be read: {e.Message}");
        }
    }
}

/// <summary>A results folder that cannot be read: the message names the file and why.</summary>
public sealed class RunFolderException(string message) : Exception(message);
