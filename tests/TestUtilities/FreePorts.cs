using System.Net;
using System.Net.Sockets;
using FunctionsBench.Embedded.Web;

namespace FunctionsBench.Testing;

/// <summary>Loopback ports a test can take, never Azurite's defaults (10000-10002), which benchmarks on this machine use.</summary>
public static class FreePorts
{
    /// <summary>Where <see cref="PickConsecutive"/> looks: below the system's range for outgoing connections, so that a port
    /// left free while its server is down (an outage) is not taken meanwhile as the local end of some connection.</summary>
    private const int RangeStart = 20000;
    private const int RangeEnd = 32000;

    private static readonly object Gate = new();

    /// <summary>A port the system picks (bind to 0) and releases: for a server started right away.</summary>
    public static int Pick() => FreeTcpPort.Pick();

    /// <summary>
    /// The first of <paramref name="count"/> consecutive ports that are free now, at random in 20000-31999 (Azurite's blob,
    /// queue and table services take three in a row, as <c>--azurite-port</c> does).
    /// </summary>
    public static int PickConsecutive(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (Gate)
        {
            for (int attempt = 0; attempt < 500; attempt++)
            {
                int first = Random.Shared.Next(RangeStart, RangeEnd - count);
                if (Enumerable.Range(first, count).All(IsFree))
                {
                    return first;
                }
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports found in {RangeStart}-{RangeEnd}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
