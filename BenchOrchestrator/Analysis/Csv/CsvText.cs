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

    /// <summary>
    /// The records of a whole CSV text as <see cref="Field"/> writes them (RFC 4180): a quoted field may hold commas,
    /// doubled quotes and line breaks; a record ends at a line break outside quotes (\n or \r\n). Blank lines are
    /// skipped.
    /// </summary>
    /// <exception cref="FormatException">A quoted field is not closed, or text follows a closing quote in its field.</exception>
    public static IReadOnlyList<IReadOnlyList<string>> Records(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var records = new List<IReadOnlyList<string>>();
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        int line = 1, quoteLine = 0;
        bool inQuotes = false, closedQuote = false, recordHasQuotes = false;
        for (int i = 0; i < csv.Length; i++)
        {
            char c = csv[i];
            if (inQuotes)
            {
                if (c == '"' && i + 1 < csv.Length && csv[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    inQuotes = false;
                    closedQuote = true;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    current.Append(c);
                }
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
                closedQuote = false;
            }
            else if (c == '\n' || (c == '\r' && i + 1 < csv.Length && csv[i + 1] == '\n'))
            {
                i += c == '\r' ? 1 : 0;
                EndRecord();
                line++;
            }
            else if (closedQuote)
            {
                throw new FormatException($"CSV line {line}: text after a field's closing quote");
            }
            else if (c == '"' && current.Length == 0)
            {
                inQuotes = true;
                recordHasQuotes = true;
                quoteLine = line;
            }
            else
            {
                current.Append(c);
            }
        }

        if (inQuotes)
        {
            throw new FormatException($"CSV line {quoteLine}: a quoted field is not closed");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(current.ToString());
            current.Clear();
            closedQuote = false;
            if (fields.Count > 1 || fields[0].Length > 0 || recordHasQuotes)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
            recordHasQuotes = false;
        }
    }
}
