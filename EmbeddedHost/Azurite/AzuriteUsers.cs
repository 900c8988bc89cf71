using System.Globalization;
using System.Text.Json;

namespace FunctionsBench.Embedded.Azurite;

/// <summary>
/// Which processes use the local Azurite on one set of ports, kept in a small file per blob port beside the other
/// processes' (the system's temporary folder), so that hosts in separate processes can share one emulator: the one
/// that starts it records its process id, every host adds itself while it uses it, and the last to leave stops it.
/// A host that was killed cannot leave; the next one to look sees its process gone.
/// </summary>
/// <remarks>Every read and write happens under <see cref="LockAsync"/>, an exclusive lock on a file beside the record.</remarks>
internal sealed class AzuriteUsers
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly string path;

    private AzuriteUsers(string path) => this.path = path;

    /// <summary>The folder holding every port's record.</summary>
    public static string Folder { get; } = Path.Combine(Path.GetTempPath(), "functionsbench-azurite");

    /// <summary>This process's entry for one <see cref="AzuriteProcess"/>: <c>{pid}/{id}</c>.</summary>
    public static string NewEntry() => string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}/{Guid.NewGuid():N}");

    /// <summary>The process id in an entry.</summary>
    public static int ProcessOf(string entry) => int.Parse(entry.AsSpan(0, entry.IndexOf('/', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    /// <summary>Takes the lock of <paramref name="blobPort"/>'s record, waiting up to <paramref name="timeout"/> for another process to release it.</summary>
    public static async Task<(AzuriteUsers Users, IDisposable Lock)> LockAsync(int blobPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        string lockPath = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"{blobPort}.lock"));
        DateTime giveUp = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock between .NET processes on Unix, a sharing lock on Windows.
                var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return (new AzuriteUsers(Path.ChangeExtension(lockPath, ".json")), held);
            }
            catch (IOException) when (DateTime.UtcNow < giveUp)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    /// <summary>The record, with the entries of processes that are gone left out; null when there is none.</summary>
    public AzuriteRecord? Read(out IReadOnlyList<int> gone)
    {
        gone = [];
        if (!File.Exists(this.path))
        {
            return null;
        }

        AzuriteRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<AzuriteRecord>(File.ReadAllText(this.path), Json);
        }
        catch (JsonException)
        {
            // Cut short by a crash while writing: as if there were none.
            return null;
        }

        if (record is null)
        {
            return null;
        }

        gone = [.. record.Users.Select(ProcessOf).Where(pid => !Processes.IsAlive(pid)).Distinct()];
        IReadOnlyList<int> dead = gone;
        return record with { Users = [.. record.Users.Where(u => !dead.Contains(ProcessOf(u)))] };
    }

    /// <summary>Replaces the record.</summary>
    public void Write(AzuriteRecord record) => File.WriteAllText(this.path, JsonSerializer.Serialize(record, Json));

    /// <summary>Removes the record.</summary>
    public void Delete() => File.Delete(this.path);
}

/// <summary>One port's record.</summary>
/// <param name="AzuritePid">The emulator's process id when a host of this repository started it; null for one it found running.</param>
/// <param name="DataLocation">Where that emulator keeps its data.</param>
/// <param name="StartedBy">The process that started it.</param>
/// <param name="Users">The entries (<see cref="AzuriteUsers.NewEntry"/>) of the processes using it.</param>
internal sealed record AzuriteRecord(int? AzuritePid, string? DataLocation, int? StartedBy, IReadOnlyList<string> Users);

/// <summary>What is known about other processes by their id.</summary>
internal static class Processes
{
    /// <summary>Whether <paramref name="pid"/> runs (a zombie, dead but not yet reaped, does not).</summary>
    public static bool IsAlive(int pid)
    {
        string stat = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                // "pid (name) S ...": the state follows the name's closing parenthesis.
                string text = File.ReadAllText(stat);
                int close = text.LastIndexOf(')');
                return close > 0 && close + 2 < text.Length && text[close + 2] != 'Z' && text[close + 2] != 'X';
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="pid"/> runs and, where the system tells, runs Azurite (a reused id is left alone).</summary>
    public static bool IsAzurite(int pid)
    {
        if (!IsAlive(pid))
        {
            return false;
        }

        string cmdline = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        try
        {
            return !File.Exists(cmdline) || File.ReadAllText(cmdline).Contains("azurite", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
