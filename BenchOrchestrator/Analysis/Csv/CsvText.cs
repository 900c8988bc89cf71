namespace FunctionsBench.BenchOrchestrator.Csv;

/// <summary>How the CSV files write and read values: invariant culture, RFC 4180 quoting, ISO 8601 UTC times.</summary>
public static class CsvText
{
    /// <summary>A text field, quoted when it holds a comma, a quote or a line break.</summary>
    public static string Field(string? value)
    {
        value ??= string.Empty;
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A number with at most three decimals; empty for null.</summary>
    public static string Number(double? value) => value is double v ? v.ToString("0.###", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>A UTC time with microseconds.</summary>
    public static string Time(DateTime value) => value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    /// <summary>The fields of one line (quoted fields may hold commas and doubled quotes; not line breaks).</summary>
    public static IReadOnlyList<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                current.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }
}
