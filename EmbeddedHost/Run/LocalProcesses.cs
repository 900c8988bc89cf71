namespace FunctionsBench.Embedded.Run;

/// <summary>
/// Processes of this machine found from <c>/proc</c> (Linux): the one listening on a TCP port, its descendants, and
/// their processor time. Lets <c>./bench run --target URL</c> count a Functions host on this machine (and its worker, and
/// the Azurite it uses) as the measured system rather than as other load. Elsewhere every lookup finds nothing.
/// </summary>
public static class LocalProcesses
{
    /// <summary>Clock ticks per second of <c>/proc/PID/stat</c>'s times (USER_HZ, 100 on every Linux this runs on).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>The process listening on TCP <paramref name="port"/> (IPv4 or IPv6); null when none is found.</summary>
    public static int? ListenerOf(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (string table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode": st 0A is LISTEN.
            foreach (string line in File.ReadLines(table).Skip(1))
            {
                string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[3] == "0A"
                    && int.TryParse(fields[1][(fields[1].LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int local) && local == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }

        if (inodes.Count == 0)
        {
            return null;
        }

        foreach (int pid in All())
        {
            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read: not the listener this looks for.
            }
        }

        return null;
    }

    /// <summary><paramref name="pid"/> and every process below it.</summary>
    public static IReadOnlySet<int> WithDescendants(int pid)
    {
        Dictionary<int, int> parents = [];
        foreach (int process in All())
        {
            if (ParentOf(process) is int parent)
            {
                parents[process] = parent;
            }
        }

        var found = new HashSet<int> { pid };
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach ((int child, int parent) in parents)
            {
                if (found.Contains(parent) && found.Add(child))
                {
                    grew = true;
                }
            }
        }

        return found;
    }

    /// <summary>Processor seconds (user and system) <paramref name="pid"/> has used; null when it is gone.</summary>
    public static double? CpuSeconds(int pid)
    {
        string[]? after = StatFields(pid);

        // After the command name: state is [0], ppid [1], utime [11], stime [12].
        return after is { Length: > 12 }
            ? (double.Parse(after[11], CultureInfo.InvariantCulture) + double.Parse(after[12], CultureInfo.InvariantCulture)) / TicksPerSecond
            : null;
    }

    /// <summary>Processor seconds of every process now, by id.</summary>
    public static Dictionary<int, double> CpuSecondsOfAll()
    {
        var seconds = new Dictionary<int, double>();
        foreach (int pid in All())
        {
            if (CpuSeconds(pid) is double used)
            {
                seconds[pid] = used;
            }
        }

        return seconds;
    }

    /// <summary>
    /// A target at <paramref name="target"/> as the measured system when it is on this machine: the process listening on
    /// its port with its descendants (a Functions host and its worker, or <c>./bench serve</c> and its Azurite), and the
    /// process listening on the queue port of <paramref name="storageConnection"/> (the app's Azurite) with its own.
    /// Empty for a target elsewhere.
    /// </summary>
    public static IReadOnlySet<int> OfTarget(Uri target, string? storageConnection)
    {
        ArgumentNullException.ThrowIfNull(target);
        var found = new HashSet<int>();
        if (target.IsLoopback && ListenerOf(target.Port) is int host)
        {
            found.UnionWith(WithDescendants(host));
        }

        if (storageConnection is not null && AppStorage.LocalQueuePort(storageConnection) is int queuePort && ListenerOf(queuePort) is int azurite)
        {
            found.UnionWith(WithDescendants(azurite));
        }

        return found;
    }

    private static int? ParentOf(int pid) => StatFields(pid) is { Length: > 1 } after && int.TryParse(after[1], CultureInfo.InvariantCulture, out int parent) ? parent : null;

    private static string[]? StatFields(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<int> All()
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        return Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out int pid) ? pid : 0)
            .Where(pid => pid > 0);
    }
}
