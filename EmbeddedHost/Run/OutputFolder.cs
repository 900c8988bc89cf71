namespace FunctionsBench.Embedded.Run;

/// <summary>
/// A run's results folder, claimed before anything starts: it is created and a file written and removed in it, so a
/// folder that cannot be written is refused before a minute is measured, and a folder that already holds a run is
/// refused unless the user said to overwrite it. A claimed folder that stays empty (the run failed before it measured)
/// is removed again when this created it.
/// </summary>
public sealed class OutputFolder
{
    /// <summary>The file whose presence marks a folder as holding a run.</summary>
    public const string ResultsFile = "results.json";

    private const string ProbeFile = ".bench-write-check";

    private readonly string? createdTop;

    private OutputFolder(string path, string? createdTop)
    {
        this.Path = path;
        this.createdTop = createdTop;
    }

    /// <summary>The folder as the user named it.</summary>
    public string Path { get; }

    /// <summary>Whether the folder did not exist before <see cref="Claim"/>.</summary>
    public bool Created => this.createdTop is not null;

    /// <summary>
    /// Creates <paramref name="path"/> (and its parents) and checks that a file can be written in it. A path that is a
    /// file, a folder that cannot be created or written, and (unless <paramref name="overwrite"/>) a folder that already
    /// holds a <see cref="ResultsFile"/> are an <see cref="OutputPathException"/> naming <paramref name="flag"/>.
    /// </summary>
    public static OutputFolder Claim(string path, string flag, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            throw new OutputPathException($"{flag} {path} is a file; name a folder for the results");
        }

        if (!overwrite && File.Exists(System.IO.Path.Combine(full, ResultsFile)))
        {
            throw new OutputPathException($"{flag} {path} already holds a run ({ResultsFile}); name another folder, or add --force to overwrite it");
        }

        // The outermost folder this creates, so that releasing an unused claim removes all it made.
        string? createdTop = null;
        for (string? folder = full; folder is not null && !Directory.Exists(folder); folder = System.IO.Path.GetDirectoryName(folder))
        {
            createdTop = folder;
        }

        try
        {
            Directory.CreateDirectory(full);
            string probe = System.IO.Path.Combine(full, ProbeFile);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputPathException($"{flag} {path} cannot be written: {e.Message}");
        }

        return new OutputFolder(path, createdTop);
    }

    /// <summary>
    /// Checks that a file can be written at <paramref name="path"/> without writing it: its folder exists and it is not
    /// a folder itself. Otherwise an <see cref="OutputPathException"/> naming <paramref name="flag"/>.
    /// </summary>
    public static void CheckFile(string path, string flag)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new OutputPathException($"{flag} {path} is a folder; name a file");
        }

        string? parent = System.IO.Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
        {
            string folder = System.IO.Path.GetDirectoryName(path) is { Length: > 0 } named ? named : parent;
            throw new OutputPathException($"{flag} {path}: the folder {folder} does not exist");
        }
    }

    /// <summary>Removes the folder (and the parents <see cref="Claim"/> created for it) when nothing was written into it since.</summary>
    public void ReleaseIfUnused()
    {
        string full = System.IO.Path.GetFullPath(this.Path);
        try
        {
            for (string? folder = full; this.createdTop is not null && folder is not null && folder.Length >= this.createdTop.Length; folder = System.IO.Path.GetDirectoryName(folder))
            {
                if (!Directory.Exists(folder) || Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An empty folder left behind costs nothing; the run's outcome is what the user needs to see.
        }
    }
}

/// <summary>An output path the user named that cannot be written: one line naming the flag and why.</summary>
public sealed class OutputPathException(string message, int exitCode = 2) : Exception(message)
{
    /// <summary>2 when found before the run (bad input), 1 when writing failed afterwards.</summary>
    public int ExitCode { get; } = exitCode;
}
