using System.Net;

namespace FunctionsBench.BenchOrchestrator.Report;

/// <summary>The small pieces every report section writes with: encoding, numbers and tables.</summary>
internal static class Html
{
    /// <summary>HTML-encodes <paramref name="text"/>.</summary>
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A number in <paramref name="format"/>, or a dash for null.</summary>
    public static string N(double? value, string format = "0.0") => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "&ndash;";

    /// <summary>A whole number with thousands separated.</summary>
    public static string W(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>A rate, time or latency with about three significant digits (0.0123, 1.23, 12.3, 1,234).</summary>
    public static string Sig(double? value) => value is double v ? Format.Sig(v, "#,0") : "&ndash;";

    /// <summary>A ratio as "12x" or "0.45x".</summary>
    public static string Times(double? value) => value is double v ? Sig(v) + "&times;" : "&ndash;";

    /// <summary>Formats <paramref name="text"/> invariantly.</summary>
    public static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A table: <paramref name="headers"/> (raw HTML) and rows of raw HTML cells; wide tables scroll inside the page.</summary>
    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string? cssClass = null)
    {
        var html = new StringBuilder("<div class=\"wide\"><table").Append(cssClass is null ? string.Empty : $" class=\"{cssClass}\"").Append("><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(header).Append("</th>");
        }

        html.Append("</tr>");
        foreach (IEnumerable<string> row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</table></div>").ToString();
    }

    /// <summary>A figure holding <paramref name="svg"/> with its caption; nothing when there is no chart.</summary>
    public static string Figure(string svg, string caption)
        => string.IsNullOrEmpty(svg) ? string.Empty : $"<figure>{svg}<figcaption>{E(caption)}</figcaption></figure>";

    /// <summary>A note paragraph of plain text.</summary>
    public static string Note(string text) => $"<p class=\"note\">{E(text)}</p>";
}
