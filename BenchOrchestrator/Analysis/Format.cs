namespace FunctionsBench.BenchOrchestrator;

/// <summary>Number formats shared by the console and the HTML output.</summary>
public static class Format
{
    /// <summary>A p-value: three decimals, or "&lt; 0.001".</summary>
    public static string P(double p) => p < 0.001 ? "< 0.001" : p.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A ratio with its interval, e.g. "1.23 (1.10-1.37)".</summary>
    public static string Ratio(double ratio, double? low = null, double? high = null)
    {
        string r = ratio.ToString(ratio >= 100 ? "0" : ratio >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
        return low is double l && high is double h ? $"{r} ({Ratio(l)}-{Ratio(h)})" : r;
    }

    /// <summary>
    /// About three significant digits (0.0123, 0.328, 1.23, 12.3, 123), so that a StateFun latency of a tenth of a
    /// millisecond and a Durable Functions one of a hundred read equally well; <paramref name="whole"/> formats 100 and up.
    /// </summary>
    public static string Sig(double value, string whole = "0") => value.ToString(
        Math.Abs(value) >= 100 ? whole : Math.Abs(value) >= 10 ? "0.0" : Math.Abs(value) >= 1 ? "0.00" : "0.###", CultureInfo.InvariantCulture);
}
