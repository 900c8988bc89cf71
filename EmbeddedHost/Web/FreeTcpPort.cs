using System.Net;
using System.Net.Sockets;

namespace FunctionsBench.Embedded.Web;

/// <summary>A loopback TCP port that is free now (the system's choice for port 0).</summary>
public static class FreeTcpPort
{
    /// <summary>Binds port 0 on 127.0.0.1, reads the port the system gave and releases it.</summary>
    public static int Pick()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
